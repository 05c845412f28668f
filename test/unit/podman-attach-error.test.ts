import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { AttachErrorFilter } from '../../src/main/core/engines/attachError';
import { DockerExecutor } from '../../src/main/core/engines/executor';
import { FrameDemuxer, type FrameTarget } from '../../src/main/core/engines/logFrames';
import type { AttemptSink } from '../../src/main/core/engines/types';
import { spec } from '../support/fakes';

// Podman's attach may lose conmon's socket as a fast container exits and then writes its own
// error into the stream as a stderr frame (CI saw "Error: read unixpacket @->/proc/self/fd/13/
// attach: read: connection reset by peer" as the last line of a job's log, in its mail too).
const BROKE = 'Error: read unixpacket @->/proc/self/fd/13/attach: read: connection reset by peer\n';

const frame = (stream: 1 | 2, text: string): Buffer => {
  const body = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
};

function collector(): FrameTarget & { text: string } {
  const t = {
    text: '',
    push: (c: Buffer) => void (t.text += c.toString()),
    endOfEntry: () => undefined,
    end: () => undefined,
  };
  return t;
}

async function demux(frames: Buffer[]) {
  const out = collector();
  const err = collector();
  const filter = new AttachErrorFilter(err);
  const d = new FrameDemuxer(out, filter, () => undefined);
  await new Promise<void>((resolve) => d.end(Buffer.concat(frames), resolve));
  return { out: out.text, err: err.text, broke: filter.broke };
}

describe("Podman's attach error in the stream", () => {
  it('as the last frame: dropped from the log, kept as why the attach broke', async () => {
    const r = await demux([frame(1, 'line 1\n'), frame(2, 'warn\n'), frame(2, BROKE)]);
    expect(r).toEqual({ out: 'line 1\n', err: 'warn\n', broke: BROKE.trim() });
  });

  it("the program's own 'Error: …' lines, and that very text followed by more stderr, stay in order", async () => {
    expect(await demux([frame(2, 'Error: boom\n'), frame(1, 'x\n')])).toEqual({ out: 'x\n', err: 'Error: boom\n', broke: undefined });
    expect(await demux([frame(2, BROKE), frame(2, 'after\n')])).toEqual({ out: '', err: `${BROKE}after\n`, broke: undefined });
  });

  it('the executor reads from the engine\'s log what the broken attach did not send, each line once', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`);
    const live = new PassThrough();
    const stamp = (i: number) => `2026-12-02T04:06:0${Math.floor(i / 10)}.${String(i).padStart(9, '0')}Z `;
    const logsQueries: unknown[] = [];
    let status = 'created';
    const container = {
      id: 'c1',
      modem: {
        dial: (o: { options: unknown }, cb: (e: unknown, s: unknown) => void) => {
          logsQueries.push(o.options);
          const s = new PassThrough();
          s.end(Buffer.concat(lines.map((l, i) => frame(1, stamp(i) + l))));
          cb(null, s);
        },
      },
      attach: async () => live,
      start: async () => {
        status = 'exited';
        // Podman sent 20 lines, lost its socket, and said so in the stream.
        live.end(Buffer.concat([...lines.slice(0, 20).map((l) => frame(1, l)), frame(2, BROKE)]));
      },
      inspect: async () => ({ State: { Status: status, Running: false, ExitCode: 3, OOMKilled: false, Error: '', StartedAt: '', FinishedAt: '2026-12-02T04:06:03Z' } }),
      stats: async () => new PassThrough(),
      remove: async () => undefined,
    };
    const docker = { createContainer: async () => container, getContainer: () => container } as unknown as Docker;
    const executor = new DockerExecutor('podman', docker, { artifactsDir: () => '/nonexistent' });
    executor.kind = 'podman';
    const got: Record<string, string> = { stdout: '', stderr: '' };
    const sink: AttemptSink = { started: () => undefined, log: (stream, data) => void (got[stream] = (got[stream] ?? '') + data) };
    const outcome = await executor.start({ jobId: 'j1', attempt: 1, index: 0, spec: spec({ command: ['sh'] }), env: [], labels: {}, graceSeconds: 1 }, sink).done;
    expect(outcome).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(got.stdout).toBe(lines.join(''));
    expect(got.stderr).toBe('');
    expect(logsQueries).toEqual([expect.objectContaining({ follow: false, stdout: true, stderr: true })]);
  });
});
