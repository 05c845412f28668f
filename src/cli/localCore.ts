// The CLI's composition root: with no Jobdeck running on the data dir, the core runs in this
// process, holding the data dir's lock, for as long as the command needs it. It never arms cron
// schedules (a short-lived process must not fire them), and it answers on the local socket
// meanwhile, so a second `jobdeck` in another terminal talks to it instead of opening the files.
// The only file of src/cli that may import the core (eslint.config.js says so).
import { userInfo } from 'node:os';
import type { AppEvent } from '../shared/ipc';
import { createJobdeck } from '../main/core/jobdeck';
import { createDispatcher } from '../main/ipc/dispatch';
import { startSocket, type SocketHost } from '../main/socket/socketServer';
import type { Client, unwrap as Unwrap } from './client';
import { debug } from './debug';

/**
 * `unwrap` is the CLI's own: this file is bundled apart (bin/build-cli.mjs), and the errors it
 * throws must be the CommandFailed the commands look for, not a copy of the class.
 */
export async function startLocalCore(dataDir: string, unwrap: typeof Unwrap): Promise<Client> {
  const core = await createJobdeck({ dataDir, kind: 'cli', schedules: false });
  debug('core open');
  let socket: SocketHost | undefined;
  try {
    socket = await startSocket({ core, dataDir });
    core.setSocket(socket.path);
  } catch (error) {
    // Without it this command still works; only a second one at the same time cannot join.
    process.stderr.write(`jobdeck: the local socket could not start (${error instanceof Error ? error.message : String(error)})\n`);
  }
  const clientId = `cli-${process.pid}`;
  const ctx = { clientId, client: 'cli' as const, user: userInfo().username };
  const dispatch = createDispatcher(core.handlers, (command, error) =>
    process.stderr.write(`jobdeck: ${command} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`),
  );
  const listeners = new Set<(e: AppEvent) => void>();
  const off = core.onEvent(clientId, (e) => {
    for (const l of [...listeners]) l(e);
  });
  return {
    mode: 'local',
    async call(command, input) {
      return unwrap(command, await dispatch(command, input, ctx));
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      // Another `jobdeck` that joined keeps this core until it is done.
      await socket?.stopAccepting();
      debug(`closing: ${socket?.connections() ?? 0} other clients to wait for`);
      await socket?.idle();
      off();
      await core.flush();
      // Containers go on running; the next Jobdeck to open the data dir follows them again.
      await core.close({ stopRunning: false });
      debug('core closed');
    },
  };
}
