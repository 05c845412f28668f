// The core's one entry point: both composition roots (Electron's index.ts and headless.ts) call
// createJobdeck and expose its handlers through src/main/ipc/dispatch.ts.
import type { LockKind } from '../../shared/dataDir';
import type { AppEvent, Handlers } from '../../shared/ipc';
import { join } from 'node:path';
import { isTerminal, type Job } from '../../shared/job';
import { specOf } from '../../shared/template';
import { iso, systemClock, type Clock } from './clock';
import type { ArtifactShell } from './artifacts/artifactShell';
import { createAudit } from './audit/audit';
import type { SaveDialog } from './logs/logExport';
import type { FilePicker } from './engines/filePicker';
import { DataDirLock } from './dataDirLock';
import type { EngineCandidate } from './engines/discovery';
import { dockerEngine } from './engines/dockerEngine';
import type { ExecutorOptions } from './engines/executor';
import { EngineRegistry, type EngineDriver } from './engines/registry';
import { EventHub } from './events';
import { KUBERNETES_CHOSEN, kubernetesEngines, type KubernetesEnginesOptions } from './kubernetes/engine';
import { containerLabels } from './labels';
import { LogBatcher } from './logs/batcher';
import { LogStore } from './logs/logStore';
import { maskedLog } from './logs/mask';
import { OutageSweeps } from './outageSweeps';
import { reconcile, sweepAfterOutage } from './reconcile';
import { removeJobsAndFiles, runRetention } from './retention';
import { CronLauncher } from './scheduler/cronLauncher';
import { PullBoard } from './scheduler/pulls';
import { Scheduler, type EngineSlot } from './scheduler/scheduler';
import { TtlReaper } from './scheduler/ttl';
import { jobControlHandlers } from './service/jobControlHandlers';
import { keyFileCodec, unsealEnv, type SecretCodec } from './secrets';
import type { CoreContext } from './service/context';
import { createJob, maskJob } from './service/jobFactory';
import { imageHandlers } from './service/imageHandlers';
import { dependencyHandlers } from './service/dependencyHandlers';
import { bulkHandlers } from './service/bulkHandlers';
import { cancelAs, jobHandlers } from './service/jobHandlers';
import { applyHistoryLimits, fieldValues, recordMissedRun } from './service/scheduledRuns';
import { artifactHandlers } from './service/artifactHandlers';
import { auditHandlers } from './service/auditHandlers';
import { logHandlers } from './service/logHandlers';
import { systemHandlers } from './service/systemHandlers';
import { engineHandlers } from './service/engineHandlers';
import { healthHandlers } from './service/healthHandlers';
import { startHealth } from './health/wiring';
import type { AlertSink } from './health/monitor';
import { CoreMetrics } from './metrics/metrics';
import { templateHandlers } from './service/templateHandlers';
import { JobRepository } from './store/repository';
import { JobStore } from './store/jobStore';
import { notifyHandlers } from './service/notifyHandlers';
import { openNotifier, type NotifyOptions } from './notify/wiring';
import type { AlertNotice, Notifier } from './notify/notifier';
import { alertNotices } from './notify/alertNotices';

export interface JobdeckOptions {
  /** Where the store, logs and artifacts live (Electron: app.getPath('userData')). */
  dataDir: string;
  /** Labels every container, so a restart finds its own; stable across restarts of one data dir. */
  instanceId?: string;
  /** Engine discovery reads DOCKER_HOST / CONTAINER_HOST from here (default process.env). */
  env?: Record<string, string | undefined>;
  secretCodec?: SecretCodec;
  /** How often unavailable engines are probed again. */
  engineProbeIntervalMs?: number;
  /** Sockets to try instead of the platform's usual ones, as `docker=unix:///path` (tests). */
  socketCandidates?: string[];
  /** Who holds the data directory's lock, for the message a second start gets (default 'cli'). */
  kind?: LockKind;
  /** How each engine is reached: executor, probe, containers (default dockerEngine); tests pass fakes. */
  engineDriver?: (candidate: EngineCandidate, options: ExecutorOptions) => EngineDriver;
  /** Time for the scheduler, cron and retention (default the system clock; tests pass a fake). */
  clock?: Clock;
  /** The desktop's programs for artifacts (Electron); without it artifacts.open/reveal say so. */
  artifactShell?: ArtifactShell;
  /** The desktop's save dialog (Electron) for logs.save. */
  saveDialog?: SaveDialog;
  /** The desktop's open dialog for the add-engine form's file fields; absent: engines.pickFile is FORBIDDEN. */
  filePicker?: FilePicker;
  /** Arm the templates' cron schedules (default true); a short-lived CLI-started core never does. */
  schedules?: boolean;
  /** The kubeconfig's contexts as engines (default: read from `env`'s KUBECONFIG or ~/.kube/config); false: none. */
  kubernetes?: false | KubernetesEnginesOptions;
  /** Notification outbox retry timing and mail TLS (tests shorten and trust; see notify/). */
  notify?: NotifyOptions;
  /** Where health alerts' starts and clears go besides the banner: the rules' channels (default nowhere). */
  alertSink?: AlertSink;
  /** Between looks at disk space and engines' outage durations (default 5 s). */
  healthIntervalMs?: number;
}

export interface Jobdeck {
  readonly handlers: Handlers;
  /** Events for one client; log.chunks arrive only for the jobs that client subscribed to. */
  onEvent(clientId: string, listener: (event: AppEvent) => void): () => void;
  /** A window closed or a socket dropped: forget its subscriptions. */
  dropClient(clientId: string): void;
  /** Attempts running now; with `slots`, also those whose containers are still being removed. */
  runningCount(slots?: boolean): number;
  /** Where this process can be reached (the headless host's URL), written into the data dir's lock. */
  setUrl(url: string): void;
  /** Where this process's local socket is, written into the data dir's lock (the CLI finds it there). */
  setSocket(path: string): void;
  /** Queue an alert's notice to channels by id (the health part's alerts; see notify/notifier.ts). */
  notifyAlert(alert: AlertNotice, channels: readonly string[]): void;
  /** Resolves once every change so far is written to the store's files (what tests wait on). */
  flush(): Promise<void>;
  close(options?: { stopRunning?: boolean }): Promise<void>;
}


/** Wire store, engines, scheduler, cron and handlers together; reconcile; start the queue. */
export async function createJobdeck(opts: JobdeckOptions): Promise<Jobdeck> {
  // One writer per data directory: nothing opens the store without holding its lock.
  const lock = DataDirLock.acquire(opts.dataDir, { kind: opts.kind ?? 'cli' });
  try {
    return await openJobdeck(opts, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function openJobdeck(opts: JobdeckOptions, lock: DataDirLock): Promise<Jobdeck> {
  const clock = opts.clock ?? systemClock;
  const hub = new EventHub();
  const pulls = new PullBoard();
  const store = await JobStore.open({
    dataDir: opts.dataDir,
    onError: (e) => hub.emit('store.error', e),
  });
  const instanceId = opts.instanceId ?? store.instanceId;
  const codec = opts.secretCodec?.available ? opts.secretCodec : keyFileCodec(opts.dataDir);
  // The audit trail reads the scheduler's waits only after a change, once the scheduler exists.
  const audit = createAudit({
    dataDir: opts.dataDir,
    clock,
    exists: (id) => store.getJob(id) !== undefined,
    waits: () => scheduler.waits(),
    onError: (message) => hub.emit('store.error', { message }),
  });
  const jobSecrets = (job: Job) => unsealEnv(job.spec.env.filter((e) => e.secret), codec).map((kv) => kv.slice(kv.indexOf('=') + 1));
  const logs = new LogStore(opts.dataDir, {
    capBytes: () => store.settings().logCapBytes,
    onError: (message) => hub.emit('store.error', { message }),
  });
  let hostUrl: string | undefined;
  // Before the repository: every change it announces goes past the rules (reconcile's too).
  const notifier: Notifier = openNotifier(opts, { clock, codec, store, logs, hub, url: () => hostUrl });
  // Leading: a job's first line reaches the pane without waiting out an interval.
  const batcher = new LogBatcher((jobId, chunks) => hub.emitLogs(jobId, chunks), 30, { leading: true });
  const artifactsDir = (jobId: string, attempt: number) => join(opts.dataDir, 'artifacts', jobId, String(attempt));
  // A step's output is masked like the main container's: the job's secrets are in its env too.
  const openStepLog = (jobId: string, attempt: number, step: string) => {
    const job = store.getJob(jobId);
    const raw = logs.openWriter(jobId, attempt, step);
    return job ? maskedLog(raw, jobSecrets(job)) : raw;
  };
  let reconciled = false;
  const connect = opts.engineDriver ?? dockerEngine;
  const kube = opts.kubernetes === false ? undefined : kubernetesEngines({ env: opts.env ?? process.env, namespaces: () => store.settings().kubernetes?.namespaces, ...opts.kubernetes });
  const engines = new EngineRegistry(
    {
      env: opts.env ?? process.env,
      ...(opts.socketCandidates ? { socketCandidates: opts.socketCandidates.map(parseCandidate) } : {}),
    },
    (candidate) => (kube && candidate.kind === 'kubernetes' ? kube.driver(candidate) : connect(candidate, { artifactsDir, openStepLog })),
    (info, change) => {
      hub.emit('engine.status', info);
      audit.lookAtWaits();
      // Nothing starts before reconcile has claimed what the last run left running.
      if (info.status !== 'available' || !reconciled) return;
      // Back after an outage (or probed while its sweep is due): the containers of attempts lost
      // meanwhile go before anything new starts there; other engines go on at once.
      if (change === 'status' || sweeps.holds(info.id)) sweeps.back(info.id);
      if (change === 'status') scheduler.pump();
    },
  );
  const sweeps = new OutageSweeps(
    async (id) => {
      const engine = engines.get(id);
      return !engine || (await sweepAfterOutage(ctx, instanceId, engine)) !== undefined;
    },
    () => scheduler.pump(),
  );
  const slots = (): EngineSlot[] => {
    const s = store.settings();
    return engines.all().map((e) => {
      const limit = s.engineConcurrency[e.info.id] ?? e.candidate.concurrency;
      return {
        id: e.info.id,
        kind: e.info.kind,
        available: e.info.status === 'available' && !sweeps.holds(e.info.id),
        ...(limit !== undefined ? { limit } : {}),
        // Only a context engine: with no context chosen, undefined === undefined named every Docker engine.
        ...(kube && e.info.kubernetes && e.info.kubernetes.context === kube.chosenContext(s) ? { aliases: [KUBERNETES_CHOSEN] } : {}),
        ...(e.info.status !== 'available' && e.info.error ? { error: e.info.error } : {}),
        executor: e.executor,
      };
    });
  };
  // The one writer of jobs; `scheduler` is read only when a change is saved, after it exists.
  const jobs = new JobRepository(store, {
    announce: (job) => {
      // A pane takes a job's end as "no more output": its last chunks go out first.
      if (isTerminal(job.status)) batcher.flush();
      hub.emit('job.updated', maskJob(job));
      // A scheduled run ended: the template's CronJob history limits may drop older runs.
      if (isTerminal(job.status) && job.origin === 'schedule' && job.templateId) trimHistory(job.templateId);
      ttl.noteJob(job);
      notifier.observe(job);
    },
    wake: () => scheduler.pump(),
    saved: (old, next, by) => {
      audit.saved(old, next, by);
      metrics.noteJob(old, next);
    },
  });
  const trimHistory = (templateId: string) =>
    setImmediate(() =>
      void applyHistoryLimits(ctx, templateId).then(
        (ids) => ids.length && hub.emit('job.removed', { ids }),
        (error: unknown) => hub.emit('store.error', { message: `history limit failed: ${error instanceof Error ? error.message : String(error)}` }),
      ),
    );
  const ttl = new TtlReaper({
    clock,
    jobs: () => store.allJobs(),
    remove: async (ids) => {
      // Kept while an active job still depends on it (it would fail as upstream-missing), as retention does.
      const needed = new Set(store.activeJobs().flatMap((j) => j.dependsOn));
      const doomed = ids.filter((id) => !needed.has(id) && store.getJob(id));
      if (!doomed.length) return;
      await removeJobsAndFiles(store, logs, opts.dataDir, doomed);
      hub.emit('job.removed', { ids: doomed });
    },
    onError: (error) => hub.emit('store.error', { message: `removing finished jobs failed: ${error instanceof Error ? error.message : String(error)}` }),
  });
  const scheduler = new Scheduler({
    clock,
    repo: jobs.schedulerPort(),
    settings: () => store.settings(),
    engines: slots,
    prepare: (job, attempt, index) => ({
      env: [
        ...unsealEnv(job.spec.env, codec),
        ...(job.spec.completionMode === 'Indexed' ? [`JOB_COMPLETION_INDEX=${index}`] : []),
        ...fieldValues(job, attempt, index),
      ],
      labels: containerLabels(instanceId, job.id, attempt, index),
    }),
    openLog: (jobId, attempt) => logs.openWriter(jobId, attempt),
    secrets: jobSecrets,
    onLog: (jobId, chunk) => {
      if (hub.hasLogSubscribers(jobId)) batcher.push(jobId, chunk);
    },
    onEngineLost: (engineId, message) => engines.markUnavailable(engineId, message),
    onQueueState: (state) => {
      hub.emit('queue.state', state);
      audit.lookAtWaits();
    },
    onLiveChange: () => engines.syncRunning((id) => scheduler.runningAttempts(id)),
    onImageProgress: (progress) => hub.emit('image.progress', pulls.note(progress)),
  });
  const pendingCount = () => store.activeJobs().filter((j) => j.status === 'pending').length;
  const metrics = new CoreMetrics({
    running: () => scheduler.runningAttempts(),
    pending: pendingCount,
    engines: () => engines.list(),
    activeAlerts: () => health.active(),
  });
  hub.on('metrics', (e) => e.name === 'notify.delivery' && metrics.noteDelivery(e.payload));
  const health = startHealth({ dataDir: opts.dataDir, clock, store, engines, hub, pending: pendingCount, sink: opts.alertSink ?? alertNotices(notifier), intervalMs: opts.healthIntervalMs });
  const ctx: CoreContext = {
    dataDir: opts.dataDir,
    clock,
    store,
    jobs,
    logs,
    scheduler,
    engines,
    hub,
    codec,
    audit,
    pulls,
    cron: undefined as unknown as CronLauncher,
  };
  ctx.cron = new CronLauncher({
    templates: () => store.listTemplates(),
    lastRun: (id) => store.cronLastRun(id),
    setLastRun: (id, at) => store.setCronLastRun(id, at),
    unfinishedScheduled: (templateId) =>
      store.activeJobs().filter((j) => j.templateId === templateId && j.origin === 'schedule'),
    run: (t, at) => {
      createJob(ctx, {
        spec: specOf(t),
        templateId: t.id,
        origin: 'schedule',
        scheduledFor: iso(at.getTime()),
        requestedBy: { user: ctx.audit.user, client: 'schedule' },
        templateVersion: t.updatedAt,
      });
    },
    // concurrencyPolicy Replace: the schedule cancels its unfinished run, and the timeline says so.
    cancel: (id) => cancelAs(ctx, id, { user: audit.user, client: 'schedule' }),
    missed: (t, at, message) => void recordMissedRun(ctx, t, at, message),
    now: () => new Date(clock.now()),
  });

  // Before the first look at the queue: what pending jobs were last recorded waiting for.
  void audit.resume(store.activeJobs().filter((j) => j.status === 'pending').map((j) => j.id));
  if (kube) engines.addSource(kube.candidates);
  await engines.refresh(store.settings().engines);
  engines.watch(opts.engineProbeIntervalMs ?? 5000);
  // Contexts added to or removed from the kubeconfig appear and go as engines.
  const unwatchKube = kube?.watch(() => void engines.refresh(store.settings().engines).catch(() => undefined));
  await reconcile(ctx, instanceId);
  reconciled = true;
  if (opts.schedules !== false) ctx.cron.start();
  scheduler.pump();
  const retention = startRetention(ctx);
  ttl.sweep();
  health.start();

  const templates = templateHandlers(ctx);
  const handlers = {
    ...templates,
    ...jobHandlers(ctx),
    ...jobControlHandlers(ctx),
    ...systemHandlers(ctx),
    ...imageHandlers(ctx, { saveTemplate: templates['templates.save'] }),
    ...dependencyHandlers(ctx),
    ...bulkHandlers(ctx),
    ...logHandlers(ctx, opts.saveDialog),
    ...artifactHandlers(ctx, opts.artifactShell),
    ...auditHandlers(ctx),
    ...engineHandlers(ctx, { env: opts.env ?? process.env, filePicker: opts.filePicker }),
    ...notifyHandlers(notifier),
    ...healthHandlers(health, metrics),
  };
  return {
    handlers,
    onEvent: (clientId, listener) => {
      const off = hub.on(clientId, listener);
      // What went wrong at start-up is news to every client that connects later, too.
      for (const p of store.problems) listener({ name: 'store.error', payload: p });
      return off;
    },
    dropClient: (clientId) => hub.drop(clientId),
    runningCount: (slots) => ctx.scheduler.runningAttempts(undefined, slots),
    setUrl: (url) => {
      hostUrl = url;
      lock.setUrl(url);
    },
    setSocket: (path) => lock.setSocket(path),
    flush: () => Promise.all([store.flush(), audit.flush()]).then(() => undefined),
    notifyAlert: (alert, channels) => notifier.notifyAlert(alert, channels),
    async close(options) {
      clearInterval(retention);
      await notifier.close();
      ttl.close();
      health.close();
      ctx.cron.stop();
      unwatchKube?.();
      engines.close();
      await ctx.scheduler.close(options?.stopRunning ?? false);
      engines.disconnect();
      batcher.close();
      await audit.close();
      try {
        await store.close();
      } finally {
        lock.release();
      }
    },
  };
}

/** Settings → Retention: applied at start-up and hourly, when a number of days is set. */
function startRetention(ctx: CoreContext): ReturnType<typeof setInterval> {
  const run = () => {
    const { days, statuses } = ctx.store.settings().retention;
    if (days === undefined) return;
    void runRetention(ctx.store, ctx.logs, ctx.dataDir, { olderThanDays: days, statuses, now: new Date(ctx.clock.now()) }).then(
      (ids) => ids.length && ctx.hub.emit('job.removed', { ids }),
      (error: unknown) => ctx.hub.emit('store.error', { message: `retention failed: ${error instanceof Error ? error.message : String(error)}` }),
    );
  };
  run();
  const timer = setInterval(run, 3_600_000);
  timer.unref?.();
  return timer;
}

function parseCandidate(s: string): { kind: 'docker' | 'podman'; host: string } {
  const [kind, ...rest] = s.split('=');
  if ((kind === 'docker' || kind === 'podman') && rest.length) return { kind, host: rest.join('=') };
  throw new Error(`socket candidate must be docker=<host> or podman=<host>, got ${s}`);
}
