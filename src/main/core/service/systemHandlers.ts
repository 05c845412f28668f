import { AppError } from '../../../shared/errors';
import type { Handlers } from '../../../shared/ipc';
import { listArtifacts } from '../artifacts/artifactFiles';
import { defaultContextProblem } from '../kubernetes/contexts';
import { namespaceChangeRefused } from '../kubernetes/namespaces';
import { runRetention } from '../retention';
import type { CoreContext } from './context';
import { cleanupRule } from './bulkHandlers';
import { mustJob } from './jobHandlers';
import { computeStats } from './stats';

type SystemHandlers = Omit<
  Handlers,
  | 'templates.list'
  | 'templates.get'
  | 'templates.save'
  | 'templates.delete'
  | 'templates.import'
  | 'templates.importSave'
  | 'templates.export'
  | 'templates.duplicate'
  | 'templates.exportMany'
  | 'jobs.create'
  | 'jobs.list'
  | 'jobs.templateNames'
  | 'jobs.get'
  | 'jobs.cancel'
  | 'jobs.retry'
  | 'jobs.clone'
  | 'jobs.reorder'
  | 'jobs.remove'
  | 'images.list'
  | 'templates.examples'
  | 'templates.fromDockerRun'
  | 'jobs.setDependencies'
  | 'jobs.graph'
  | 'queue.waits'
  | 'templates.chain'
  | 'jobs.suspend'
  | 'jobs.resume'
  | 'jobs.pin'
  | 'jobs.bulk'
  | 'jobs.export'
  | 'retention.preview'
  | 'logs.search'
  | 'logs.lines'
  | 'logs.save'
  | 'logs.tail'
  | 'artifacts.read'
  | 'artifacts.open'
  | 'artifacts.reveal'
  | 'jobs.events'
  | 'jobs.report'
  | 'jobs.pull'
  | 'engines.test'
  | 'engines.contexts'
  | 'engines.pickFile'
  | 'notify.channels.list'
  | 'notify.channels.save'
  | 'notify.channels.remove'
  | 'notify.test'
  | 'notify.deliveries'
  | 'alerts.list'
  | 'metrics.text'
>;

export function systemHandlers(ctx: CoreContext): SystemHandlers {
  const setPaused = (queuePaused: boolean) => {
    ctx.store.updateSettings({ queuePaused });
    ctx.scheduler.pump();
    const state = ctx.scheduler.queueState();
    ctx.hub.emit('queue.state', state);
    return state;
  };
  return {
    async 'logs.read'({ id, attempt, offset, maxBytes, merge, step }) {
      const job = mustJob(ctx, id);
      const n = attempt ?? job.attempts[job.attempts.length - 1]?.number;
      if (n === undefined) return { chunks: [], nextOffset: 0, size: 0, eof: true, truncated: false };
      const found = job.attempts.find((a) => a.number === n);
      if (!found) throw new AppError('NOT_FOUND', `job ${id} has no attempt ${n}`);
      if (step !== undefined && !found.steps?.some((s) => s.name === step)) throw new AppError('NOT_FOUND', `attempt ${n} of job ${id} has no init container or sidecar ${step}`);
      return ctx.logs.read(id, n, offset, maxBytes, merge, step);
    },
    async 'logs.subscribe'({ id }, { clientId }) {
      mustJob(ctx, id);
      ctx.hub.subscribeLogs(clientId, id);
      return { ok: true };
    },
    async 'logs.unsubscribe'({ id }, { clientId }) {
      ctx.hub.unsubscribeLogs(clientId, id);
      return { ok: true };
    },
    async 'artifacts.list'({ id }) {
      mustJob(ctx, id);
      return listArtifacts(ctx.dataDir, id);
    },
    async 'engines.list'() {
      return ctx.engines.list();
    },
    async 'engines.refresh'() {
      const list = await ctx.engines.refresh(ctx.store.settings().engines);
      ctx.scheduler.pump();
      return list;
    },
    async 'engines.add'(config) {
      const settings = ctx.store.settings();
      if (ctx.engines.get(config.id) || settings.engines.some((e) => e.id === config.id)) {
        throw new AppError('CONFLICT', `an engine with id "${config.id}" already exists`, [{ path: 'id', message: 'already used' }]);
      }
      ctx.store.updateSettings({ engines: [...settings.engines, config] });
      await ctx.engines.refresh(ctx.store.settings().engines, { onlyNew: true });
      ctx.scheduler.pump();
      const info = ctx.engines.get(config.id)?.info;
      if (!info) throw new AppError('INTERNAL', `engine ${config.id} was not registered`);
      return info;
    },
    async 'engines.remove'({ id }) {
      const settings = ctx.store.settings();
      if (!settings.engines.some((e) => e.id === id)) {
        throw new AppError('NOT_FOUND', `no engine "${id}" in settings (discovered engines cannot be removed)`);
      }
      if (ctx.scheduler.runningAttempts(id, true) > 0) throw new AppError('CONFLICT', `engine ${id} is running jobs`);
      ctx.store.updateSettings({ engines: settings.engines.filter((e) => e.id !== id) });
      await ctx.engines.refresh(ctx.store.settings().engines, { onlyNew: true });
      return { ok: true };
    },
    async 'queue.state'() {
      return ctx.scheduler.queueState();
    },
    async 'queue.pause'() {
      return setPaused(true);
    },
    async 'queue.resume'() {
      return setPaused(false);
    },
    async 'stats.get'({ from, to }) {
      return computeStats(ctx.store.allJobs(), from, to, ctx.clock.now());
    },
    async 'settings.get'() {
      return ctx.store.settings();
    },
    async 'settings.update'(patch) {
      const refused = namespaceChangeRefused(ctx.engines.list(), patch);
      if (refused) throw new AppError('CONFLICT', refused, [{ path: 'kubernetes.namespaces', message: refused }]);
      // The default context is one of the kubeconfig's, as a template's kubernetes:<context> is.
      const unknown = defaultContextProblem(patch.kubernetes?.context, ctx.engines.list());
      if (unknown) throw new AppError('VALIDATION', unknown, [{ path: 'kubernetes.context', message: unknown }]);
      const next = ctx.store.updateSettings(patch);
      // A Kubernetes namespace chosen or cleared makes that context's engine again (its Jobs go there).
      if (patch.engines || patch.kubernetes !== undefined) await ctx.engines.refresh(next.engines);
      ctx.scheduler.pump();
      ctx.hub.emit('queue.state', ctx.scheduler.queueState());
      return next;
    },
    async 'retention.run'(args) {
      // From the preview's time when it gives one (bulkHandlers.cleanupRule): the run removes what it counted.
      const removed = await runRetention(ctx.store, ctx.logs, ctx.dataDir, cleanupRule(ctx, args));
      if (removed.length) ctx.hub.emit('job.removed', { ids: removed });
      return { removed: removed.length };
    },
  };
}
