import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rule is only worth something if it fires: lint a few forbidden imports in place.
const eslint = new ESLint({ cwd: process.cwd() });

async function messages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rule', () => {
  it.each([
    ['src/renderer/src/x.ts', "import { readFileSync } from 'node:fs'; readFileSync('a');"],
    ['src/renderer/src/x.ts', "import { ipcRenderer } from 'electron'; ipcRenderer.send('a');"],
    ['src/renderer/src/x.ts', "import { createJobdeck } from '../../main/core/jobdeck'; void createJobdeck;"],
    ['src/shared/x.ts', "import { join } from 'path'; join('a');"],
    ['src/shared/x.ts', "import React from 'react'; void React;"],
    ['src/main/core/x.ts', "import { app } from 'electron'; void app;"],
    ['src/main/headless.ts', "import { app } from 'electron'; void app;"],
    ['src/preload/x.ts', "import { readFileSync } from 'fs'; readFileSync('a');"],
  ])('refuses %s importing across layers: %s', async (file, code) => {
    expect(await messages(file, code)).not.toHaveLength(0);
  });

  it.each([
    ['src/renderer/src/x.ts', "import { commands } from '../../shared/ipc'; void commands;"],
    ['src/main/core/x.ts', "import { readFileSync } from 'node:fs'; readFileSync('a');"],
    ['src/main/index.ts', "import { app } from 'electron'; void app;"],
    ['src/preload/x.ts', "import { contextBridge } from 'electron'; void contextBridge;"],
  ])('allows %s: %s', async (file, code) => {
    expect(await messages(file, code)).toEqual([]);
  });
});
