import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNIT_MOCKING } from '../../vitest.config';

// Unit files share one module graph per worker (vitest.config.ts). A file that replaces a module
// or a global for its tests must run in a graph of its own, or what it replaces leaks into the
// files after it in that worker (or, loaded before it, is not replaced at all).
const REPLACES = /\bvi\.(mock|doMock|unmock|doUnmock|stubGlobal|stubEnv)\(/;

describe('unit files sharing a module graph', () => {
  it('every unit file that mocks a module or stubs a global runs isolated, and only those', () => {
    const dir = join(process.cwd(), 'test', 'unit');
    const replacing = readdirSync(dir)
      .filter((f) => f.endsWith('.test.ts') && f !== 'test-isolation.test.ts')
      .filter((f) => REPLACES.test(readFileSync(join(dir, f), 'utf8')))
      .map((f) => `test/unit/${f}`);
    expect(replacing.length).toBeGreaterThan(0);
    expect([...UNIT_MOCKING].sort()).toEqual(replacing.sort());
  });

  it('no support module registers a hook at its top level (it would run in the first importing file only)', () => {
    const dir = join(process.cwd(), 'test', 'support');
    const topLevelHook = /^(afterEach|beforeEach|afterAll|beforeAll)\(/m;
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => topLevelHook.test(readFileSync(join(dir, f), 'utf8')))).toEqual([]);
  });
});
