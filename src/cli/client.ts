// The CLI's side of the local socket: one connection, the contract's commands and events, one
// JSON message per line (src/shared/socket.ts). The same shape for a CLI-started core in this
// process (localCore.ts), so the commands do not care which they talk to.
import { connect, type Socket } from 'node:net';
import type { AppEvent, CommandInput, CommandName, CommandOutput, Result } from '../shared/ipc';
import type { WsServerMessage } from '../shared/wsProtocol';
import type { WireError } from '../shared/errors';
import { SOCKET_MAX_LINE } from '../shared/socket';

/** A command the app refused: its typed error, for the message and exit code 1. */
export class CommandFailed extends Error {
  constructor(
    readonly command: CommandName,
    readonly error: WireError,
  ) {
    super(error.message);
    this.name = 'CommandFailed';
  }
}

export interface Client {
  call<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** 'app' when it reaches a running Jobdeck, 'local' for a core in this process. */
  readonly mode: 'app' | 'local';
  close(): Promise<void>;
}

/**
 * The contract, loaded when the first result is checked: its schemas are most of what the CLI
 * evaluates, and `run` has sent its job by then, so they load while the job starts.
 */
const contract = () => import('../shared/ipc');

/** Turn an envelope into the value (checked against the contract's output) or a CommandFailed. */
export async function unwrap<C extends CommandName>(command: C, result: Result<unknown>): Promise<CommandOutput<C>> {
  if (!result.ok) throw new CommandFailed(command, result.error);
  return (await contract()).commands[command].output.parse(result.value) as CommandOutput<C>;
}

/** Connect and wait for the host's `ready`; rejects with the socket's error (ENOENT, ECONNREFUSED). */
export function connectSocket(path: string, onLost: (why: string) => void = () => undefined): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(path);
    let ready = false;
    let next = 1;
    const pending = new Map<number, (r: Result<unknown>) => void>();
    const listeners = new Set<(e: AppEvent) => void>();
    let buffer = '';
    let closing = false;
    socket.setEncoding('utf8');
    socket.once('error', (error) => {
      if (!ready) reject(error);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const lost: Result<unknown> = { ok: false, error: { code: 'INTERNAL', message: 'the connection to Jobdeck was lost' } };
      for (const p of pending.values()) p(lost);
      pending.clear();
      if (ready && !closing) onLost('the connection to Jobdeck was lost');
    });
    socket.on('data', (text: string) => {
      buffer += text;
      if (buffer.length > SOCKET_MAX_LINE) return void socket.destroy();
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const m = JSON.parse(line) as WsServerMessage;
        if (m.type === 'ready' && !ready) {
          ready = true;
          // Who we are, for the audit trail: the app counts any other socket client as 'api'.
          socket.write(`${JSON.stringify({ type: 'hello', client: 'cli' })}\n`);
          resolve(client);
        } else if (m.type === 'result') {
          pending.get(m.id)?.(m.result);
          pending.delete(m.id);
        } else if (m.type === 'event') {
          for (const l of [...listeners]) l(m.event);
        }
      }
    });
    const client: Client = {
      mode: 'app',
      async call(command, input) {
        const id = next++;
        const result = await new Promise<Result<unknown>>((done) => {
          pending.set(id, done);
          socket.write(`${JSON.stringify({ type: 'invoke', id, command, input })}\n`);
        });
        return unwrap(command, result);
      },
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close() {
        closing = true;
        // Done once what we wrote has left (the end's callback): waiting for the app to close its
        // side too would cost a turn of its event loop before the command can exit.
        return new Promise<void>((done) => {
          if (socket.destroyed || socket.writableFinished) return done();
          socket.end(() => done());
        });
      },
    };
  });
}
