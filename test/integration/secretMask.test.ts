import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECRET_MASK, type LogChunk } from '../../src/shared/ipc';
import { useEngineCore } from '../support/core';
import { engineTargets, TEST_IMAGE } from '../support/engines';

// A job that prints its secret, whole and split across two writes with a sleep between (two
// chunks for certain): neither the log file, the events a client receives, what logs.read gives
// nor stdout.txt holds the value; the masked text shows SECRET_MASK.
const targets = await engineTargets();
const SECRET = 'tok-9f3Kq7ZxW2pL';

describe.each(targets)('secret masking on $kind', (target) => {
  const t = useEngineCore(target);

  it.skipIf(Boolean(target.missing))('masks a printed secret everywhere Jobdeck keeps or shows output', async () => {
    await t.call('queue.pause', {});
    const job = await t.call('jobs.create', {
      spec: {
        name: `mask-${target.kind}`,
        image: TEST_IMAGE,
        network: 'none',
        pullPolicy: 'Never',
        // The first half, a pause (a chunk of its own for certain), then the rest; and on stderr.
        command: 'echo "token=$API_TOKEN"; printf "split=%s" "${API_TOKEN%????????}"; sleep 1; echo "${API_TOKEN#????????} end"; echo "err $API_TOKEN" >&2',
        env: [{ name: 'API_TOKEN', value: SECRET, secret: true }],
      },
    });
    await t.call('logs.subscribe', { id: job.id });
    await t.call('queue.resume', {});
    const done = await t.waitFor(job.id);
    expect(done, done.message).toMatchObject({ status: 'completed', exitCode: 0 });

    const expected = `token=${SECRET_MASK}\nsplit=${SECRET_MASK} end\n`;
    // What a client received live.
    const live = () => t.events.flatMap((e) => (e.name === 'log.chunks' && e.payload.id === job.id ? e.payload.chunks : []));
    const liveText = (s: LogChunk['stream']) => live().filter((c) => c.stream === s).map((c) => c.data).join('');
    // Events come in batches (about every 30 ms): the last may follow the job's end.
    await expect.poll(() => liveText('stderr')).toBe(`err ${SECRET_MASK}\n`);
    expect(liveText('stdout')).toBe(expected);
    // What logs.read gives (the log pane after a reload, exports).
    const page = await t.call('logs.read', { id: job.id, maxBytes: 1 << 20 });
    expect(page.chunks.filter((c) => c.stream === 'stdout').map((c) => c.data).join('')).toBe(expected);
    // The files: the log and the plain-text artifacts.
    const logFile = readFileSync(join(t.dataDir, 'logs', job.id, '1.jsonl'), 'utf8');
    expect(logFile).not.toContain(SECRET);
    expect(logFile).not.toContain(SECRET.slice(8)); // the second half, printed on its own
    expect(logFile).toContain(SECRET_MASK);
    const stdout = readFileSync(join(t.dataDir, 'artifacts', job.id, '1', 'stdout.txt'), 'utf8');
    expect(stdout).toBe(expected);
    const everything = readdirSync(t.dataDir, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => readFileSync(join(f.parentPath, f.name), 'utf8'));
    for (const content of everything) expect(content).not.toContain(SECRET);
    expect(JSON.stringify(t.events)).not.toContain(SECRET);
  });
});
