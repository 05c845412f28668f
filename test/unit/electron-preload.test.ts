// The preload against a stand-in for Electron's modules: what the renderer can reach is exactly
// the contract's commands and events over the two contract channels, nothing else.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_GLOBAL, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type AppEvent, type Bridge } from '../../src/shared/ipc';

const exposed = new Map<string, unknown>();
const invoked: unknown[][] = [];
const listeners = new Map<string, ((...args: unknown[]) => void)[]>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      invoked.push(args);
      return { ok: true, value: [] };
    },
    on: (channel: string, fn: (...args: unknown[]) => void) => listeners.set(channel, [...(listeners.get(channel) ?? []), fn]),
    removeListener: (channel: string, fn: (...args: unknown[]) => void) =>
      listeners.set(channel, (listeners.get(channel) ?? []).filter((f) => f !== fn)),
  },
  webUtils: { getPathForFile: () => '/home/me/template.yaml' },
}));

let bridge: Bridge;
beforeAll(async () => {
  await import('../../src/preload/index');
  bridge = exposed.get(BRIDGE_GLOBAL) as Bridge;
});

describe('preload: the one narrow bridge', () => {
  it('exposes one global with invoke, onEvent and pathForFile, and nothing of ipcRenderer', () => {
    expect([...exposed.keys()]).toEqual([BRIDGE_GLOBAL]);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onEvent', 'pathForFile']);
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
  });

  it('passes a contract command on the invoke channel only', async () => {
    invoked.length = 0;
    expect(await bridge.invoke('templates.list', {})).toEqual({ ok: true, value: [] });
    expect(invoked).toEqual([[IPC_INVOKE_CHANNEL, 'templates.list', {}]]);
  });

  it('refuses any name the contract does not have, before it reaches the main process', async () => {
    invoked.length = 0;
    for (const name of ['fs.readFile', 'shell.openExternal', '__proto__', 'constructor', 'toString', 'templates.list ', 'TEMPLATES.LIST', '']) {
      const r = await bridge.invoke(name as never, {});
      expect(r, name).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    }
    expect(invoked).toEqual([]);
  });

  it('delivers only contract events from the event channel, and unsubscribes', () => {
    expect([...listeners.keys()]).toEqual([]);
    const got: AppEvent[] = [];
    const off = bridge.onEvent((e) => got.push(e));
    expect([...listeners.keys()]).toEqual([IPC_EVENT_CHANNEL]);
    const send = (event: unknown) => listeners.get(IPC_EVENT_CHANNEL)!.forEach((fn) => fn({}, event));
    send({ name: 'queue.state', payload: { paused: false, running: 0, pending: 0, concurrency: 2 } });
    send({ name: 'not.in.contract', payload: {} });
    send(null);
    expect(got.map((e) => e.name)).toEqual(['queue.state']);
    off();
    expect(listeners.get(IPC_EVENT_CHANNEL)).toEqual([]);
  });

  it('turns a dropped file into its path, and anything else into undefined', () => {
    expect(bridge.pathForFile?.({})).toBe('/home/me/template.yaml');
  });
});
