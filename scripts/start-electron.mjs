// `npm start`: build, make sure the Electron binary is there (npm does not run Electron's
// download at install time), then open the app. Where the binary cannot be fetched, say so
// and point to the browser version instead of failing obscurely.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));

function binaryPresent() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  return existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

if (!binaryPresent()) {
  console.log('Jobdeck: fetching the Electron binary (first start)…');
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' });
  if (r.status !== 0 || !binaryPresent()) {
    console.error(
      '\nJobdeck: the Electron binary could not be downloaded on this machine.\n' +
        'Run the same app in your browser instead:  npm run serve\n',
    );
    process.exit(1);
  }
}

const run = (args) => spawnSync(process.execPath, [require.resolve('electron-vite/bin/electron-vite.js'), ...args], { stdio: 'inherit' });
const built = run(['build']);
if (built.status !== 0) process.exit(built.status ?? 1);
process.exit(run(['preview']).status ?? 0);
