import type { JobStatus } from '../../../shared/job';

/** The job's state in words; the exit badge says how it ended. */
export function StatusPill({ status }: { status: JobStatus }) {
  return (
    <span className={`pill pill-${status}`} data-testid="status">
      {status}
    </span>
  );
}
