// Lint = the layering rule of DESIGN.md, plus typescript-eslint's recommended set.
// renderer → shared only; shared → nothing of node/electron/DOM libs; core → never electron;
// preload → shared + electron; only src/main/electronMain.ts (the Electron entry; built as out/main/index.js) imports electron:
// src/main/desktop/ holds the desktop shell's policy, electron-free so it is tested in Node.
// Inside the core (issue 9): no import cycles; engines and store below scheduler and service;
// the scheduler reaches the store only through its JobRepo port; logs, artifacts and templates
// below scheduler and service; only the composition roots wire the concrete classes.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import noDanglingElse from './eslint-rules/no-dangling-else.js';
import noTypeCycle from './eslint-rules/no-type-cycle.js';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const forbid = (...groups) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: groups.flatMap((g) => g.paths ?? []).map((name) => ({ name, message: groups.find((g) => g.paths?.includes(name))?.why })),
      // One entry per group, so an import that matches two of its patterns is reported once.
      patterns: groups.filter((g) => g.patterns?.length).map((g) => ({ group: g.patterns, message: g.why })),
    },
  ],
});

const NODE = { paths: nodeBuiltins, why: 'this layer runs without Node (DESIGN.md layers)' };
const ELECTRON = { paths: ['electron'], patterns: ['electron/*', '@electron/*'], why: 'only src/main/electronMain.ts and src/preload may import electron; put policy in src/main/desktop/ and pass the Electron object in' };
const MAIN = { patterns: ['**/main/**', '**/preload/**'], why: 'the renderer knows only src/shared and its client' };
const RENDERER = { patterns: ['**/renderer/**'], why: 'the core and the contract never reach into the renderer' };
const NODE_LIBS = {
  // croner is plain JavaScript: src/shared/schedule.ts uses it so the editor and the core agree.
  paths: ['dockerode', 'lowdb', 'lowdb/node', 'ws', 'tar-stream'],
  why: 'Node-only libraries belong to src/main/core',
};
const UI_LIBS = { paths: ['react', 'react-dom', 'zustand', '@xterm/xterm'], why: 'UI libraries belong to src/renderer' };

// Directions inside src/main/core. Patterns match the import specifier, so `../scheduler/x` and
// `../scheduler` alike; no-restricted-imports also sees `import type`, which no-cycle ignores.
const ROOT = { patterns: ['**/jobdeck', '**/core/jobdeck'], why: 'the core never imports its composition root (jobdeck.ts): declare the port beside its owner' };
const SCHEDULER = { patterns: ['**/scheduler', '**/scheduler/**'], why: 'this part of the core sits below the scheduler: the scheduler calls it, never the reverse' };
const SERVICE = { patterns: ['**/service', '**/service/**'], why: 'the service (the handlers) sits on top of the core: nothing below it imports it' };
const STORE = { patterns: ['**/store', '**/store/**'], why: 'the scheduler reaches the store only through its JobRepo port (scheduler/types.ts)' };
const CORE = [ELECTRON, RENDERER, UI_LIBS, ROOT];

// The concrete classes the composition root wires together; anywhere else they come in as ports.
// JobStore and DataDirLock have private constructors: they are made through open/acquire.
const WIRED = 'Scheduler|CronLauncher|EngineRegistry|LogStore|LogBatcher|EventHub|DockerExecutor';
const WIRING_WHY = 'only the composition roots (src/main/core/jobdeck.ts, src/main/electronMain.ts, src/main/headless/main.ts) wire concrete classes: take the part from CoreContext or as a port';
const wiring = (...selectors) => ({
  'no-restricted-syntax': ['error', ...selectors.map((selector) => ({ selector, message: WIRING_WHY }))],
});
const NEW_WIRED = `NewExpression[callee.name=/^(${WIRED})$/]`;
const OPEN_WIRED = 'CallExpression[callee.object.name=/^(JobStore|DataDirLock)$/][callee.property.name=/^(open|acquire)$/]';
const NEW_CORE = "CallExpression[callee.name='createJobdeck']";

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX, jobdeck: { rules: { 'no-type-cycle': noTypeCycle, 'no-dangling-else': noDanglingElse } } },
    settings: {
      // no-cycle parses every file it follows: TypeScript's parser for TypeScript, plain resolution by extension.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
    },
    rules: {
      // A cycle anywhere (source, tests, journeys) fails the lint; type-only imports excepted by the rule.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // ...and the cycles a type-only import closes, which import-x/no-cycle skips by design.
      'jobdeck/no-type-cycle': 'error',
      // An else that reads as the outer if's but is an inner one's (a CLI printed nothing so).
      'jobdeck/no-dangling-else': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  { files: ['src/shared/**/*.ts'], rules: forbid(NODE, ELECTRON, RENDERER, NODE_LIBS, UI_LIBS, { patterns: ['**/main/**', '**/preload/**'], why: 'the contract imports nothing but zod' }) },
  { files: ['src/renderer/**/*.{ts,tsx}'], rules: forbid(NODE, ELECTRON, MAIN, NODE_LIBS) },
  { files: ['src/main/**/*.ts'], ignores: ['src/main/electronMain.ts'], rules: forbid(ELECTRON, RENDERER, UI_LIBS) },
  // Later blocks replace the rule's options for their files, so each lists the whole set.
  { files: ['src/main/core/**/*.ts'], ignores: ['src/main/core/jobdeck.ts'], rules: forbid(...CORE) },
  { files: ['src/main/core/{engines,store}/**/*.ts'], rules: forbid(...CORE, SCHEDULER, SERVICE) },
  { files: ['src/main/core/scheduler/**/*.ts'], rules: forbid(...CORE, STORE, SERVICE) },
  { files: ['src/main/core/{logs,artifacts,templates}/**/*.ts'], rules: forbid(...CORE, SCHEDULER, SERVICE) },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/core/jobdeck.ts', 'src/main/electronMain.ts', 'src/main/headless/main.ts', 'src/main/core/engines/dockerEngine.ts'],
    rules: wiring(NEW_WIRED, OPEN_WIRED, NEW_CORE),
  },
  // The Docker engine factory makes its executor; the composition root chooses the factory.
  { files: ['src/main/core/engines/dockerEngine.ts'], rules: wiring(`NewExpression[callee.name=/^(${WIRED.replace('|DockerExecutor', '')})$/]`, OPEN_WIRED, NEW_CORE) },
  { files: ['src/main/electronMain.ts'], rules: forbid(RENDERER, UI_LIBS) },
  // The command line is a client of the contract: shared + node + its own libraries. Its one
  // composition root (localCore.ts, the core in the CLI's process) may reach the core and socket.
  {
    files: ['src/cli/**/*.ts'],
    ignores: ['src/cli/localCore.ts'],
    rules: forbid(ELECTRON, RENDERER, UI_LIBS, { patterns: ['**/main/**', '**/preload/**'], why: 'the CLI reaches the core only through the contract (src/shared/ipc.ts); only src/cli/localCore.ts starts a core' }),
  },
  { files: ['src/cli/localCore.ts'], rules: forbid(ELECTRON, RENDERER, UI_LIBS) },
  { files: ['src/preload/**/*.ts'], rules: forbid(NODE, RENDERER, UI_LIBS, NODE_LIBS, { patterns: ['**/main/**'], why: 'the preload knows only the contract' }) },
);
