import { create } from 'zustand';
import type { EngineInfo } from '../../../shared/engine';
import type { QueueState, TemplateSummary } from '../../../shared/ipc';
import type { Job } from '../../../shared/job';
import { summarize, type JobSummary } from '../../../shared/query';
import type { Settings } from '../../../shared/settings';
import { client } from '../client/client';
import { reloadAll } from './reload';
import type { ImportPreviewState } from '../drop/importPreview';
import { foldLastJob } from '../views/templateList';
import type { ConnectionState } from '../client/connection';
import { hashFor, type View } from '../routes';

export type { View };

/** What the run dialog starts from: a template (run) or a finished job (clone with overrides). */
export type RunRequest = { templateId?: string; cloneOf?: string };

/** A form with changes not saved yet (Settings, the template editor): leaving it asks first. */
export interface Unsaved {
  /** What the changes are to, as the leave dialog names it ("Settings", "the template nightly"). */
  what: string;
  /** Saves; false when it could not (the form then shows why). */
  save(): Promise<boolean>;
}

/** How go() moved: a new history entry (default), replacing the current one, or following Back/Forward. */
export type NavMode = 'push' | 'replace' | 'history';

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
  /** Whether the host is there; actions that call it are disabled while it is not. */
  connection: ConnectionState;
  /** Bumped each time the connection (re)opens: live views subscribe again. */
  connectedEpoch: number;
  unsaved: Unsaved | undefined;
  /** What the user asked for (another view, closing the editor) while a form had unsaved changes: the leave dialog is open. */
  leaving: { then(): void } | undefined;
  /** The keyboard shortcuts dialog is open. */
  help: boolean;
  setUnsaved(u: Unsaved | undefined): void;
  /** Runs `then` now, or once the user has saved or discarded the unsaved changes (the leave dialog asks). */
  leave(then: () => void): void;
  /** Answers the leave dialog: save (then go on), discard (go on), or stay. */
  resolveLeave(choice: 'save' | 'discard' | 'stay'): Promise<void>;
  setImportPreview(p: ImportPreviewState | undefined): void;
  openRun(r: RunRequest | undefined): void;
  go(view: View, jobId?: string, mode?: NavMode): void;
  toast(tone: Toast['tone'], text: string): void;
  dismiss(id: number): void;
  loadTemplates(): Promise<void>;
  loadJob(id: string): Promise<void>;
  /** Everything the views show, fetched afresh: at start and after every reconnect. */
  reload(): Promise<void>;
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
  connection: client.connection.state,
  connectedEpoch: 0,
  unsaved: undefined,
  leaving: undefined,
  help: false,
  setUnsaved(unsaved) {
    set({ unsaved });
  },
  leave(then) {
    if (get().unsaved) set({ leaving: { then } });
    else then();
  },
  async resolveLeave(choice) {
    const { leaving, unsaved } = get();
    set({ leaving: undefined });
    if (!leaving || choice === 'stay') return;
    if (choice === 'save' && unsaved && !(await unsaved.save())) return;
    set({ unsaved: undefined });
    leaving.then();
  },
  setImportPreview(importPreview) {
    set({ importPreview });
  },
  openRun(run) {
    set({ run });
  },
  go(view, jobId, mode = 'push') {
    const s = get();
    const same = view === s.view && (view !== 'job' || jobId === undefined || jobId === s.jobId);
    if (!same && s.unsaved) {
      // Back/Forward already moved the address: put the view's own back until the user decides.
      if (mode === 'history') history.pushState(null, '', hashFor(s.view, s.jobId));
      get().leave(() => get().go(view, jobId));
      return;
    }
    set({ view, ...(jobId !== undefined ? { jobId } : {}) });
    // Only the hash changes: the query string (the headless host's token) stays as it is.
    const hash = hashFor(view, jobId ?? get().jobId);
    if (mode === 'history' || location.hash === hash) return;
    if (mode === 'replace') history.replaceState(null, '', hash);
    else history.pushState(null, '', hash);
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
  async reload() {
    await reloadAll((command, input) => client.invoke(command, input), set);
    set((s) => ({ historyVersion: s.historyVersion + 1 }));
    const { jobId, details } = get();
    if (jobId && details[jobId]) await get().loadJob(jobId);
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
    const connected = () => {
      set((s) => ({ connection: 'connected', connectedEpoch: s.connectedEpoch + 1 }));
      void get().reload().catch(reportError);
    };
    client.connection.subscribe((state) => (state === 'connected' ? connected() : set({ connection: state })));
    if (client.connection.state === 'connected') connected();
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
  // While the host is away the banner says so; a toast per failed call would only repeat it.
  if (useApp.getState().connection !== 'connected') return;
  useApp.getState().toast('error', error instanceof Error ? error.message : String(error));
}
