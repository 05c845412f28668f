// jobs.events / jobs.report and the audit trail behind them, through the real dispatcher on the
// whole core with fake engines and a fake clock: each transition is its event, by whom.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import type { CallContext, CommandInput, CommandName, CommandOutput } from '../../src/shared/ipc';
import { commands, SECRET_MASK } from '../../src/shared/ipc';
import type { JobEvent } from '../../src/shared/jobEvents';
import { describeCommand, startFakeCore, useFakeCore, WireFailure, type FakeCore } from '../support/fakeCore';

const core = useFakeCore();

const ALICE: CallContext = { clientId: 'alice-window', client: 'browser', user: 'alice' };
const BOB: CallContext = { clientId: 'bob-cli', client: 'cli', user: 'bob' };

/** A command as a named person's client sends it (the harness's own `call` has no requester). */
async function as<C extends CommandName>(h: FakeCore, who: CallContext, command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
  const r = await h.dispatch(command, input, who);
  if (!r.ok) throw new WireFailure(command, r.error);
  return commands[command].output.parse(r.value) as CommandOutput<C>;
}

const spec = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'busybox:1.36', command: 'echo hi', ...extra });
const kinds = (events: JobEvent[]) => events.map((e) => e.kind);
const of = <K extends JobEvent['kind']>(events: JobEvent[], kind: K) => events.filter((e): e is Extract<JobEvent, { kind: K }> => e.kind === kind);

/**
 * The timeline once `ok` holds. Polled: events are written a turn after the change and send no
 * event of their own that the harness's `until` could wait on.
 */
async function timeline(h: FakeCore, id: string, ok: (e: JobEvent[]) => boolean = () => true): Promise<JobEvent[]> {
  return vi.waitFor(
    async () => {
      const events = await h.call('jobs.events', { id });
      if (!ok(events)) throw new Error(`not yet: ${kinds(events).join(', ')}`);
      return events;
    },
    { timeout: 5_000, interval: 10 },
  );
}

describeCommand('jobs.events', () => {
  it('records created by whom and how, the inputs with secrets masked, started on the engine, attempt ended, ended', async () => {
    const h = core();
    const t = await h.call('templates.save', { spec: spec('au-tpl', { env: [{ name: 'TOKEN', value: 's3cret', secret: true }] }) });
    const job = await as(h, ALICE, 'jobs.create', {
      templateId: t.id,
      overrides: { env: [{ name: 'GREETING', value: 'hola' }, { name: 'TOKEN', value: 'override-secret' }], timeoutSeconds: 30 },
    });
    expect(job.requestedBy).toEqual({ user: 'alice', client: 'browser' });
    expect(job.templateVersion).toBe(t.updatedAt);
    expect(job.inputs?.overrides?.env).toMatchObject([
      { name: 'GREETING', value: 'hola', secret: false },
      { name: 'TOKEN', value: SECRET_MASK, secret: true },
    ]);
    expect(job.inputs?.overrides?.timeoutSeconds).toBe(30);
    await h.until('it runs', () => h.engines.runs(job.id).length === 1);
    h.clock.advance(5_000);
    await h.finish(job.id, { reason: 'Error', exitCode: 3 });
    const events = await timeline(h, job.id, (e) => e.some((x) => x.kind === 'ended'));
    expect(kinds(events)).toEqual(['created', 'starting', 'started', 'attemptEnded', 'ended']);
    expect(events[0]).toMatchObject({ kind: 'created', by: { user: 'alice', client: 'browser' }, origin: 'manual', templateName: 'au-tpl', templateVersion: t.updatedAt });
    expect(of(events, 'started')[0]).toMatchObject({ attempt: 1, engineId: expect.any(String), containerId: `ctr-${job.id}-1` });
    expect(of(events, 'started')[0]!.containerName).toMatch(/^jobdeck-au-tpl-/);
    expect(of(events, 'attemptEnded')[0]).toMatchObject({ attempt: 1, exitCode: 3, meaning: 'failed with a non-zero exit code', reason: 'Error' });
    expect(of(events, 'ended')[0]).toMatchObject({ status: 'failed', exitCode: 3, reason: 'Error' });
    expect(Date.parse(of(events, 'ended')[0]!.at) - Date.parse(events[0]!.at)).toBe(5_000);
    // Never the secret's value, in the events nor in the file they live in.
    const file = join(h.dataDir, 'logs', job.id, 'events.jsonl');
    expect(readFileSync(file, 'utf8')).not.toMatch(/s3cret|override-secret/);
    // The audit masks an override of a template's secret even when the run made it plain (the run
    // dialog's "type its value again to make it plain"): the job's own spec keeps what the run chose.
    const events2 = await h.call('jobs.events', { id: job.id });
    expect(JSON.stringify(events2)).not.toMatch(/override-secret|s3cret/);
  });

  it('says who retried, who cancelled, and that the retry policy retried by itself after its backoff', async () => {
    const h = core();
    const job = await as(h, ALICE, 'jobs.create', { spec: spec('au-retry', { retry: { limit: 1, backoffInitialSeconds: 10 } }) });
    await h.until('it runs', () => h.engines.runs(job.id).length === 1);
    await h.finish(job.id, { reason: 'Error', exitCode: 1 });
    let events = await timeline(h, job.id, (e) => e.some((x) => x.kind === 'waiting'));
    expect(of(events, 'retried')[0]).toMatchObject({ automatic: true, by: { client: 'retry' }, notBefore: '2026-01-01T00:00:10.000Z' });
    expect(of(events, 'waiting').map((e) => e.wait.kind)).toContain('backoff');
    h.clock.advance(10_000);
    await h.until('second attempt', () => h.engines.runs(job.id).length === 2);
    await h.finish(job.id, { reason: 'Error', exitCode: 1 });
    await h.job(job.id);
    await as(h, BOB, 'jobs.retry', { id: job.id });
    events = await timeline(h, job.id, (e) => of(e, 'retried').length === 2);
    expect(of(events, 'retried')[1]).toMatchObject({ automatic: false, by: { user: 'bob', client: 'cli' } });
    await h.until('third attempt', () => h.engines.runs(job.id).length === 3);
    await as(h, ALICE, 'jobs.cancel', { id: job.id });
    await h.job(job.id);
    events = await timeline(h, job.id, (e) => of(e, 'ended').length === 2);
    const cancel = of(events, 'cancelled')[0]!;
    expect(cancel.by).toEqual({ user: 'alice', client: 'browser' });
    // The request first, then the attempt stopped, then the end.
    expect(kinds(events).slice(-3)).toEqual(['cancelled', 'attemptEnded', 'ended']);
    expect(of(events, 'ended')[1]).toMatchObject({ status: 'cancelled', reason: 'Cancelled' });
  });

  it('records suspend, resume, priority, dependencies and pin by their requester, and a wait when it changes only', async () => {
    const h = core();
    await h.call('queue.pause', {});
    const up = await as(h, ALICE, 'jobs.create', { spec: spec('au-up') });
    const job = await as(h, ALICE, 'jobs.create', { spec: spec('au-down') });
    await timeline(h, job.id, (e) => of(e, 'waiting').length === 1);
    await as(h, BOB, 'jobs.setDependencies', { id: job.id, dependsOn: [up.id] });
    await timeline(h, job.id, (e) => of(e, 'waiting').length === 2);
    await as(h, BOB, 'jobs.reorder', { id: job.id, priority: 1 });
    await as(h, BOB, 'jobs.suspend', { id: job.id });
    await as(h, BOB, 'jobs.resume', { id: job.id });
    await as(h, BOB, 'jobs.pin', { id: job.id, pinned: true });
    await h.call('queue.resume', {});
    await h.until('up runs', () => h.engines.runs(up.id).length === 1);
    await h.finish(up.id, { reason: 'Completed' });
    await h.until('down runs', () => h.engines.runs(job.id).length === 1);
    const events = await timeline(h, job.id, (e) => e.some((x) => x.kind === 'started'));
    const bob = { user: 'bob', client: 'cli' };
    expect(of(events, 'dependenciesSet')[0]).toMatchObject({ by: bob, dependsOn: [up.id] });
    expect(of(events, 'priorityChanged')[0]).toMatchObject({ by: bob, from: 3, to: 1 });
    expect(of(events, 'suspended')[0]).toMatchObject({ by: bob });
    expect(of(events, 'resumed')[0]).toMatchObject({ by: bob });
    expect(of(events, 'pinned')[0]).toMatchObject({ by: bob, pinned: true });
    // Paused, then waiting for the upstream job: each once, however often the queue was looked at.
    const waits = of(events, 'waiting').map((e) => e.wait.kind);
    expect(waits).toEqual(['paused', 'upstream']);
  });

  it('a schedule firing is the schedule\'s, under the core\'s OS user, and so is a run its Replace policy cancels', async () => {
    const h = core();
    // croner keeps real time: a schedule of every second (confirmed) fires within the test.
    await h.call('templates.save', {
      spec: spec('au-cron', { schedule: { cron: '* * * * * *', seconds: true, allowFrequent: true, concurrencyPolicy: 'Replace' } }),
    });
    const runs = await vi.waitFor(
      async () => {
        const found = (await h.call('jobs.list', { limit: 10, sort: 'createdAt', order: 'asc' })).items.filter((j) => j.templateName === 'au-cron');
        if (found.length < 2) throw new Error('not two scheduled runs yet');
        return found;
      },
      { timeout: 5_000, interval: 50 },
    );
    const first = await timeline(h, runs[0]!.id, (e) => e.some((x) => x.kind === 'ended'));
    expect(first[0]).toMatchObject({ kind: 'created', origin: 'schedule', by: { client: 'schedule', user: expect.any(String) } });
    expect(of(first, 'cancelled')[0]).toMatchObject({ by: { client: 'schedule' } });
    expect(of(first, 'ended')[0]).toMatchObject({ status: 'cancelled', reason: 'Cancelled' });
  });

  it('after a crash, keeps the events before a torn last line and the ones appended after it', async () => {
    const first = core();
    await first.call('queue.pause', {});
    const job = await first.call('jobs.create', { spec: spec('au-torn') });
    const before = await timeline(first, job.id, (e) => e.some((x) => x.kind === 'waiting'));
    await first.core.close();
    const file = join(first.dataDir, 'logs', job.id, 'events.jsonl');
    appendFileSync(file, '{"kind":"ended","at":"2026-01-0'); // the process died mid-write
    const h = await startFakeCore({ dataDir: first.dataDir });
    try {
      expect(await h.call('jobs.events', { id: job.id })).toEqual(before);
      await h.call('queue.resume', {});
      await h.until('it runs', () => h.engines.runs(job.id).length === 1);
      await h.finish(job.id, { reason: 'Completed' });
      const after = await timeline(h, job.id, (e) => e.some((x) => x.kind === 'ended'));
      // The same wait (paused) is not recorded again by the new process.
      expect(kinds(after)).toEqual([...kinds(before), 'starting', 'started', 'attemptEnded', 'ended']);
      expect(after[0]).toMatchObject({ kind: 'created', by: { client: 'api' } });
    } finally {
      await h.core.close();
    }
  });

  it('goes with the job: removing it removes its events', async () => {
    const h = core();
    const job = await h.call('jobs.create', { spec: spec('au-rm') });
    await h.until('it runs', () => h.engines.runs(job.id).length === 1);
    await h.finish(job.id, { reason: 'Completed' });
    await timeline(h, job.id, (e) => e.some((x) => x.kind === 'ended'));
    const dir = join(h.dataDir, 'logs', job.id);
    expect(existsSync(join(dir, 'events.jsonl'))).toBe(true);
    await h.call('jobs.remove', { ids: [job.id] });
    await h.core.flush();
    expect(existsSync(dir)).toBe(false);
    expect(await h.fail('jobs.events', { id: job.id })).toMatchObject({ code: 'NOT_FOUND', message: `no job ${job.id}` });
  });
});

describeCommand('jobs.report', () => {
  it('gives Markdown with the template, masked inputs, engine and version, exit code meaning, log tails and events', async () => {
    const h = core();
    const t = await h.call('templates.save', { spec: spec('au-report', { env: [{ name: 'API_KEY', value: 'k-123', secret: true }] }) });
    const job = await as(h, ALICE, 'jobs.create', { templateId: t.id, overrides: { env: [{ name: 'API_KEY', value: 'k-override' }, { name: 'MODE', value: 'fast' }] } });
    await h.until('it runs', () => h.engines.runs(job.id).length === 1);
    const run = h.engines.runs(job.id)[0]!;
    for (let i = 1; i <= 60; i++) run.sink.log('stdout', `out line ${i}\n`, new Date(h.clock.now()).toISOString());
    run.sink.log('stderr', 'boom: \u001b[31mit broke\u001b[0m\n', new Date(h.clock.now()).toISOString());
    await h.finish(job.id, { reason: 'Error', exitCode: 127 });
    await timeline(h, job.id, (e) => e.some((x) => x.kind === 'ended'));
    const { markdown } = await h.call('jobs.report', { id: job.id });
    expect(markdown).toContain(`## Job au-report ${job.id.slice(0, 8)}: failed`);
    expect(markdown).toContain('| Exit code | 127 — command not found |');
    expect(markdown).toContain(`version of ${t.updatedAt}`);
    expect(markdown).toContain('| Requested by | alice (browser), manual |');
    expect(markdown).toMatch(/\| Engine \| \S+ \(docker 99\.0-fake\) \|/);
    expect(markdown).toContain(`- env API_KEY=${SECRET_MASK} (secret)`);
    expect(markdown).toContain('- env MODE=fast');
    expect(markdown).not.toMatch(/k-123|k-override/);
    // The last 50 lines of stdout: 11..60; stderr without its colour codes.
    expect(markdown).toContain('out line 60');
    expect(markdown).toContain('out line 11\n');
    expect(markdown).not.toContain('out line 10\n');
    expect(markdown).toContain('```text\nboom: it broke\n```');
    expect(markdown).toMatch(/\| attempt 1 ended: exit 127 \(command not found\) \| Jobdeck \|/);
    expect(markdown).toMatch(/created \(manual\) from template au-report \| alice \(browser\) \|/);
  });

  it('says when the template changed since, and refuses an unknown job', async () => {
    const h = core();
    const t = await h.call('templates.save', { spec: spec('au-changed') });
    const job = await h.call('jobs.create', { templateId: t.id });
    h.clock.advance(1_000);
    const t2 = await h.call('templates.save', { id: t.id, spec: spec('au-changed', { command: 'echo changed' }) });
    const { markdown } = await h.call('jobs.report', { id: job.id });
    expect(markdown).toContain(`(the template has changed since: ${t2.updatedAt})`);
    expect(markdown).toContain('No stderr output.');
    expect(await h.fail('jobs.report', { id: 'nope' })).toMatchObject({ code: 'NOT_FOUND', message: 'no job nope' });
  });
});
