import { createRequire } from 'node:module';

// Engine API round trips, counted where every request of dockerode goes (docker-modem's dial):
// a figure that load on the machine does not move, unlike the wall clock.
const require = createRequire(import.meta.url);
interface DialOptions {
  method?: string;
  path?: string;
}
type Dial = (this: unknown, options: DialOptions, callback: unknown) => unknown;
const Modem = require('docker-modem') as { prototype: { dial: Dial } };

/** "POST /containers/<id>/start?…" → "POST /containers/*\/start": one key per kind of call. */
export function callKind(o: DialOptions): string {
  const path = (o.path ?? '').split('?')[0]!.replace(/^\/v[0-9.]+/, '');
  return `${o.method ?? 'GET'} ${path.replace(/^\/(containers|images|exec)\/[^/]+/, '/$1/*')}`;
}

export interface ApiCalls {
  /** Calls, health probes (_ping, version, info) and per-engine event streams apart. */
  total: number;
  byKind: Record<string, number>;
  /** Mean ms from the request until its answer (for a stream: until it began), per kind. */
  meanMs: Record<string, number>;
}

/** Counts (and times) the calls made until stop(). */
export function countApiCalls(): { stop(): ApiCalls } {
  const original = Modem.prototype.dial;
  const byKind: Record<string, number> = {};
  const spent: Record<string, number> = {};
  Modem.prototype.dial = function (this: unknown, options: DialOptions, callback: unknown) {
    const kind = callKind(options);
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    const t0 = performance.now();
    const timed =
      typeof callback === 'function'
        ? (...args: unknown[]) => {
            spent[kind] = (spent[kind] ?? 0) + performance.now() - t0;
            return (callback as (...a: unknown[]) => unknown)(...args);
          }
        : callback;
    return original.call(this, options, timed);
  };
  return {
    stop() {
      Modem.prototype.dial = original;
      // Health probes, and the one event stream an engine keeps open for all its jobs (Podman's exits).
      const probes = /\/(_ping|version|info|events)$/;
      const total = Object.entries(byKind).reduce((n, [k, v]) => (probes.test(k) ? n : n + v), 0);
      const meanMs = Object.fromEntries(Object.entries(spent).map(([k, ms]) => [k, Math.round((ms / byKind[k]!) * 10) / 10]));
      return { total, byKind, meanMs };
    },
  };
}
