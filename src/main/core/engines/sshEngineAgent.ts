import { Agent, type AgentOptions } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import type * as Ssh2 from 'ssh2';
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';

// ssh2 is docker-modem's dependency, not one of ours: the copy docker-modem loads is loaded at
// run time, so the main bundle neither inlines it nor trips over its optional native addon.
const load = createRequire(import.meta.url);
const ssh2 = (): typeof Ssh2 => createRequire(load.resolve('docker-modem'))('ssh2') as typeof Ssh2;

/** The ssh client an agent logs in with (ssh2's Client; a test gives its own). */
export type SshClientFactory = () => Client;

/** OpenSSH's MaxSessions default: channels one ssh connection may hold open at once. */
export const OPENSSH_MAX_SESSIONS = 10;
/** Tries for one channel when a session refuses it or ends under it: each on another session. */
const TRIES = 3;

interface Session {
  conn: Promise<Client>;
  /** Channels open on it, or about to be (counted when picked, so calls at once spread out). */
  open: number;
  /** Channels this server allows on one connection, once it has refused one below the default. */
  limit: number;
  dead: boolean;
}

/**
 * An http.Agent whose connections are `docker system dial-stdio` channels on as few ssh sessions
 * as the server allows. docker-modem's own ssh mode opens a new ssh session (handshake, login, a
 * process on the far side) for every API call, which a probe every few seconds and a log follow
 * per job turn into a storm on a busy host. sshd allows MaxSessions (10) channels on one
 * connection and refuses the next: a session at that limit is left as it is (its channels are
 * running jobs' streams) and the next channel opens on another.
 */
export class SshDialAgent extends Agent {
  private readonly sessions = new Set<Session>();
  private limit = OPENSSH_MAX_SESSIONS;

  constructor(
    private readonly config: ConnectConfig,
    options: AgentOptions = {},
    private readonly newClient: SshClientFactory = () => new (ssh2().Client)(),
  ) {
    // Kept alive: one dial-stdio channel (one docker CLI process on the far side, which takes a
    // while to start) serves call after call. Idle ones are kept for as many calls at once as a
    // queue of jobs makes, not without bound: each is a process there and one of a session's channels.
    super({ keepAlive: true, maxFreeSockets: 8, ...options });
  }

  /** ssh connections open or opening. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  // Node's Agent calls this for each new socket; the channel stands in for the socket.
  override createConnection(_options: unknown, callback: (error: Error | null, socket?: Duplex) => void): undefined {
    this.channel(1).then(
      (socket) => callback(null, socket),
      (error: Error) => callback(error),
    );
    return undefined;
  }

  override destroy(): void {
    for (const s of [...this.sessions]) this.end(s);
    super.destroy();
  }

  private async channel(attempt: number): Promise<Duplex> {
    const s = this.pick();
    s.open++;
    let channel: ClientChannel;
    try {
      const conn = await s.conn;
      channel = await new Promise<ClientChannel>((resolve, reject) => {
        try {
          conn.exec('docker system dial-stdio', (error, ch) => (error ? reject(error) : resolve(ch)));
        } catch (error) {
          // ssh2 throws "Not connected" when the session ended between the pick and now.
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    } catch (error) {
      s.open--;
      const message = error instanceof Error ? error.message : String(error);
      const refused = /Channel open failure/i.test(message) && s.open > 0;
      if (refused) {
        // The server's MaxSessions is below the default: this session holds what it may.
        s.limit = s.open;
        this.limit = Math.min(this.limit, s.open);
      }
      const gone = s.dead || /Not connected/i.test(message);
      if (gone) this.end(s);
      if ((refused || gone) && attempt < TRIES) return this.channel(attempt + 1);
      throw error;
    }
    channel.once('close', () => {
      s.open--;
      // A spare session with nothing left on it goes; the last one stays for the next call.
      if (s.open === 0 && this.sessions.size > 1) this.end(s);
    });
    // A kept-alive connection is parked and picked up again by the Agent, which tunes it as a
    // TCP socket; a channel has no such knobs, so those calls are no-ops on it.
    const socket: Duplex = Object.assign(channel, {
      setKeepAlive: () => socket,
      setNoDelay: () => socket,
      setTimeout: () => socket,
      ref: () => socket,
      unref: () => socket,
    });
    return socket;
  }

  /** A session with room for one more channel, logging in again when none has. */
  private pick(): Session {
    for (const s of this.sessions) if (!s.dead && s.open < Math.min(s.limit, this.limit)) return s;
    const s: Session = { conn: Promise.resolve(undefined as never), open: 0, limit: this.limit, dead: false };
    s.conn = new Promise<Client>((resolve, reject) => {
      const conn = this.newClient();
      const drop = () => {
        s.dead = true;
        this.sessions.delete(s);
      };
      conn.once('ready', () => resolve(conn));
      conn.once('error', (error) => {
        drop();
        reject(error);
      });
      conn.once('close', drop);
      conn.connect(this.config);
    });
    // Its failure is told to the calls waiting on it; nothing else waits.
    s.conn.catch(() => undefined);
    this.sessions.add(s);
    return s;
  }

  private end(s: Session): void {
    s.dead = true;
    this.sessions.delete(s);
    void s.conn.then(
      (c) => c.end(),
      () => undefined,
    );
  }
}
