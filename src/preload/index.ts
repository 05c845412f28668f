// The one narrow object the renderer gets (window.jobdeck): invoke a contract command, hear
// contract events, and (Electron >= 32) the path of a dropped file. No other channel exists.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  BRIDGE_GLOBAL,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  isCommandName,
  isEventName,
  type AppEvent,
  type Bridge,
  type Result,
} from '../shared/ipc';

const bridge: Bridge = {
  async invoke(command, input) {
    if (!isCommandName(command)) {
      return { ok: false, error: { code: 'UNKNOWN_COMMAND', message: `unknown command ${String(command)}` } };
    }
    return (await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, command, input)) as Result<unknown>;
  },
  onEvent(listener) {
    const handler = (_e: Electron.IpcRendererEvent, event: AppEvent) => {
      if (event && isEventName(event.name)) listener(event);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
  },
  pathForFile(file) {
    try {
      return webUtils.getPathForFile(file as File) || undefined;
    } catch {
      return undefined;
    }
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
