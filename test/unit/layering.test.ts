import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rule is only worth something if it fires: lint a few forbidden imports in place.
const eslint = new ESLint({ cwd: process.cwd() });

async function messages(filePath: string, code: string, rule = 'no-restricted-imports'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message);
}

describe('layering lint rule', () => {
  it.each([
    ['src/renderer/src/x.ts', "import { readFileSync } from 'node:fs'; readFileSync('a');"],
    ['src/renderer/src/x.ts', "import { ipcRenderer } from 'electron'; ipcRenderer.send('a');"],
    ['src/renderer/src/x.ts', "import { createJobdeck } from '../../main/core/jobdeck'; void createJobdeck;"],
    ['src/shared/x.ts', "import { join } from 'path'; join('a');"],
    ['src/shared/x.ts', "import React from 'react'; void React;"],
    ['src/main/core/x.ts', "import { app } from 'electron'; void app;"],
    ['src/main/headless/main.ts', "import { app } from 'electron'; void app;"],
    // the desktop shell's policy stays electron-free, so it is tested in Node without the binary
    ['src/main/desktop/tray.ts', "import { Tray } from 'electron'; void Tray;"],
    ['src/main/desktop/x.ts', "import { shell } from 'electron/main'; void shell;"],
    ['src/preload/x.ts', "import { readFileSync } from 'fs'; readFileSync('a');"],
  ])('refuses %s importing across layers: %s', async (file, code) => {
    expect(await messages(file, code)).not.toHaveLength(0);
  });

  it.each([
    ['src/renderer/src/x.ts', "import { commands } from '../../shared/ipc'; void commands;"],
    ['src/main/core/x.ts', "import { readFileSync } from 'node:fs'; readFileSync('a');"],
    ['src/main/electronMain.ts', "import { app } from 'electron'; void app;"],
    ['src/preload/x.ts', "import { contextBridge } from 'electron'; void contextBridge;"],
  ])('allows %s: %s', async (file, code) => {
    expect(await messages(file, code)).toEqual([]);
  });
});

describe('import directions inside the core', () => {
  it.each([
    // engines and store sit below scheduler and service
    ['src/main/core/engines/x.ts', "import { Scheduler } from '../scheduler/scheduler'; void Scheduler;", 'below the scheduler'],
    ['src/main/core/engines/x.ts', "import type { CoreContext } from '../service/context'; export type C = CoreContext;", 'the service'],
    ['src/main/core/store/x.ts', "import type { JobRepo } from '../scheduler'; export type R = JobRepo;", 'below the scheduler'],
    ['src/main/core/store/x.ts', "import { jobHandlers } from '../service/jobHandlers'; void jobHandlers;", 'the service'],
    // the scheduler reaches the store only through JobRepo
    ['src/main/core/scheduler/x.ts', "import { JobStore } from '../store/jobStore'; void JobStore;", 'JobRepo'],
    ['src/main/core/scheduler/x.ts', "import type { StateFile } from '../store/schema'; export type S = StateFile;", 'JobRepo'],
    // logs, artifacts and templates sit below scheduler and service (type imports included)
    ['src/main/core/logs/x.ts', "import type { AttemptLog } from '../scheduler/scheduler'; export type A = AttemptLog;", 'below the scheduler'],
    ['src/main/core/artifacts/x.ts', "import type { CoreContext } from '../service/context'; export type C = CoreContext;", 'the service'],
    ['src/main/core/templates/x.ts', "import { Scheduler } from '../scheduler/scheduler'; void Scheduler;", 'below the scheduler'],
    // the shape of the old SecretCodec cycle: a core module naming a type of its composition root
    ['src/main/core/secrets.ts', "import type { JobdeckOptions } from './jobdeck'; export type O = JobdeckOptions;", 'composition root'],
    ['src/main/core/service/x.ts', "import type { Jobdeck } from '../jobdeck'; export type J = Jobdeck;", 'composition root'],
  ])('refuses %s: %s', async (file, code, why) => {
    const found = await messages(file, code);
    expect(found).not.toHaveLength(0);
    expect(found.join('\n')).toContain(why);
  });

  it.each([
    ['src/main/core/scheduler/x.ts', "import type { Executor } from '../engines/types'; export type E = Executor;"],
    ['src/main/core/service/x.ts', "import type { Scheduler } from '../scheduler/scheduler'; export type S = Scheduler;"],
    ['src/main/core/service/x.ts', "import type { JobStore } from '../store/jobStore'; export type S = JobStore;"],
    ['src/main/core/scheduler/x.ts', "import type { AttemptLog } from '../logs/attemptLog'; export type A = AttemptLog;"],
    ['src/main/core/jobdeck.ts', "import { Scheduler } from './scheduler/scheduler'; import { JobStore } from './store/jobStore'; void Scheduler; void JobStore;"],
  ])('allows %s: %s', async (file, code) => {
    expect(await messages(file, code)).toEqual([]);
  });
});

describe('only the composition roots wire concrete classes', () => {
  it.each([
    ['src/main/core/service/x.ts', "import { Scheduler } from '../scheduler/scheduler'; export const s = new Scheduler(null as never);"],
    ['src/main/core/reconcile.ts', "import { JobStore } from './store/jobStore'; export const s = JobStore.open(null as never);"],
    ['src/main/core/engines/registry.ts', "import { DockerExecutor } from './executor'; export const e = new DockerExecutor('d', null as never, null as never);"],
    ['src/main/core/service/x.ts', "import { EventHub } from '../events'; export const h = new EventHub();"],
    ['src/main/headless/server.ts', "import { createJobdeck } from '../core/jobdeck'; export const c = createJobdeck(null as never);"],
  ])('refuses %s: %s', async (file, code) => {
    expect(await messages(file, code, 'no-restricted-syntax')).toEqual([expect.stringContaining('composition roots')]);
  });

  it.each([
    ['src/main/core/jobdeck.ts', "import { Scheduler } from './scheduler/scheduler'; export const s = new Scheduler(null as never);"],
    ['src/main/core/engines/dockerEngine.ts', "import { DockerExecutor } from './executor'; export const e = new DockerExecutor('d', null as never, null as never);"],
    ['src/main/headless/main.ts', "import { createJobdeck } from '../core/jobdeck'; export const c = createJobdeck(null as never);"],
    ['src/main/electronMain.ts', "import { createJobdeck } from './core/jobdeck'; export const c = createJobdeck(null as never);"],
  ])('allows %s: %s', async (file, code) => {
    expect(await messages(file, code, 'no-restricted-syntax')).toEqual([]);
  });
});

describe('no import cycles', () => {
  it.each([
    // systemHandlers imports stats: stats importing systemHandlers back closes a circle
    ['src/main/core/service/stats.ts', "import { systemHandlers } from './systemHandlers'; void systemHandlers;"],
    // ipc imports template: the reverse closes a circle in the contract
    ['src/shared/template.ts', "import { commands } from './ipc'; void commands;"],
    // jobdeck imports secrets: a value import back is a circle whatever the direction rules say
    ['src/main/core/secrets.ts', "import { createJobdeck } from './jobdeck'; void createJobdeck;"],
  ])('refuses a cycle through %s: %s', async (file, code) => {
    expect(await messages(file, code, 'import-x/no-cycle')).toEqual([expect.stringMatching(/cycle/i)]);
  });

  it.each([
    // the SecretCodec cycle as it was: secrets.ts took a type from the composition root
    ['src/main/core/secrets.ts', "import type { JobdeckOptions } from './jobdeck'; export type O = JobdeckOptions;"],
    // the renderer's: the drop's state type reaching back into the store that holds it
    ['src/renderer/src/drop/importPreview.ts', "import type { Toast } from '../store/app'; export type T = Toast;"],
    // a named import of types only counts as a type import too
    ['src/main/core/logs/mask.ts', "import { type SchedulerDeps } from '../scheduler/scheduler'; export type D = SchedulerDeps;"],
  ])('refuses a cycle that a type-only import closes, through %s: %s', async (file, code) => {
    expect(await messages(file, code, 'jobdeck/no-type-cycle')).toEqual([expect.stringContaining('Import cycle through a type-only import')]);
    // import-x/no-cycle skips these by design: this rule is what catches them
    expect(await messages(file, code, 'import-x/no-cycle')).toEqual([]);
  });

  it('leaves an all-value cycle to import-x, reported once', async () => {
    const code = "import { systemHandlers } from './systemHandlers'; void systemHandlers;";
    expect(await messages('src/main/core/service/stats.ts', code, 'jobdeck/no-type-cycle')).toEqual([]);
  });

  it('allows the same import where no path leads back', async () => {
    const code = "import { systemHandlers } from './systemHandlers'; import type { Jobdeck } from '../jobdeck'; void systemHandlers; export type J = Jobdeck;";
    expect(await messages('src/main/core/service/x.ts', code, 'import-x/no-cycle')).toEqual([]);
    expect(await messages('src/main/core/service/x.ts', code, 'jobdeck/no-type-cycle')).toEqual([]);
  });
});

describe('the jobdeck command line is a client of the contract', () => {
  it.each([
    ['src/cli/commands/x.ts', "import { createJobdeck } from '../../main/core/jobdeck'; void createJobdeck;"],
    ['src/cli/x.ts', "import { JobStore } from '../main/core/store/jobStore'; void JobStore;"],
    ['src/cli/x.ts', "import { startSocket } from '../main/socket/socketServer'; void startSocket;"],
    ['src/cli/x.ts', "import type { CoreContext } from '../main/core/service/context'; export type C = CoreContext;"],
    ['src/cli/x.ts', "import { app } from 'electron'; void app;"],
  ])('refuses %s: %s', async (file, code) => {
    const found = await messages(file, code);
    expect(found).not.toHaveLength(0);
  });

  it.each([
    ['src/cli/x.ts', "import { commands } from '../shared/ipc'; import { connect } from 'node:net'; void commands; void connect;"],
    // its one composition root starts the core in the CLI's own process
    ['src/cli/localCore.ts', "import { createJobdeck } from '../main/core/jobdeck'; import { startSocket } from '../main/socket/socketServer'; void createJobdeck; void startSocket;"],
  ])('allows %s: %s', async (file, code) => {
    expect(await messages(file, code)).toEqual([]);
  });
});

describe('an else belongs to the if it reads as', () => {
  it.each([
    // the CLI's bug as it was: the table printed per row without an id, never without -q
    'declare const q: boolean, rows: { id?: string }[], p: (s: string) => void;\nif (q) for (const r of rows) if (r.id) p(r.id);\nelse p("table");',
    'declare const a: boolean, b: boolean, p: (s: string) => void;\nif (a) if (b) p("b");\nelse p("not a");',
    'declare const a: boolean, b: boolean, p: (s: string) => void;\nif (a) outer: while (b) if (b) break outer;\nelse p("x");',
  ])('refuses %s', async (code) => {
    expect(await messages('src/cli/x.ts', code, 'jobdeck/no-dangling-else')).toEqual([expect.stringContaining('belongs to the inner if')]);
  });

  it.each([
    'declare const q: boolean, rows: { id?: string }[], p: (s: string) => void;\nif (q) {\n  for (const r of rows) if (r.id) p(r.id);\n} else p("table");',
    'declare const a: boolean, b: boolean, p: (s: string) => void;\nif (a) p("a");\nelse if (b) p("b");\nelse p("neither");',
    'declare const rows: string[], p: (s: string) => void;\nfor (const r of rows) if (r) p(r);\nelse p("empty");',
  ])('allows %s', async (code) => {
    expect(await messages('src/cli/x.ts', code, 'jobdeck/no-dangling-else')).toEqual([]);
  });
});
