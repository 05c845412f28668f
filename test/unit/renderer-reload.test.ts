// The window's reload (at start and after a reconnect): five answers that come at different
// times, and events between them, as the host sends them on one channel.
import { describe, expect, it } from 'vitest';
import type { EngineInfo } from '../../src/shared/engine';
import { reloadAll, type Reloaded } from '../../src/renderer/src/store/reload';

const engine = (running: number) => ({ id: 'docker', kind: 'docker', host: 'unix:///var/run/docker.sock', source: 'socket', status: 'available', checkedAt: '2026-12-02T04:00:00.000Z', running }) as EngineInfo;
const nextMessage = () => new Promise<void>((r) => setImmediate(r));

describe('the window after a reload', () => {
  it('keeps an engine event that came after the engines answer and before the slower answers', async () => {
    const answers = new Map<string, (value: unknown) => void>();
    let state: Partial<Reloaded> = {};
    const set = (part: Partial<Reloaded>) => void (state = { ...state, ...part });
    const invoke = ((command: string) => new Promise<unknown>((resolve) => answers.set(command, resolve))) as unknown as Parameters<typeof reloadAll>[0];
    const reloaded = reloadAll(invoke, set);
    answers.get('engines.list')!([engine(0)]);
    await nextMessage();
    // A job starts on the engine: its running count, announced after the list was answered (the
    // store's engine.status listener).
    set({ engines: [engine(1)] });
    await nextMessage();
    answers.get('queue.state')!({ paused: false, running: 1, pending: 0, concurrency: 3 });
    answers.get('settings.get')!({});
    answers.get('templates.list')!([]);
    answers.get('jobs.list')!({ items: [{ id: 'j1' }], total: 1 });
    await reloaded;
    expect(state.engines!.map((e) => e.running)).toEqual([1]);
    expect(Object.keys(state.active!)).toEqual(['j1']);
    expect(state.queue).toMatchObject({ running: 1 });
  });
});
