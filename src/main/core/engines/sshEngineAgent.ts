import { Agent, type AgentOptions } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import type * as Ssh2 from 'ssh2';
import type { Client, ConnectConfig } from 'ssh2';

// ssh2 is docker-modem's dependency, not one of ours: the copy docker-modem loads is loaded at
// run time, so the main bundle neither inlines it nor trips over its optional native addon.
const load = createRequire(import.meta.url);
const ssh2 = (): typeof Ssh2 => createRequire(load.resolve('docker-modem'))('ssh2') as typeof Ssh2;

/**
 * An http.Agent whose connections are `docker system dial-stdio` channels on ONE ssh session,
 * opened on first use and again after it drops. docker-modem's own ssh mode opens a new ssh
 * session (handshake, login, a process on the far side) for every API call, which a probe every
 * few seconds and a log follow per job turn into a storm on a busy host.
 */
export class SshDialAgent extends Agent {
  private session: Promise<Client> | undefined;

  constructor(private readonly config: ConnectConfig, options: AgentOptions = {}) {
    // Kept alive: one dial-stdio channel (one docker CLI process on the far side) serves call after call.
    super({ keepAlive: true, ...options });
  }

  private connect(): Promise<Client> {
    this.session ??= new Promise<Client>((resolve, reject) => {
      const conn = new (ssh2().Client)();
      const drop = () => {
        if (this.session === current) this.session = undefined;
      };
      conn.once('ready', () => resolve(conn));
      conn.once('error', (error) => {
        drop();
        reject(error);
      });
      conn.once('close', drop);
      conn.connect(this.config);
    });
    const current = this.session;
    return current;
  }

  // Node's Agent calls this for each new socket; the channel stands in for the socket.
  override createConnection(_options: unknown, callback: (error: Error | null, socket?: Duplex) => void): undefined {
    this.connect().then(
      (conn) =>
        conn.exec('docker system dial-stdio', (error, channel) => {
          if (error) {
            // A session that cannot open channels any more is dropped: the next call logs in again.
            this.session = undefined;
            conn.end();
            callback(error);
            return;
          }
          // A kept-alive connection is parked and picked up again by the Agent, which tunes it as a
          // TCP socket; a channel has no such knobs, so those calls are no-ops on it.
          const socket = Object.assign(channel, {
            setKeepAlive: () => socket,
            setNoDelay: () => socket,
            setTimeout: () => socket,
            ref: () => socket,
            unref: () => socket,
          });
          callback(null, socket);
        }),
      (error: Error) => callback(error),
    );
    return undefined;
  }

  override destroy(): void {
    const s = this.session;
    this.session = undefined;
    void s?.then((c) => c.end(), () => undefined);
    super.destroy();
  }
}
