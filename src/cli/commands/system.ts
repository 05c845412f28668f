// stats, engines, queue, serve.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineKind } from '../../shared/engine';
import { parseIntArg, parseSince, UsageError } from '../args';
import { Failure, type Cli } from '../context';
import { certsRestored } from '../extraCerts';
import { formatDuration, formatTime, paint, table } from '../format';

export async function stats(cli: Cli, o: { template?: string; since?: string }): Promise<number> {
  const from = parseSince(o.since ?? '24h', '--since', cli.now());
  const s = await (await cli.client()).call('stats.get', { from });
  const rows = o.template ? s.byTemplate.filter((t) => t.templateName === o.template) : s.byTemplate;
  if (o.template && !rows.length && !cli.out.json) throw new Failure(`no jobs of template ${o.template} since ${formatTime(from)}`);
  const { out } = cli;
  if (out.json) {
    out.printJson(o.template ? { ...s, byTemplate: rows } : s);
    return 0;
  }
  const pct = (r: number | null) => (r === null ? '–' : `${Math.round(r * 100)}%`);
  const dur = (ms: number | null) => (ms === null ? '–' : formatDuration(ms));
  if (!o.template) {
    out.print(`Since ${formatTime(s.from)}: ${Object.entries(s.counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
    out.print(`Success rate ${pct(s.successRate)}, mean ${dur(s.meanDurationMs)}, p95 ${dur(s.p95DurationMs)}`);
    const fails = Object.entries(s.failuresByReason);
    if (fails.length) out.print(`Failures: ${fails.map(([r, n]) => `${n} ${r}`).join(', ')}`);
    out.print('');
  }
  out.print(table(['TEMPLATE', 'JOBS', 'COMPLETED', 'FAILED', 'SUCCESS', 'MEAN', 'P95'], rows.map((t) => [t.templateName, String(t.total), String(t.completed), String(t.failed), pct(t.successRate), dur(t.meanDurationMs), dur(t.p95DurationMs)])));
  return 0;
}

export async function listEngines(cli: Cli): Promise<number> {
  const all = await (await cli.client()).call('engines.list', {});
  const { out } = cli;
  if (out.json) out.printJson(all);
  else if (out.quiet) for (const e of all) out.print(e.id);
  else
    out.print(
      table(
        ['ID', 'KIND', 'STATUS', 'VERSION', 'RUNNING', 'HOST', 'SOURCE'],
        all.map((e) => [e.id, e.kind, paint(out.style, e.status === 'available' ? 'green' : 'red', e.status), e.version ?? '', String(e.running), e.host, e.source + (e.error ? ` (${e.error})` : '')]),
      ),
    );
  return 0;
}

export async function addEngine(cli: Cli, id: string, host: string, o: { kind?: string; concurrency?: string }): Promise<number> {
  const kind = EngineKind.safeParse(o.kind ?? (host.includes('podman') ? 'podman' : 'docker'));
  if (!kind.success) throw new UsageError(`--kind: "${o.kind}" must be docker or podman`);
  const info = await (await cli.client()).call('engines.add', { id, kind: kind.data, host, ...(o.concurrency ? { concurrency: parseIntArg(o.concurrency, '--concurrency', 1, 64) } : {}) });
  if (cli.out.json) cli.out.printJson(info);
  else cli.out.print(cli.out.quiet ? info.id : `Added engine ${info.id} (${info.kind}, ${info.host}): ${info.status}${info.error ? ` — ${info.error}` : ''}`);
  return 0;
}

export async function removeEngine(cli: Cli, id: string): Promise<number> {
  await (await cli.client()).call('engines.remove', { id });
  if (cli.out.json) cli.out.printJson({ ok: true });
  else if (!cli.out.quiet) cli.out.print(`Removed engine ${id}`);
  return 0;
}

export async function queue(cli: Cli, action: 'pause' | 'resume' | 'status'): Promise<number> {
  const client = await cli.client();
  const state = await client.call(action === 'pause' ? 'queue.pause' : action === 'resume' ? 'queue.resume' : 'queue.state', {});
  if (cli.out.json) cli.out.printJson(state);
  else if (!cli.out.quiet) cli.out.print(`Queue ${state.paused ? 'paused' : 'running'}: ${state.running} running, ${state.pending} pending, at most ${state.concurrency} at once`);
  return 0;
}

/**
 * `jobdeck serve`: the headless host (out/main/headless.js, the built app) in this terminal, on
 * the same data dir; Ctrl-C stops it. Its jobs keep running in their containers.
 */
export async function serve(_cli: Cli, o: { port?: string; dataDir?: string; newToken?: boolean }): Promise<number> {
  const here = dirname(fileURLToPath(import.meta.url));
  const entry = [join(here, '../main/headless.js'), join(here, '../../out/main/headless.js')].find((p) => existsSync(p));
  if (!entry) throw new Failure('the headless host is not built: run `npm run build` in the checkout first');
  const args = [entry, ...(o.dataDir ? ['--data-dir', o.dataDir] : []), ...(o.port ? ['--port', String(parseIntArg(o.port, '--port', 0, 65535))] : []), ...(o.newToken ? ['--new-token'] : [])];
  // Loaded here: child_process is a tenth of a command's start, and only serve spawns.
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, args, { stdio: 'inherit', env: certsRestored(process.env) });
  // Passed on: a Ctrl-C in the terminal reaches the host as well (one process group), and it
  // takes a second one as the same request to stop.
  process.on('SIGINT', () => child.kill('SIGINT'));
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + 15 : 1))));
}
