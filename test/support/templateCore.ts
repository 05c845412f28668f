// The real core's template and job handlers, store, secrets, scheduler and cron, with fake
// executors in place of the engines: what a container would be given, without an engine.
import { PullBoard } from '../../src/main/core/scheduler/pulls';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/main/core/clock';
import type { EngineRegistry } from '../../src/main/core/engines/registry';
import { EventHub } from '../../src/main/core/events';
import { LogStore } from '../../src/main/core/logs/logStore';
import { CronLauncher } from '../../src/main/core/scheduler/cronLauncher';
import { Scheduler } from '../../src/main/core/scheduler/scheduler';
import { keyFileCodec, unsealEnv } from '../../src/main/core/secrets';
import type { CoreContext } from '../../src/main/core/service/context';
import { createJob, maskJob } from '../../src/main/core/service/jobFactory';
import { jobHandlers } from '../../src/main/core/service/jobHandlers';
import { templateHandlers } from '../../src/main/core/service/templateHandlers';
import { JobRepository } from '../../src/main/core/store/repository';
import { createAudit } from '../../src/main/core/audit/audit';
import { JobStore } from '../../src/main/core/store/jobStore';
import { commands, type AppEvent, type CommandArgs, type CommandOutput } from '../../src/shared/ipc';
import { specOf } from '../../src/shared/template';
import { FakeExecutor } from './fakes';

type Handled = 'templates.list' | 'templates.get' | 'templates.save' | 'templates.delete' | 'templates.import' | 'templates.importSave' | 'templates.export' | 'jobs.create' | 'jobs.get' | 'jobs.list';

export interface TemplateCore {
  ctx: CoreContext;
  docker: FakeExecutor;
  events: AppEvent[];
  /** A command as a client sends it: input parsed by the contract first, as the dispatcher does. */
  call<C extends Handled>(command: C, input: unknown): Promise<CommandOutput<C>>;
  close(): Promise<void>;
}

export async function templateCore(): Promise<TemplateCore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jobdeck-tpl-'));
  const hub = new EventHub();
  const events: AppEvent[] = [];
  hub.on('test', (e) => events.push(e));
  const store = await JobStore.open({ dataDir, onError: () => undefined });
  const codec = keyFileCodec(dataDir);
  const logs = new LogStore(dataDir, { capBytes: () => 1 << 20, onError: () => undefined });
  const docker = new FakeExecutor('docker');
  const jobs = new JobRepository(store, {
    announce: (job) => hub.emit('job.updated', maskJob(job)),
    wake: () => scheduler.pump(),
  });
  const scheduler = new Scheduler({
    clock: systemClock,
    repo: jobs.schedulerPort(),
    settings: () => store.settings(),
    engines: () => [{ id: 'docker', kind: 'docker', available: true, executor: docker }],
    prepare: (job) => ({ env: unsealEnv(job.spec.env, codec), labels: {} }),
    openLog: (jobId, attempt) => logs.openWriter(jobId, attempt),
    onLog: () => undefined,
    onEngineLost: () => undefined,
    onQueueState: () => undefined,
  });
  const ctx: CoreContext = {
    dataDir,
    clock: systemClock,
    store,
    jobs,
    logs,
    scheduler,
    // The registry as the template and job handlers read it: the engines known, no Kubernetes contexts.
    engines: { list: () => [] } as unknown as EngineRegistry,
    hub,
    codec,
    audit: createAudit({ dataDir, clock: systemClock, exists: (id) => store.getJob(id) !== undefined, waits: () => scheduler.waits() }),
    pulls: new PullBoard(),
    cron: undefined as unknown as CronLauncher,
  };
  ctx.cron = new CronLauncher({
    templates: () => store.listTemplates(),
    lastRun: (id) => store.cronLastRun(id),
    setLastRun: (id, at) => store.setCronLastRun(id, at),
    unfinishedScheduled: () => [],
    run: (t) => void createJob(ctx, { spec: specOf(t), templateId: t.id, origin: 'schedule' }),
    cancel: () => undefined,
  });
  const handlers = { ...templateHandlers(ctx), ...jobHandlers(ctx) };
  return {
    ctx,
    docker,
    events,
    async call<C extends Handled>(command: C, input: unknown) {
      const args = commands[command].input.parse(input) as CommandArgs<C>;
      const handler = handlers[command] as unknown as (a: CommandArgs<C>, c: { clientId: string }) => Promise<CommandOutput<C>>;
      return handler(args, { clientId: 'test' });
    },
    async close() {
      ctx.cron.stop();
      await scheduler.close(true);
      await ctx.audit.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
