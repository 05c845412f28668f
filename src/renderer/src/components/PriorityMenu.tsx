import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { JobSummary } from '../../../shared/query';
import { PRIORITY_HIGHEST, PRIORITY_LOWEST } from '../../../shared/template';
import { client } from '../client/client';
import { reportError } from '../store/app';
import './dependencies.css';

const LEVELS = [1, 2, 3, 4, 5] as const;
const levelName = (p: number) => `${p}${p === PRIORITY_HIGHEST ? ' (highest)' : p === PRIORITY_LOWEST ? ' (lowest)' : ''}`;

/** Give a pending job another priority; it keeps its place among the jobs of that priority (FIFO). */
function setPriority(job: Pick<JobSummary, 'id' | 'priority'>, priority: number): void {
  if (priority === job.priority || priority < PRIORITY_HIGHEST || priority > PRIORITY_LOWEST) return;
  void client.invoke('jobs.reorder', { id: job.id, priority }).catch(reportError);
}

/**
 * A pending job's priority as a menu button: "P3" opens "Set priority" with 1 to 5; arrows move,
 * Enter or Space picks, Escape closes and gives the focus back to the button.
 */
export function PriorityMenu({ job }: { job: Pick<JobSummary, 'id' | 'priority' | 'templateName'> }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>('[aria-checked="true"]')?.focus();
    const away = (e: MouseEvent) => !menu.current?.contains(e.target as Node) && e.target !== button.current && setOpen(false);
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const items = Array.from(menu.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? []);
    const at = items.indexOf(document.activeElement as HTMLElement);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[e.key];
    if (to !== undefined) items[(to + items.length) % items.length]?.focus();
    else if (e.key === 'Escape' || e.key === 'Tab') close();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <span className="prio-menu" onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
      <button
        ref={button}
        type="button"
        className={`prio prio-${job.priority} small`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`P${job.priority}: priority of ${job.templateName}, set priority`}
        title="Set priority (or + / − on the row)"
        data-testid="priority-menu"
        onClick={() => setOpen(!open)}
      >
        P{job.priority}
        <span aria-hidden="true"> ▾</span>
      </button>
      {open && (
        <div role="menu" aria-label={`Set priority of ${job.templateName}`} ref={menu} onKeyDown={onMenuKey}>
          {LEVELS.map((p) => (
            <button
              key={p}
              type="button"
              role="menuitemradio"
              aria-checked={p === job.priority}
              tabIndex={-1}
              onClick={() => {
                setPriority(job, p);
                close();
              }}
            >
              {p === job.priority ? '✓ ' : ''}
              {levelName(p)}
            </button>
          ))}
        </div>
      )}
    </span>
  );
}

/** + (or =) raises the focused pending row's priority, − lowers it: for the Queue's rows. */
export function priorityKeys(pending: Pick<JobSummary, 'id' | 'priority'>[]) {
  return (e: KeyboardEvent<HTMLElement>) => {
    const row = e.target instanceof HTMLElement ? e.target.closest('tr[data-job-id]') : null;
    if (!row || row !== e.target) return;
    const job = pending.find((j) => j.id === row.getAttribute('data-job-id'));
    const step = e.key === '+' || e.key === '=' ? -1 : e.key === '-' || e.key === '−' ? 1 : 0;
    if (!job || step === 0) return;
    e.preventDefault();
    setPriority(job, job.priority + step);
  };
}
