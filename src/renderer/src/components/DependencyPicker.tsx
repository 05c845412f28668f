import { useEffect, useState } from 'react';
import type { JobSummary } from '../../../shared/query';
import { jobLabel } from '../../../shared/wait';
import { client } from '../client/client';
import { reportError, useApp } from '../store/app';
import './dependencies.css';

/** What a run waits for: an existing job, or a new run of a template queued first. */
export type Upstream = { kind: 'job'; id: string; label: string; status: JobSummary['status'] } | { kind: 'template'; id: string; label: string };

const SHOWN = 8;

/**
 * Pick the jobs (running, pending or completed; searched in the core by name, id, image or
 * command) and templates a run waits for. Results are buttons, so Enter on one picks it while
 * Enter in a field still runs the dialog.
 */
export function DependencyPicker({ value, onChange, exclude = [] }: { value: Upstream[]; onChange(v: Upstream[]): void; exclude?: string[] }) {
  const templates = useApp((s) => s.templates);
  const [query, setQuery] = useState('');
  const [jobs, setJobs] = useState<JobSummary[]>([]);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      client
        .invoke('jobs.list', { status: ['running', 'pending', 'completed'], limit: SHOWN + exclude.length + value.length, ...(query.trim() ? { text: query.trim() } : {}) })
        .then((page) => current && setJobs(page.items))
        .catch(reportError);
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // Only the query and what is already chosen change what is offered.
  }, [query, exclude.length, value.length]);

  const chosen = new Set(value.map((v) => `${v.kind}:${v.id}`));
  const q = query.trim().toLowerCase();
  const jobOptions = jobs.filter((j) => !chosen.has(`job:${j.id}`) && !exclude.includes(j.id)).slice(0, SHOWN);
  const templateOptions = q
    ? templates.filter(({ template: t }) => !chosen.has(`template:${t.id}`) && t.name.toLowerCase().includes(q)).slice(0, 4)
    : [];
  const add = (u: Upstream) => onChange([...value, u]);
  const remove = (u: Upstream) => onChange(value.filter((v) => v.kind !== u.kind || v.id !== u.id));

  return (
    <fieldset className="dep-picker" data-testid="dep-picker">
      <legend>Run after</legend>
      {value.length > 0 ? (
        <ul className="dep-chips" aria-label="Runs after">
          {value.map((u) => (
            <li key={`${u.kind}:${u.id}`} className="dep-chip" data-testid="dep-chosen">
              <span>
                {u.kind === 'job' ? `job ${u.label}` : `a new run of ${u.label}`}
                {u.kind === 'job' && <span className="muted"> ({u.status})</span>}
              </span>
              <button type="button" className="ghost small" aria-label={`Remove ${u.label}`} onClick={() => remove(u)}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">Starts as soon as it can. Pick jobs or templates for it to wait for.</p>
      )}
      <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Find a job or template to run after" placeholder="Search jobs and templates…" />
      {(jobOptions.length > 0 || templateOptions.length > 0) && (
        <ul className="dep-options" aria-label="Jobs and templates to run after">
          {jobOptions.map((j) => (
            <li key={j.id}>
              <button type="button" className="small" data-testid="dep-option" onClick={() => add({ kind: 'job', id: j.id, label: jobLabel(j), status: j.status })}>
                job <b>{j.templateName}</b> <span className="mono">{j.id.slice(0, 8)}</span> <span className="muted">{j.status}</span>
              </button>
            </li>
          ))}
          {templateOptions.map(({ template: t }) => (
            <li key={t.id}>
              <button type="button" className="small" data-testid="dep-option" onClick={() => add({ kind: 'template', id: t.id, label: t.name })}>
                template <b>{t.name}</b> <span className="muted">runs a new job of it first</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
