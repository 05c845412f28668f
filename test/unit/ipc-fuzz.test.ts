import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobdeck, type Jobdeck } from '../../src/main/core/jobdeck';
import { createDispatcher, type Dispatch } from '../../src/main/ipc/dispatch';
import { ErrorCode } from '../../src/shared/errors';
import { COMMAND_NAMES } from '../../src/shared/ipc';

// Hostile input through the real wrapper and the real core (no engine needed: its socket does
// not exist): every command, random shapes. Nothing throws, every failure is a typed error,
// and input that is refused leaves the store file as it was.
let core: Jobdeck;
let dispatch: Dispatch;
let dataDir: string;
const unexpected: unknown[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jobdeck-fuzz-'));
  core = await createJobdeck({
    dataDir,
    env: {},
    socketCandidates: ['docker=unix:///tmp/jobdeck-fuzz-no-engine.sock'],
    engineProbeIntervalMs: 60_000,
  });
  dispatch = createDispatcher(core.handlers, (_c, e) => unexpected.push(e));
});
afterAll(async () => {
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const hostile = fc.oneof(
  fc.anything({ maxDepth: 4, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }),
  fc.record({ id: fc.oneof(fc.string(), fc.constantFrom('..', '../../etc', '\u0000', 'x'.repeat(5000))) }),
  fc.dictionary(fc.constantFrom('id', 'spec', 'files', 'limit', 'offset', 'priority', '__proto__', 'constructor'), fc.anything({ maxDepth: 3 })),
);

describe('IPC: hostile input to every command (fast-check)', () => {
  it('never throws, answers ok or a typed error, and never an internal one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMAND_NAMES), hostile, async (command, input) => {
        const result = await dispatch(command, input, { clientId: 'fuzz' });
        if (!result.ok) {
          expect(ErrorCode.options).toContain(result.error.code);
          expect(result.error.code).not.toBe('INTERNAL');
          expect(typeof result.error.message).toBe('string');
        }
      }),
      { numRuns: 600 },
    );
    expect(unexpected).toEqual([]);
  });

  it('leaves the store file untouched when the input is refused', async () => {
    await core.handlers['settings.get']({}, { clientId: 'fuzz' });
    await core.flush();
    const before = readFileSync(join(dataDir, 'state.json'), 'utf8');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMAND_NAMES), fc.oneof(fc.string(), fc.integer(), fc.array(fc.anything())), async (command, input) => {
        const result = await dispatch(command, input, { clientId: 'fuzz' });
        // A bare string, number or array is never a valid input object.
        expect(result.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
    // Whatever the refused inputs might have changed in memory would be written now.
    await core.flush();
    expect(readFileSync(join(dataDir, 'state.json'), 'utf8')).toBe(before);
  });

  it('refuses names outside the contract', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string().filter((s) => !(COMMAND_NAMES as string[]).includes(s)), async (name) => {
        const result = await dispatch(name, {}, { clientId: 'fuzz' });
        expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
      }),
      { numRuns: 200 },
    );
  });
});
