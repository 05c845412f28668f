// A gate in front of the loopback registry (localRegistry.ts) that holds a pull in the middle of
// its first layer, whatever the engine's connections or timing: an HTTPS proxy serving the
// registry's own certificate (Docker takes 127.0.0.0/8 as insecure; Podman gets the CA for the
// gate's host:port in certs.d), that reads the registry's answers as HTTP. Manifests and the config
// blob pass (the gate learns the layer digests from the manifests it passes); the first layer
// blob a client asks for gets its headers and the first `passFraction` of its bytes, so the engine
// has counted bytes and reported them, and the rest waits for release().
import { Agent, createServer, request } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trustOnPodman, type LocalRegistry } from './localRegistry';

export interface PullGate {
  /** host:port of the gate: an image reference through it starts with this. */
  host: string;
  /** Resolves with the layer's digest once a layer's answer is held (its first bytes sent). */
  held: Promise<string>;
  /** Every request the gate passed, in order ("GET /v2/…"), to say what it saw when a test fails. */
  seen: string[];
  /** Why Podman cannot pull through the gate here, or undefined when it can. */
  podmanProblem: string | undefined;
  /** Lets the held layer (and everything after it) through; the gate holds nothing more. */
  release(): void;
  stop(): Promise<void>;
}

const BLOB = /^\/v2\/.+\/blobs\/(sha256:[0-9a-f]{64})$/;
const MANIFEST = /^\/v2\/.+\/manifests\/[^/]+$/;
// Hop-by-hop headers belong to each connection, not to the answer passed on.
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

const endToEnd = (h: IncomingHttpHeaders): IncomingHttpHeaders => Object.fromEntries(Object.entries(h).filter(([k]) => !HOP.has(k)));

/** The layer digests a manifest names (an image manifest, Docker's or OCI's; a list names none). */
function layerDigests(body: string): string[] {
  try {
    const m = JSON.parse(body) as { layers?: { digest?: unknown }[] };
    return (m.layers ?? []).flatMap((l) => (typeof l.digest === 'string' ? [l.digest] : []));
  } catch {
    return [];
  }
}

export async function startPullGate(registry: Pick<LocalRegistry, 'host' | 'tls'>, { passFraction = 0.5 } = {}): Promise<PullGate> {
  const [, upstreamPort] = registry.host.split(':');
  const agent = new Agent({ keepAlive: true, ca: registry.tls.cert });
  const layers = new Set<string>();
  const seen: string[] = [];
  let released = false;
  let heldDigest: string | undefined;
  let markHeld!: (digest: string) => void;
  const held = new Promise<string>((resolve) => (markHeld = resolve));
  const waiting: (() => void)[] = [];

  const server = createServer({ cert: registry.tls.cert, key: registry.tls.key }, (req, res) => {
    const path = req.url ?? '/';
    seen.push(`${req.method} ${path}`);
    const digest = BLOB.exec(path)?.[1];
    // The first layer asked for is the one held; a client's retry of it is held as well.
    if (!released && req.method === 'GET' && digest && layers.has(digest)) heldDigest ??= digest;
    const hold = !released && req.method === 'GET' && digest !== undefined && digest === heldDigest;
    const upstream = request(
      { host: '127.0.0.1', port: Number(upstreamPort), method: req.method, path, headers: endToEnd(req.headers), agent },
      (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        const isManifest = req.method === 'GET' && MANIFEST.test(path);
        const size = Number(answer.headers['content-length'] ?? 0);
        const threshold = Math.floor(size * passFraction);
        const body: Buffer[] = [];
        let sent = 0;
        const pauseHere = () => {
          answer.pause();
          waiting.push(() => answer.resume());
          markHeld(digest!);
        };
        if (hold && threshold === 0) pauseHere();
        answer.on('data', (chunk: Buffer) => {
          if (isManifest) body.push(chunk);
          res.write(chunk);
          sent += chunk.length;
          if (hold && !released && sent >= threshold && !answer.isPaused()) pauseHere();
        });
        answer.on('end', () => {
          if (isManifest) for (const d of layerDigests(Buffer.concat(body).toString('utf8'))) layers.add(d);
          res.end();
        });
        answer.on('error', () => res.destroy());
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502).end(`pull gate: ${error.message}`);
      else res.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const podman = trustOnPodman(host, registry.tls.cert);
  return {
    host,
    held,
    seen,
    podmanProblem: podman.problem,
    release() {
      released = true;
      for (const go of waiting.splice(0)) go();
    },
    async stop() {
      released = true;
      for (const go of waiting.splice(0)) go();
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      podman.undo();
    },
  };
}
