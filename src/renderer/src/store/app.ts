import { create } from 'zustand';
import type { EngineInfo } from '../../../shared/engine';
import type { QueueState, TemplateSummary } from '../../../shared/ipc';
import type { Job } from '../../../shared/job';
import { summarize, type JobSummary } from '../../../shared/query';
import type { Settings } from '../../../shared/settings';
import { client } from '../client/client';
import type { ImportPreviewState } from '../drop/useTemplateFileDrop';
import { foldLastJob } from '../views/templateList';

export type View = 'queue' | 'history' | 'job' | 'templates' | 'engines' | 'dashboard' | 'settings';

/** What the run dialog starts from: a template (run) or a finished job (clone with overrides). */
export type RunRequest = { templateId?: string; cloneOf?: string };

export interface Toast {
  id: number;
  tone: 'error' | 'info' | 'success';
  text: string;
}

interface AppState {
  view: View;
  jobId: string | undefined;
  /** Pending and running jobs, folded from job.updated events. */
  active: Record<string, JobSummary>;
  /** Full jobs the detail view has loaded. */
  details: Record<string, Job>;
  /** Bumped on every job change: the history view refetches its visible pages. */
  historyVersion: number;
  queue: QueueState;
  engines: EngineInfo[];
  templates: TemplateSummary[];
  settings: Settings | undefined;
  toasts: Toast[];
  /** Files dropped on the window, parsed by templates.import and waiting to be saved. */
  importPreview: ImportPreviewState | undefined;
  run: RunRequest | undefined;
  setImportPreview(p: ImportPreviewState | undefined): void;
  openRun(r: RunRequest | undefined): void;
  go(view: View, jobId?: string): void;
  toast(tone: Toast['tone'], text: string): void;
  dismiss(id: number): void;
  loadTemplates(): Promise<void>;
  loadJob(id: string): Promise<void>;
  start(): Promise<void>;
}

let toastId = 0;

export const useApp = create<AppState>((set, get) => ({
  view: 'queue',
  jobId: undefined,
  active: {},
  details: {},
  historyVersion: 0,
  queue: { paused: false, running: 0, pending: 0, concurrency: 0 },
  engines: [],
  templates: [],
  settings: undefined,
  toasts: [],
  importPreview: undefined,
  run: undefined,
  setImportPreview(importPreview) {
    set({ importPreview });
  },
  openRun(run) {
    set({ run });
  },
  go(view, jobId) {
    set({ view, ...(jobId !== undefined ? { jobId } : {}) });
    const hash = view === 'job' && jobId ? `#/jobs/${jobId}` : `#/${view}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
  },
  toast(tone, text) {
    const id = ++toastId;
    set((s) => ({ toasts: [...s.toasts, { id, tone, text }].slice(-4) }));
    setTimeout(() => get().dismiss(id), tone === 'error' ? 8000 : 4000);
  },
  dismiss(id) {
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  },
  async loadTemplates() {
    set({ templates: await client.invoke('templates.list', {}) });
  },
  async loadJob(id) {
    const job = await client.invoke('jobs.get', { id });
    set((s) => ({ details: { ...s.details, [id]: job } }));
  },
  async start() {
    client.on('job.updated', (job) =>
      set((s) => {
        const active = { ...s.active };
        if (job.status === 'pending' || job.status === 'running') active[job.id] = summarize(job);
        else delete active[job.id];
        const details = s.details[job.id] ? { ...s.details, [job.id]: job } : s.details;
        return { active, details, templates: foldLastJob(s.templates, job), historyVersion: s.historyVersion + 1 };
      }),
    );
    client.on('job.removed', ({ ids }) =>
      set((s) => {
        const active = { ...s.active };
        for (const id of ids) delete active[id];
        return { active, historyVersion: s.historyVersion + 1 };
      }),
    );
    client.on('queue.state', (queue) => set({ queue }));
    client.on('engine.status', (e) => set((s) => ({ engines: upsert(s.engines, e) })));
    client.on('template.changed', () => void get().loadTemplates());
    client.on('store.error', (e) => get().toast('error', e.message));
    const [page, queue, engines, settings] = await Promise.all([
      client.invoke('jobs.list', { status: ['pending', 'running'], limit: 1000, sort: 'priority', order: 'asc' }),
      client.invoke('queue.state', {}),
      client.invoke('engines.list', {}),
      client.invoke('settings.get', {}),
    ]);
    set({ active: Object.fromEntries(page.items.map((j) => [j.id, j])), queue, engines, settings });
    await get().loadTemplates();
  },
}));

function upsert(list: EngineInfo[], e: EngineInfo): EngineInfo[] {
  const i = list.findIndex((x) => x.id === e.id);
  if (i === -1) return [...list, e];
  const next = [...list];
  next[i] = e;
  return next;
}

/** Report a failed action without losing it: the message of a typed error, or the error. */
export function reportError(error: unknown): void {
  useApp.getState().toast('error', error instanceof Error ? error.message : String(error));
}
