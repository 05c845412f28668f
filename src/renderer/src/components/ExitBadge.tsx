import { describeExit } from '../../../shared/exitCodes';
import type { EndReason, JobStatus } from '../../../shared/job';

interface Props {
  status?: JobStatus;
  exitCode?: number | null | undefined;
  reason?: EndReason | undefined;
  message?: string | undefined;
}

/** The one exit-code badge: colour and a short meaning; the whole story in the tooltip. */
export function ExitBadge({ status, exitCode, reason, message }: Props) {
  if (status === 'pending' || status === 'running') {
    return (
      <span className={`badge badge-${status}`} data-testid="exit-badge" data-tone="info" title={status}>
        {status}
      </span>
    );
  }
  const m = describeExit(exitCode, reason);
  const title = [m.meaning, reason && `reason: ${reason}`, exitCode !== undefined && exitCode !== null && `exit code ${exitCode}`, message]
    .filter(Boolean)
    .join('\n');
  return (
    <span className={`badge badge-${m.tone}`} data-testid="exit-badge" data-tone={m.tone} title={title}>
      {m.label}
    </span>
  );
}
