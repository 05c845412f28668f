import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { startHeadless } from '../src/main/headless/server';
import type { WsServerMessage } from '../src/shared/wsProtocol';
import { startCore } from '../test/support/core';
import { clientFor, engineTargets, ensureTestImage, TEST_IMAGE, type EngineTarget } from '../test/support/engines';
import { report, SMOKE, type Figure } from './report';

// Time to the first line: from `jobs.create` sent by a client of the headless host (over its
// WebSocket, as the log pane in a browser talks to it) until that client holds the container's
// first line of output, against `docker run` / `podman run` printing the same line, same image,
// same engine, rounds alternated. The client does what the pane does: subscribes to the job's
// output once it has the id, reads the log by range, and reads again when the job ends.
const ROUNDS = SMOKE ? 3 : 15;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

class WsClient {
  private next = 1;
  private readonly waiting = new Map<number, (r: { ok: boolean; value?: unknown; error?: { message: string } }) => void>();
  onEvent: (e: { name: string; payload: unknown }) => void = () => undefined;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as WsServerMessage;
      if (m.type === 'result') this.waiting.get(m.id)?.(m.result as never);
      else if (m.type === 'event') this.onEvent(m.event as { name: string; payload: unknown });
    });
  }

  static open(url: string): Promise<WsClient> {
    const ws = new WebSocket(url.replace(/^http/, 'ws').replace('/?', '/ws?'));
    return new Promise((resolve, reject) => {
      ws.once('error', reject);
      ws.once('message', (raw) => {
        if ((JSON.parse(String(raw)) as WsServerMessage).type === 'ready') resolve(new WsClient(ws));
        else reject(new Error('the host did not say ready'));
      });
    });
  }

  invoke<T>(command: string, input: unknown): Promise<T> {
    const id = this.next++;
    this.ws.send(JSON.stringify({ type: 'invoke', id, command, input }));
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (r) => {
        this.waiting.delete(id);
        if (r.ok) resolve(r.value as T);
        else reject(new Error(r.error?.message ?? `${command} failed`));
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}

interface LogPageish {
  chunks: { data: string }[];
}

/** One job through the host: ms from sending jobs.create until the marker is in the client's hands. */
async function throughJobdeck(client: WsClient, engine: string, marker: string): Promise<number> {
  let seenAt: number | undefined;
  let ended = false;
  /** The job's id, once jobs.create has answered (events before that are not this job's). */
  const job: { id?: string } = {};
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const check = () => {
    if (seenAt !== undefined && ended) resolveDone();
  };
  const see = (text: string) => {
    if (seenAt === undefined && text.includes(marker)) seenAt = performance.now();
    check();
  };
  const read = () => void client.invoke<LogPageish>('logs.read', { id: job.id, offset: 0, maxBytes: 65536, merge: true }).then((p) => see(p.chunks.map((c) => c.data).join('')));
  client.onEvent = (e) => {
    const p = e.payload as { id?: string; status?: string; chunks?: { data: string }[] };
    if (p.id === undefined || p.id !== job.id) return;
    if (e.name === 'log.chunks') see((p.chunks ?? []).map((c) => c.data).join(''));
    if (e.name === 'job.updated' && ['completed', 'failed', 'cancelled'].includes(p.status ?? '')) {
      ended = true;
      // The pane's last read by range, for what no event brought.
      if (seenAt === undefined) read();
      check();
    }
  };
  const t0 = performance.now();
  const created = await client.invoke<{ id: string }>('jobs.create', {
    spec: { name: 'bench-first-line', image: TEST_IMAGE, command: `echo ${marker}`, network: 'none', pullPolicy: 'Never', engine },
  });
  job.id = created.id;
  await client.invoke('logs.subscribe', { id: job.id });
  read();
  await done;
  return seenAt! - t0;
}

/** The CLI: ms from spawning `<cli> run --rm` until its stdout holds the marker. */
function throughCli(cli: string[], env: NodeJS.ProcessEnv, marker: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(cli[0]!, [...cli.slice(1), 'run', '--rm', '--init', '--network', 'none', TEST_IMAGE, 'sh', '-c', `echo ${marker}`], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let at: number | undefined;
    p.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (at === undefined && out.includes(marker)) at = performance.now();
    });
    p.on('exit', (code) => (code === 0 && at !== undefined ? resolve(at - t0) : reject(new Error(`${cli.join(' ')} run exited ${code}`))));
  });
}

function cliOf(target: EngineTarget): { cli: string[]; env: NodeJS.ProcessEnv } {
  return target.kind === 'docker'
    ? { cli: ['docker'], env: { ...process.env, DOCKER_HOST: target.host } }
    : { cli: ['podman', '--remote'], env: { ...process.env, CONTAINER_HOST: target.host, CONTAINERS_CONF: process.env.CONTAINERS_CONF ?? '/tmp/jobdeck-engines/containers.conf' } };
}

const targets = (await engineTargets()).filter((t) => !t.missing);

describe('bench: time to the first line', () => {
  it.each(targets)('$kind: jobs.create to the first line at a WebSocket client, against `run`', async (target) => {
    await ensureTestImage(clientFor(target.host));
    const core = await startCore(target, { engineProbeIntervalMs: 5000 });
    const host = await startHeadless({ core: core.core, staticDir: mkdtempSync(join(tmpdir(), 'bench-static-')), port: 0 });
    const client = await WsClient.open(host.url);
    const { cli, env } = cliOf(target);
    const jobdeck: number[] = [];
    const run: number[] = [];
    try {
      // A first one of each, not counted: the image's first use and the host's first job.
      await throughJobdeck(client, target.kind, 'warm-up');
      await throughCli(cli, env, 'warm-up');
      for (let i = 0; i < ROUNDS; i++) {
        const marker = `first-line-${i}`;
        // Alternated, so a busy moment of the machine falls on both sides alike.
        if (i % 2) run.push(await throughCli(cli, env, marker));
        jobdeck.push(await throughJobdeck(client, target.kind, marker));
        if (!(i % 2)) run.push(await throughCli(cli, env, marker));
      }
    } finally {
      client.close();
      await host.close();
      await core.close();
    }
    expect(jobdeck).toHaveLength(ROUNDS);
    const ours = median(jobdeck);
    const theirs = median(run);
    console.log(`${target.kind} first line: Jobdeck ${jobdeck.map((x) => x.toFixed(0)).join(' ')} ms; ${cli.join(' ')} run ${run.map((x) => x.toFixed(0)).join(' ')} ms`);
    const figures: Figure[] = [
      {
        bench: 'first-line',
        engine: target.kind,
        name: `jobs.create to the first line at the client (median of ${ROUNDS})`,
        value: ours,
        unit: 'ms',
        baseline: { name: `${target.kind} run printing it`, value: theirs },
        ratio: ours / theirs,
        target: '≤ 1.00 × run',
        met: ours <= theirs,
      },
    ];
    report(`first-line-${target.kind}`, figures);
  });
});
