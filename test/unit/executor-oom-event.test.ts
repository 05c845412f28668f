import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { DockerExecutor } from '../../src/main/core/engines/executor';
import { oomKillAnnounced } from '../../src/main/core/engines/oomEvent';
import type { AttemptSink } from '../../src/main/core/engines/types';
import { spec } from '../support/fakes';

// Docker 20.10 sets State.OOMKilled only when containerd's OOM event reaches it before the exit
// event. Under load the OOM event is often second (`docker events`: create, start, die, oom; 5 of
// 40 memory-limit kills here, 14 of 60 with four at once): the container exits 137, its state says
// OOMKilled false for good, and the `oom` event follows. (CI: "OOMKilled comes from the container
// status" once ended Error/137.)

/** One container that exits 137 with OOMKilled false; the engine's `oom` event after `oomAfterMs` (or never). */
function fakeEngine(oomAfterMs: number | null) {
  const live = new PassThrough();
  const queries: Record<string, unknown>[] = [];
  let exit!: () => void;
  const exited = new Promise<void>((r) => (exit = r));
  let status: 'created' | 'running' | 'exited' = 'created';
  const container = {
    id: 'c-oom',
    attach: async () => live,
    start: async () => {
      status = 'running';
      // The kernel kills it at once; the output ends with it.
      setTimeout(() => {
        status = 'exited';
        live.end();
        exit();
      }, 10);
    },
    stop: async () => undefined,
    wait: async () => (await exited, { StatusCode: 137 }),
    inspect: async () => ({ State: { Status: status, Running: status === 'running', ExitCode: 137, OOMKilled: false, Error: '', StartedAt: new Date().toISOString(), FinishedAt: new Date().toISOString() } }),
    stats: async () => new PassThrough(),
    remove: async () => undefined,
  };
  const getEvents = async (query: Record<string, unknown>) => {
    queries.push(query);
    const events = new PassThrough();
    if (oomAfterMs === null) setTimeout(() => events.end(), 20);
    else setTimeout(() => events.write(JSON.stringify({ status: 'oom', id: 'c-oom', Type: 'container', Action: 'oom', Actor: { ID: 'c-oom' } }) + '\n'), oomAfterMs);
    return events;
  };
  const docker = { createContainer: async () => container, getContainer: () => container, getEvents } as unknown as Docker;
  return { docker, queries };
}

const sink = (): AttemptSink => ({ started: () => undefined, log: () => undefined });
const request = { jobId: 'j1', attempt: 1, index: 0, spec: spec({ command: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'], limits: { memory: '16Mi' } }), env: [], labels: {}, graceSeconds: 1 };

function run(docker: Docker, kind: 'docker' | 'podman' = 'docker') {
  const executor = new DockerExecutor('docker-local', docker, { artifactsDir: () => '/nonexistent' });
  executor.kind = kind;
  return executor.start(request, sink());
}

describe('executor: an OOM kill the container state does not record', () => {
  it('is OOMKilled when the engine\'s oom event comes after the exit', async () => {
    const e = fakeEngine(150);
    const outcome = await run(e.docker).done;
    expect(outcome).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(e.queries[0]).toMatchObject({ filters: { container: ['c-oom'], event: ['oom'] } });
  });

  it('stays Error when no oom event comes (a SIGKILL of another kind)', async () => {
    const e = fakeEngine(null);
    const outcome = await run(e.docker).done;
    expect(outcome).toMatchObject({ exitCode: 137, reason: 'Error' });
  });

  it('on Podman (no oom events in its compat API) no oom is asked for and nothing waited for', async () => {
    const e = fakeEngine(null);
    const outcome = await run(e.docker, 'podman').done;
    expect(outcome).toMatchObject({ exitCode: 137, reason: 'Error' });
    // Only the engine's one stream of exits (exitEvents.ts), opened before the first container.
    expect(e.queries).toEqual([{ filters: { type: ['container'], event: ['died'] } }]);
  });

  it('asks the engine\'s events from the container\'s start to a moment from now', async () => {
    const e = fakeEngine(null);
    const started = '2026-12-02T07:00:05.5Z';
    const before = Date.now();
    await oomKillAnnounced(e.docker, 'c-oom', started, 500);
    const q = e.queries[0] as { since: number; until: string };
    expect(q.since).toBe(Date.parse('2026-12-02T07:00:05Z') / 1000 - 1);
    expect(Number(q.until) * 1000).toBeGreaterThanOrEqual(before + 500);
  });

  it('an engine that cannot give events: not an OOM kill, no wait', async () => {
    const docker = { getEvents: async () => Promise.reject(new Error('no events here')) } as unknown as Docker;
    await expect(oomKillAnnounced(docker, 'c', undefined)).resolves.toBe(false);
  });
});
