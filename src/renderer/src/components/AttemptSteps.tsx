import { useEffect, useState } from 'react';
import type { LogChunk } from '../../../shared/ipc';
import type { Attempt } from '../../../shared/job';
import type { AttemptStep } from '../../../shared/pod';
import { client } from '../client/client';
import { reportError } from '../store/app';
import './attemptSteps.css';

const STATUS_TONE: Record<AttemptStep['status'], string> = {
  waiting: 'muted',
  running: 'info',
  succeeded: 'success',
  failed: 'error',
  stopped: 'muted',
};

/** Every chunk of one step's log (init containers and sidecars write little). */
async function readStepLog(jobId: string, attempt: number, step: string): Promise<string> {
  const out: LogChunk[] = [];
  let offset = 0;
  for (;;) {
    const page = await client.invoke('logs.read', { id: jobId, attempt, step, offset, merge: true });
    out.push(...page.chunks);
    if (page.eof || page.nextOffset === offset) break;
    offset = page.nextOffset;
  }
  return out.map((c) => c.data).join('');
}

/**
 * The init containers and sidecars of one attempt, in the order they start, each with its state
 * and exit code, and its own log on demand (read again whenever the step's state changes).
 */
export function AttemptSteps({ jobId, attempt }: { jobId: string; attempt: Attempt }) {
  const steps = attempt.steps ?? [];
  const [open, setOpen] = useState<string | undefined>();
  const [text, setText] = useState<string | undefined>();
  const openStep = steps.find((s) => s.name === open);
  useEffect(() => {
    setText(undefined);
    if (!open) return;
    void readStepLog(jobId, attempt.number, open).then(setText, reportError);
  }, [jobId, attempt.number, open, openStep?.status]);
  if (steps.length === 0) return null;
  return (
    <div className="attempt-steps" data-testid="attempt-steps">
      <ol className="step-list" aria-label={`Steps of attempt ${attempt.number}`}>
        {steps.map((s) => (
          <li key={s.name} className="step" data-testid="attempt-step" data-step={s.name} data-status={s.status}>
            <span className="mono">{s.name}</span>
            <span className="muted small">{s.kind === 'sidecar' ? 'sidecar' : 'init'}</span>
            <span className={`step-status tone-${STATUS_TONE[s.status]}`}>
              {s.status}
              {s.exitCode !== undefined && s.exitCode !== null ? ` · exit ${s.exitCode}` : ''}
            </span>
            <button className="small" aria-pressed={open === s.name} onClick={() => setOpen(open === s.name ? undefined : s.name)} data-testid="step-log-toggle">
              {open === s.name ? 'Hide log' : 'Log'}
            </button>
          </li>
        ))}
      </ol>
      {openStep && (
        <section className="step-log" aria-label={`Log of ${openStep.name}`} data-testid="step-log">
          <h4 className="small">
            Log of <span className="mono">{openStep.name}</span> ({openStep.kind === 'sidecar' ? 'sidecar' : 'init container'}); the main container's log is below
          </h4>
          {openStep.message && <p className="small">{openStep.message}</p>}
          <pre tabIndex={0}>{text === undefined ? 'Loading…' : text || '(no output)'}</pre>
        </section>
      )}
    </div>
  );
}
