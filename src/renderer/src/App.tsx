import { client } from './client/client';
import { AlertBanner } from './components/alerts/AlertBanner';
import { LeaveDialog } from './components/ConfirmDialog';
import { ConnectionBanner } from './components/ConnectionBanner';
import { FirstStepsDialogs } from './components/FirstSteps';
import { RunDialog } from './components/RunDialog';
import { ShortcutsHelp } from './components/ShortcutsHelp';
import { Toasts } from './components/Toasts';
import { TEMPLATE_DRAG_TYPE, useTemplateFileDrop } from './drop/useTemplateFileDrop';
import { Bell } from './notify/Bell';
import { VIEWS } from './routes';
import { useShortcuts } from './shortcuts';
import { reportError, useApp, type View } from './store/app';
import { DashboardView } from './views/DashboardView';
import { EnginesView } from './views/EnginesView';
import { HistoryView } from './views/HistoryView';
import { JobView } from './views/JobView';
import { QueueView } from './views/QueueView';
import { SettingsView } from './views/SettingsView';
import { TemplatesView } from './views/TemplatesView';

const PAGES: Record<View, () => React.JSX.Element> = {
  queue: QueueView,
  history: HistoryView,
  job: JobView,
  templates: TemplatesView,
  engines: EnginesView,
  dashboard: DashboardView,
  settings: SettingsView,
};

/** A template dragged from the Templates view onto the Queue nav item runs as it is. */
const queueDropTarget = {
  onDragOver(e: React.DragEvent) {
    if (e.dataTransfer.types.includes(TEMPLATE_DRAG_TYPE)) e.preventDefault();
  },
  onDrop(e: React.DragEvent) {
    const templateId = e.dataTransfer.getData(TEMPLATE_DRAG_TYPE);
    if (!templateId) return;
    e.preventDefault();
    void client.invoke('jobs.create', { templateId }).then((job) => {
      useApp.getState().toast('success', `Queued ${job.templateName}`);
      useApp.getState().go('queue');
    }, reportError);
  },
};

export function App() {
  const view = useApp((s) => s.view);
  const queue = useApp((s) => s.queue);
  const go = useApp((s) => s.go);
  const openRun = useApp((s) => s.openRun);
  const run = useApp((s) => s.run);
  const help = useApp((s) => s.help);
  const leaving = useApp((s) => s.leaving);
  const offline = useApp((s) => s.connection !== 'connected');
  const dragging = useTemplateFileDrop();
  useShortcuts();
  const Page = PAGES[view];
  return (
    <div className="app">
      <nav className="nav" aria-label="Views">
        <div className="brand">
          <span className="logo">▣</span> Jobdeck
          <Bell />
        </div>
        {VIEWS.map((v, i) => (
          <button
            key={v.view}
            className={`nav-item ${view === v.view || (view === 'job' && v.view === 'history') ? 'active' : ''}`}
            onClick={() => go(v.view)}
            title={`g ${v.key} · Ctrl+${i + 1}`}
            aria-current={view === v.view || (view === 'job' && v.view === 'history') ? 'page' : undefined}
            data-testid={`nav-${v.view}`}
            {...(v.view === 'queue' ? queueDropTarget : {})}
          >
            <span>{v.label}</span>
            {v.view === 'queue' && queue.running + queue.pending > 0 && <span className="count">{queue.running + queue.pending}</span>}
          </button>
        ))}
        <div className="nav-foot">
          <div className="queue-state">{queue.paused ? <span className="pill pill-paused">queue paused</span> : `${queue.running} running · ${queue.pending} pending`}</div>
          <button className="primary wide" onClick={() => openRun({})} title="n" disabled={offline}>
            New run
          </button>
          <button className="hint link" onClick={() => useApp.setState({ help: true })}>
            <kbd>g</kbd> <kbd>q</kbd> views · <kbd>n</kbd> run · <kbd>/</kbd> search · <kbd>?</kbd> all
          </button>
        </div>
      </nav>
      {/* While the host is away every control is disabled: the view must still scroll by keyboard. */}
      <main className="main" tabIndex={offline ? 0 : undefined} aria-label={offline ? 'Jobdeck (not connected)' : undefined}>
        <ConnectionBanner />
        <AlertBanner />
        {/* A disabled fieldset disables every control in the view while the host is away. */}
        <fieldset className="view-frame" disabled={offline}>
          <Page />
        </fieldset>
      </main>
      {run && <RunDialog request={run} />}
      <FirstStepsDialogs />
      {help && <ShortcutsHelp />}
      {leaving && <LeaveDialog />}
      {dragging && (
        <div className="drop-overlay">
          <div>Drop template files to import them</div>
        </div>
      )}
      <Toasts />
    </div>
  );
}
