import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ExitEvents } from '../../src/main/core/engines/exitEvents';

// Podman's exits from its 'die' events (its wait answers 0.3–0.5 s late): one stream per engine,
// an event that came before it was asked for still answers, a missed one gives way to an inspect.
const die = (id: string, code: number, ns = 1796195835494023400) =>
  `${JSON.stringify({ status: 'die', id, Type: 'container', Action: 'die', Actor: { ID: id, Attributes: { exitCode: String(code), name: 'x' } }, time: Math.floor(ns / 1e9), timeNano: ns })}\n`;

function engine() {
  const streams: PassThrough[] = [];
  let asked = 0;
  const docker = {
    getEvents: async (opts: unknown) => {
      asked++;
      expect(opts).toEqual({ filters: { type: ['container'], event: ['died'] } });
      const s = new PassThrough();
      streams.push(s);
      return s;
    },
  };
  return { exits: new ExitEvents(docker as never), streams, asked: () => asked };
}

describe('container exits as the engine announces them', () => {
  it('an exit asked for before its event, and one whose event came first, cut across chunks', async () => {
    const { exits, streams, asked } = engine();
    await exits.ready();
    await exits.ready();
    expect(asked()).toBe(1);
    const waiting = exits.exitOf('aaa', 5_000);
    const line = die('bbb', 3) + die('aaa', 0);
    streams[0]!.write(line.slice(0, 40));
    streams[0]!.write(line.slice(40));
    await expect(waiting).resolves.toEqual({ exitCode: 0, finishedAt: '2026-12-02T07:17:15.494Z' });
    await expect(exits.exitOf('bbb', 5_000)).resolves.toMatchObject({ exitCode: 3 });
    exits.close();
  });

  it('no event in time: undefined (the caller waits); the stream stays for the next exits', async () => {
    const { exits, streams, asked } = engine();
    await exits.ready();
    await expect(exits.exitOf('ccc', 20)).resolves.toBeUndefined();
    await exits.ready();
    expect(asked()).toBe(1);
    streams[0]!.write(die('ddd', 42));
    await expect(exits.exitOf('ddd', 1_000)).resolves.toMatchObject({ exitCode: 42 });
    exits.close();
    expect(streams[0]!.destroyed).toBe(true);
  });

  it('an inspect that finds the container still running takes the announced exit instead of a wait and a second inspect', async () => {
    const { exitedState } = await import('../../src/main/core/engines/containerState');
    const calls: string[] = [];
    const running = { Status: 'running', Running: true, ExitCode: 0, OOMKilled: false, Error: '', StartedAt: '2026-12-02T07:00:00Z', FinishedAt: '0001-01-01T00:00:00Z' };
    const exitedNow = { ...running, Status: 'exited', Running: false, ExitCode: 137, FinishedAt: '2026-12-02T07:00:01Z' };
    const container = (after: typeof running) => ({
      inspect: async () => (calls.push('inspect'), { State: calls.includes('wait') ? after : running }),
      wait: async () => (calls.push('wait'), { StatusCode: after.ExitCode }),
    });
    const state = await exitedState(container(exitedNow) as never, false, async () => ({ exitCode: 3, finishedAt: '2026-12-02T07:00:01.000Z' }));
    expect(state).toMatchObject({ Status: 'exited', Running: false, ExitCode: 3, FinishedAt: '2026-12-02T07:00:01.000Z' });
    expect(calls).toEqual(['inspect']);
    // 137 may be an OOM kill: only the engine's inspect says, after its wait.
    calls.length = 0;
    const killed = await exitedState(container(exitedNow) as never, false, async () => ({ exitCode: 137, finishedAt: '2026-12-02T07:00:01.000Z' }));
    expect(killed.ExitCode).toBe(137);
    expect(calls).toEqual(['inspect', 'wait', 'inspect']);
    // No event: as before, a wait and an inspect.
    calls.length = 0;
    await exitedState(container(exitedNow) as never, false, async () => undefined);
    expect(calls).toEqual(['inspect', 'wait', 'inspect']);
  });

  it('a stream that ended, or an engine that refused the events, answers undefined at once', async () => {
    const { exits, streams } = engine();
    await exits.ready();
    streams[0]!.end();
    streams[0]!.resume();
    await new Promise((r) => streams[0]!.once('end', r));
    await expect(exits.exitOf('ddd', 60_000)).resolves.toBeUndefined();
    const refused = new ExitEvents({ getEvents: () => Promise.reject(new Error('no events here')) } as never);
    await refused.ready();
    await expect(refused.exitOf('eee', 60_000)).resolves.toBeUndefined();
  });

  it('other events and lines that do not parse are passed over', async () => {
    const { exits, streams } = engine();
    await exits.ready();
    const waiting = exits.exitOf('fff', 5_000);
    streams[0]!.write('not json\n{"Action":"start","Actor":{"ID":"fff","Attributes":{}}}\n');
    streams[0]!.write(die('fff', 7));
    await expect(waiting).resolves.toMatchObject({ exitCode: 7 });
    exits.close();
  });
});
