import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { PassThrough } from 'node:stream';
import type { Client } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { OPENSSH_MAX_SESSIONS, SshDialAgent } from '../../src/main/core/engines/sshEngineAgent';

/** An sshd seen through ssh2's Client: at most `maxSessions` channels per connection, as OpenSSH. */
class FakeServer {
  readonly clients: FakeClient[] = [];
  constructor(readonly maxSessions = OPENSSH_MAX_SESSIONS) {}
  client = (): Client => {
    const c = new FakeClient(this.maxSessions);
    this.clients.push(c);
    return c as unknown as Client;
  };
  get live(): FakeClient[] {
    return this.clients.filter((c) => c.connected);
  }
}

class FakeClient extends EventEmitter {
  connected = false;
  readonly channels = new Set<PassThrough>();
  constructor(private readonly maxSessions: number) {
    super();
  }
  connect(): void {
    setImmediate(() => {
      this.connected = true;
      this.emit('ready');
    });
  }
  exec(_cmd: string, cb: (error: Error | undefined, ch?: PassThrough) => void): void {
    if (!this.connected) throw new Error('Not connected');
    if (this.channels.size >= this.maxSessions) return void setImmediate(() => cb(new Error('(SSH) Channel open failure: open failed')));
    const ch = new PassThrough();
    this.channels.add(ch);
    ch.once('close', () => this.channels.delete(ch));
    setImmediate(() => cb(undefined, ch));
  }
  end(): void {
    if (!this.connected) return;
    this.connected = false;
    for (const ch of this.channels) ch.destroy();
    this.emit('close');
  }
}

const open = (agent: SshDialAgent) =>
  new Promise<Duplex>((resolve, reject) => agent.createConnection({}, (error, socket) => (error ? reject(error) : resolve(socket!))));

describe('SshDialAgent: dial-stdio channels over as few ssh sessions as sshd allows', () => {
  it('more channels at once than MaxSessions: every one opens, the rest on a second session, none refused', async () => {
    const server = new FakeServer();
    const agent = new SshDialAgent({}, {}, server.client);
    const sockets = await Promise.all(Array.from({ length: 14 }, () => open(agent)));
    expect(sockets).toHaveLength(14);
    expect(server.clients.map((c) => c.channels.size)).toEqual([10, 4]);
    agent.destroy();
    await new Promise((r) => setImmediate(r));
    expect(server.live).toHaveLength(0);
  });

  it('a server with a lower MaxSessions: the refused channel opens elsewhere, and the limit is learned', async () => {
    const server = new FakeServer(3);
    const agent = new SshDialAgent({}, {}, server.client);
    const first = await Promise.all(Array.from({ length: 5 }, () => open(agent)));
    expect(first).toHaveLength(5);
    // No session was ended under its open channels.
    expect(first.every((s) => !s.destroyed)).toBe(true);
    const before = server.clients.length;
    await Promise.all(Array.from({ length: 3 }, () => open(agent)));
    // Learned: no channel refused again, so the 8 sit 3 + 3 + 2 (the first sessions' spares filled first).
    expect(server.live.map((c) => c.channels.size).sort()).toEqual([2, 3, 3]);
    expect(server.clients.length - before).toBeLessThanOrEqual(1);
    agent.destroy();
  });

  it('a session that ended between the pick and the exec: the call logs in again instead of hanging', async () => {
    const server = new FakeServer();
    const agent = new SshDialAgent({}, {}, server.client);
    (await open(agent)).destroy();
    const [c] = server.clients;
    // The connection drops without telling (no close yet): exec throws "Not connected".
    c!.connected = false;
    const socket = await open(agent);
    expect(socket.destroyed).toBe(false);
    expect(server.live).toHaveLength(1);
    expect(server.clients).toHaveLength(2);
    agent.destroy();
  });

  it('a spare session goes once its last channel closes; the last session stays for the next call', async () => {
    const server = new FakeServer(2);
    const agent = new SshDialAgent({}, {}, server.client);
    const [a, b, c] = await Promise.all([open(agent), open(agent), open(agent)]);
    expect(server.live).toHaveLength(2);
    c!.destroy();
    await new Promise((r) => setImmediate(r));
    expect(server.live).toHaveLength(1);
    a!.destroy();
    b!.destroy();
    await new Promise((r) => setImmediate(r));
    expect(server.live).toHaveLength(1);
    expect(agent.sessionCount).toBe(1);
    agent.destroy();
  });

  it('a login that fails is told to every call waiting on it, and the next call tries again', async () => {
    let fail = true;
    const server = new FakeServer();
    const agent = new SshDialAgent({}, {}, () => {
      const c = server.client() as unknown as FakeClient;
      if (fail) c.connect = () => setImmediate(() => c.emit('error', new Error('All configured authentication methods failed')));
      return c as unknown as Client;
    });
    const failures = await Promise.allSettled([open(agent), open(agent)]);
    expect(failures.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    expect(String((failures[0] as PromiseRejectedResult).reason)).toMatch(/authentication methods failed/);
    fail = false;
    expect((await open(agent)).destroyed).toBe(false);
    agent.destroy();
  });

  it('a channel the server refuses with nothing open on the session is a failure, not a retry', async () => {
    const server = new FakeServer(0);
    const agent = new SshDialAgent({}, {}, server.client);
    await expect(open(agent)).rejects.toThrow(/Channel open failure/);
    expect(server.clients).toHaveLength(1);
    agent.destroy();
  });
});
