// Lint = the layering rule of DESIGN.md, plus typescript-eslint's recommended set.
// renderer → shared only; shared → nothing of node/electron/DOM libs; core → never electron;
// preload → shared + electron; only src/main/index.ts and src/main/electron/** import electron.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electron = ['electron', 'electron/*', '@electron/*'];

const forbid = (...groups) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: groups.flatMap((g) => g.paths ?? []).map((name) => ({ name, message: groups.find((g) => g.paths?.includes(name))?.why })),
      patterns: groups.flatMap((g) => (g.patterns ?? []).map((p) => ({ group: [p], message: g.why }))),
    },
  ],
});

const NODE = { paths: nodeBuiltins, why: 'this layer runs without Node (DESIGN.md layers)' };
const ELECTRON = { paths: ['electron'], patterns: ['electron/*', '@electron/*'], why: 'only src/main/index.ts, src/main/electron/ and src/preload may import electron' };
const MAIN = { patterns: ['**/main/**', '**/preload/**'], why: 'the renderer knows only src/shared and its client' };
const RENDERER = { patterns: ['**/renderer/**'], why: 'the core and the contract never reach into the renderer' };
const NODE_LIBS = {
  // croner is plain JavaScript: src/shared/schedule.ts uses it so the editor and the core agree.
  paths: ['dockerode', 'lowdb', 'lowdb/node', 'ws', 'tar-stream'],
  why: 'Node-only libraries belong to src/main/core',
};
const UI_LIBS = { paths: ['react', 'react-dom', 'zustand', '@xterm/xterm'], why: 'UI libraries belong to src/renderer' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  { files: ['src/shared/**/*.ts'], rules: forbid(NODE, ELECTRON, RENDERER, NODE_LIBS, UI_LIBS, { patterns: ['**/main/**', '**/preload/**'], why: 'the contract imports nothing but zod' }) },
  { files: ['src/renderer/**/*.{ts,tsx}'], rules: forbid(NODE, ELECTRON, MAIN, NODE_LIBS) },
  { files: ['src/main/**/*.ts'], ignores: ['src/main/index.ts', 'src/main/electron/**'], rules: forbid(ELECTRON, RENDERER, UI_LIBS) },
  { files: ['src/main/index.ts', 'src/main/electron/**/*.ts'], rules: forbid(RENDERER, UI_LIBS) },
  { files: ['src/preload/**/*.ts'], rules: forbid(NODE, RENDERER, UI_LIBS, NODE_LIBS, { patterns: ['**/main/**'], why: 'the preload knows only the contract' }) },
);
