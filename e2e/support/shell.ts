// Helpers of the shell journeys (shell-journeys.spec.ts, a11y.spec.ts): a command client for setup
// and clean-up outside the page, a loopback TCP proxy the test can cut, screenshots into docs/.
import { createServer, Socket, type Server } from 'node:net';
import type { Page } from '@playwright/test';
import WebSocket from 'ws';
import type { CommandName, CommandOutput, Result } from '../../src/shared/ipc';
import type { WsServerMessage } from '../../src/shared/wsProtocol';

export interface HostClient {
  call<C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>>;
  close(): void;
}

/** The contract over the host's WebSocket, as the page speaks it (for setup and afterAll only). */
export async function hostClient(url: string): Promise<HostClient> {
  const { port, searchParams } = new URL(url);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${searchParams.get('token') ?? ''}`);
  const pending = new Map<number, (r: Result<unknown>) => void>();
  let ready!: () => void;
  const welcomed = new Promise<void>((resolve) => (ready = resolve));
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as WsServerMessage;
    if (m.type === 'ready') ready();
    else if (m.type === 'result') pending.get(m.id)?.(m.result);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  await welcomed;
  let next = 0;
  return {
    async call(command, input) {
      const id = ++next;
      const result = await new Promise<Result<unknown>>((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ type: 'invoke', id, command, input }));
      });
      pending.delete(id);
      if (!result.ok) throw new Error(`${command}: ${result.error.code}: ${result.error.message}`);
      return result.value as CommandOutput<typeof command>;
    },
    close: () => ws.close(),
  };
}

/**
 * A loopback TCP proxy in front of a host: `cut()` drops every connection and stops listening
 * (to the page, the host is gone), `restore()` listens on the same port again. The host checks
 * the WebSocket's Origin against its own address, so the proxy rewrites that one header.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly targetPort: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  private pipe(client: Socket): void {
    const upstream = new Socket();
    this.sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    let head = Buffer.alloc(0);
    let headDone = false;
    client.on('data', (chunk: Buffer) => {
      if (headDone) return void upstream.write(chunk);
      // Hold the request head until it is complete, then swap the Origin (the body goes as is).
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      headDone = true;
      const text = head.subarray(0, end).toString('latin1').replace(/^Origin: .*$/im, `Origin: http://127.0.0.1:${this.targetPort}`);
      upstream.write(Buffer.concat([Buffer.from(text, 'latin1'), head.subarray(end)]));
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    upstream.connect(this.targetPort, '127.0.0.1');
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  restore(): Promise<void> {
    return this.start();
  }
}

/** The end state of a journey, for docs/screenshots (looked at before committing). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `docs/screenshots/${name}.png` });
}

export { templateDrop } from './templates';

/** The element that has the keyboard focus, described the way a test finds it. */
export function focused(page: Page): Promise<{ testId: string | null; text: string; tag: string; label: string | null }> {
  // A string: this file is also compiled without the DOM library (tsconfig.node.json).
  return page.evaluate(`(() => {
    const el = document.activeElement;
    return { testId: el?.getAttribute('data-testid') ?? null, text: (el?.textContent ?? '').trim(), tag: el?.tagName ?? '', label: el?.getAttribute('aria-label') ?? null };
  })()`);
}
