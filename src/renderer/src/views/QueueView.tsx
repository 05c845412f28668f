import { useState } from 'react';
import type { JobSummary } from '../../../shared/query';
import { client } from '../client/client';
import { ExitBadge } from '../components/ExitBadge';
import { FirstSteps } from '../components/FirstSteps';
import { PullProgressRow } from '../components/PullProgress';
import { duration, since } from '../components/format';
import { ranMs } from '../../../shared/jobNumbers';
import { useNow } from '../components/useNow';
import { BulkBar } from '../components/selection/BulkBar';
import '../components/selection/selection.css';
import { useListSelection } from '../components/selection/useListSelection';
import { useRovingRows } from '../components/useRovingRows';
import { PriorityMenu, priorityKeys } from '../components/PriorityMenu';
import { WaitReason, useWaits } from '../components/WaitReason';
import { TEMPLATE_DRAG_TYPE } from '../drop/useTemplateFileDrop';
import { reportError, useApp } from '../store/app';

const JOB_DRAG_TYPE = 'application/x-jobdeck-job';

/** Pending jobs in the order the scheduler takes them: priority 1 first, then FIFO by seq. */
export function byQueueOrder(a: JobSummary, b: JobSummary): number {
  return a.priority - b.priority || a.seq - b.seq;
}

export function QueueView() {
  const active = useApp((s) => s.active);
  const queue = useApp((s) => s.queue);
  const go = useApp((s) => s.go);
  const now = useNow();
  const noTemplates = useApp((s) => s.templates.length === 0);
  const waits = useWaits();
  const [dropTarget, setDropTarget] = useState<string | undefined>();
  const [templateOver, setTemplateOver] = useState(false);
  const jobs = Object.values(active);
  const running = jobs.filter((j) => j.status === 'running').sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
  const pending = jobs.filter((j) => j.status === 'pending').sort(byQueueOrder);
  const runningRows = useRovingRows(running.length, (i) => running[i] && go('job', running[i].id));
  const pendingRows = useRovingRows(pending.length, (i) => pending[i] && go('job', pending[i].id));
  // One selection over both tables, running rows first (a Shift range may cross from one to the other).
  const list = useListSelection([...running, ...pending].map((j) => j.id));
  const selectBox = (j: JobSummary, index: number) => (
    <td className="select-cell">
      <input
        type="checkbox"
        tabIndex={-1}
        checked={list.isSelected(j.id)}
        aria-label={`Select ${j.templateName} ${j.id.slice(0, 8)}`}
        onClick={(e) => {
          e.stopPropagation();
          list.click(e, index, true);
        }}
        onChange={() => undefined /* the click above decides (it knows Shift) */}
        data-testid="queue-select"
      />
    </td>
  );
  const rowKeys = (index: number, onKeyDown: (e: React.KeyboardEvent<HTMLElement>) => void) => (e: React.KeyboardEvent<HTMLElement>) => {
    if (list.key(e, index)) e.preventDefault();
    else onKeyDown(e);
  };

  const act = (p: Promise<unknown>) => void p.catch(reportError);
  const cancel = (id: string) => act(client.invoke('jobs.cancel', { id }));
  const pauseOrResume = () =>
    act(client.invoke(queue.paused ? 'queue.resume' : 'queue.pause', {}).then((q) => useApp.setState({ queue: q })));

  // Dropping a pending job on another puts it just before that one, taking its priority.
  const reorder = (id: string, before: JobSummary) => {
    if (id === before.id) return;
    act(client.invoke('jobs.reorder', { id, priority: before.priority, beforeId: before.id }));
  };

  const onQueueDrop = (e: React.DragEvent) => {
    const templateId = e.dataTransfer.getData(TEMPLATE_DRAG_TYPE);
    setTemplateOver(false);
    if (!templateId) return;
    e.preventDefault();
    act(
      client.invoke('jobs.create', { templateId }).then((job) => useApp.getState().toast('success', `Queued ${job.templateName}`)),
    );
  };

  return (
    <section
      className={`view ${templateOver ? 'template-over' : ''}`}
      data-testid="queue-view"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(TEMPLATE_DRAG_TYPE)) {
          e.preventDefault();
          setTemplateOver(true);
        }
      }}
      onDragLeave={(e) => e.currentTarget === e.target && setTemplateOver(false)}
      onDrop={onQueueDrop}
      onKeyDown={priorityKeys(pending)}
    >
      <header className="view-head">
        <h1>Queue</h1>
        <div className="stats-inline">
          <span>
            <b>{queue.running}</b> running
          </span>
          <span>
            <b>{queue.pending}</b> pending
          </span>
          <span>
            limit <b>{queue.concurrency}</b>
          </span>
        </div>
        <div className="spacer" />
        {queue.paused && <span className="pill pill-paused">paused</span>}
        <button onClick={pauseOrResume} data-testid="pause-toggle">
          {queue.paused ? 'Resume queue' : 'Pause queue'}
        </button>
        <button className="primary" onClick={() => useApp.getState().openRun({})}>
          New run
        </button>
      </header>
      {noTemplates && jobs.length === 0 && <FirstSteps />}

      <BulkBar
        count={list.selected.length}
        total={running.length + pending.length}
        all={false}
        selection={() => (list.selected.length ? { ids: list.selected } : undefined)}
        onSelectAll={list.selectAll}
        onClear={list.clear}
        actions={['cancel', 'clone']}
      />
      <h2 className="section-title">Running</h2>
      {running.length === 0 ? (
        <p className="empty">Nothing running.</p>
      ) : (
        <table className="table" aria-label="Running jobs" ref={(el) => void (runningRows.containerRef.current = el)}>
          <thead>
            <tr>
              <th className="select-cell">
                <span className="sr-only">Select</span>
              </th>
              <th>Job</th>
              <th>Image</th>
              <th>Engine</th>
              <th>Attempt</th>
              <th>Elapsed</th>
              <th>State</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {running.map((j, i) => (
              <tr
                key={j.id}
                className={`clickable ${list.isSelected(j.id) ? 'selected' : ''}`}
                onClick={(e) => list.click(e, i) || go('job', j.id)}
                data-testid="running-row"
                data-job-id={j.id}
                aria-label={`${j.templateName} ${j.id.slice(0, 8)}, running`}
                {...runningRows.rowProps(i)}
                onKeyDown={rowKeys(i, runningRows.rowProps(i).onKeyDown)}
              >
                {selectBox(j, i)}
                <td className="clip clip-wide" title={j.templateName}>
                  <b>{j.templateName}</b> <span className="muted mono">{j.id.slice(0, 8)}</span>
                </td>
                <td className="mono muted clip" title={j.image}>
                  {j.image}
                </td>
                <td>{j.engineId ?? '–'}</td>
                <td>#{j.attempts}</td>
                <td className="mono">{duration(ranMs(j.ran, now))}</td>
                <td>
                  <ExitBadge status={j.status} />{' '}
                  {j.phase && (
                    <span className="muted small" data-testid="attempt-phase">
                      {j.phase}
                    </span>
                  )}{' '}
                  <PullProgressRow jobId={j.id} running />
                </td>
                <td className="actions">
                  <button className="danger small" onClick={(e) => (e.stopPropagation(), cancel(j.id))}>
                    Cancel
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 className="section-title">
        Pending <span className="muted">— drag a job onto another to move it ahead; drop a template here to run it</span>
      </h2>
      {pending.length === 0 ? (
        <p className="empty">The queue is empty. Press n for a new run, or drag a template from Templates onto this view.</p>
      ) : (
        <table className="table" aria-label="Pending jobs" ref={(el) => void (pendingRows.containerRef.current = el)}>
          <thead>
            <tr>
              <th className="select-cell">
                <span className="sr-only">Select</span>
              </th>
              <th>
                <span className="sr-only">Move</span>
              </th>
              <th>Priority</th>
              <th>Job</th>
              <th>Image</th>
              <th>Waiting</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pending.map((j, i) => (
              <tr
                key={j.id}
                aria-label={`${j.templateName} ${j.id.slice(0, 8)}, pending, priority ${j.priority}`}
                {...pendingRows.rowProps(i)}
                onKeyDown={rowKeys(running.length + i, pendingRows.rowProps(i).onKeyDown)}
                className={`clickable ${dropTarget === j.id ? 'drop-target' : ''} ${list.isSelected(j.id) ? 'selected' : ''}`}
                draggable
                data-testid="pending-row"
                data-job-id={j.id}
                onClick={(e) => list.click(e, running.length + i) || go('job', j.id)}
                onDragStart={(e) => {
                  e.dataTransfer.setData(JOB_DRAG_TYPE, j.id);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                onDragOver={(e) => {
                  if (!e.dataTransfer.types.includes(JOB_DRAG_TYPE)) return;
                  e.preventDefault();
                  setDropTarget(j.id);
                }}
                onDragLeave={() => setDropTarget(undefined)}
                onDrop={(e) => {
                  const id = e.dataTransfer.getData(JOB_DRAG_TYPE);
                  setDropTarget(undefined);
                  if (!id) return;
                  e.preventDefault();
                  e.stopPropagation();
                  reorder(id, j);
                }}
              >
                {selectBox(j, running.length + i)}
                <td className="grip" title="drag to reorder">
                  ⋮⋮
                </td>
                <td>
                  <PriorityMenu job={j} />
                </td>
                <td className="clip clip-wide" title={j.templateName}>
                  <b>{j.templateName}</b> <span className="muted mono">{j.id.slice(0, 8)}</span>
                </td>
                <td className="mono muted clip clip-narrow" title={j.image}>
                  {j.image}
                </td>
                {/* One line, whatever the reason says (the whole of it on hover): a reason that wrapped when it arrived moved the rows under the pointer. */}
                <td className="muted clip"><WaitReason reason={waits[j.id]} fallback={j.waitingFor ? `for ${j.waitingFor}` : since(j.createdAt, now)} /></td>
                <td className="actions">
                  <button className="danger small" onClick={(e) => (e.stopPropagation(), cancel(j.id))}>
                    Cancel
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
