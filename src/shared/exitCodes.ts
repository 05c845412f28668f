import type { EndReason } from './job';

export type BadgeTone = 'success' | 'error' | 'warning' | 'neutral' | 'info';

export interface ExitMeaning {
  label: string;
  meaning: string;
  tone: BadgeTone;
}

const CODES: Record<number, ExitMeaning> = {
  0: { label: '0', meaning: 'succeeded', tone: 'success' },
  1: { label: '1', meaning: 'general error', tone: 'error' },
  2: { label: '2', meaning: 'misuse of a shell builtin or bad arguments', tone: 'error' },
  125: { label: '125', meaning: 'the engine could not run the container', tone: 'error' },
  126: { label: '126', meaning: 'command found but not executable', tone: 'error' },
  127: { label: '127', meaning: 'command not found', tone: 'error' },
  130: { label: '130', meaning: 'interrupted (SIGINT)', tone: 'warning' },
  137: { label: '137', meaning: 'killed (SIGKILL)', tone: 'error' },
  139: { label: '139', meaning: 'segmentation fault (SIGSEGV)', tone: 'error' },
  143: { label: '143', meaning: 'terminated (SIGTERM)', tone: 'warning' },
};

const REASONS: Record<EndReason, ExitMeaning> = {
  Completed: { label: 'Completed', meaning: 'succeeded', tone: 'success' },
  Error: { label: 'Error', meaning: 'the container exited with an error', tone: 'error' },
  OOMKilled: { label: 'OOMKilled', meaning: 'killed for exceeding its memory limit', tone: 'error' },
  DeadlineExceeded: { label: 'Deadline', meaning: 'stopped when its timeout ran out', tone: 'warning' },
  Cancelled: { label: 'Cancelled', meaning: 'cancelled', tone: 'neutral' },
  ImagePullFailed: { label: 'Image', meaning: 'the image could not be pulled or found', tone: 'error' },
  EngineUnavailable: { label: 'No engine', meaning: 'no container engine was available', tone: 'warning' },
  EngineLost: { label: 'Engine lost', meaning: 'the engine went away while the job ran', tone: 'error' },
  UpstreamFailed: { label: 'Upstream', meaning: 'a job it depends on failed or was cancelled', tone: 'neutral' },
  PodFailurePolicy: { label: 'Policy', meaning: 'a pod failure policy rule failed the job', tone: 'error' },
  SuccessCriteriaMet: { label: 'Succeeded', meaning: 'its success policy was met', tone: 'success' },
  FailedIndexes: { label: 'Indexes', meaning: 'some of its indexes failed', tone: 'error' },
  MaxFailedIndexesExceeded: { label: 'Indexes', meaning: 'more indexes failed than it allows', tone: 'error' },
};

/** One place that says what an exit code and a reason mean; the badge and notifications use it. */
export function describeExit(exitCode: number | null | undefined, reason?: EndReason): ExitMeaning {
  // A reason other than Completed/Error says more than the code (137 + OOMKilled, 143 + Deadline...).
  if (reason && reason !== 'Completed' && reason !== 'Error') {
    const r = REASONS[reason];
    const code = exitCode ?? null;
    return code === null ? r : { ...r, label: `${code} ${r.label}`, meaning: `${r.meaning} (exit ${code})` };
  }
  if (exitCode === null || exitCode === undefined) {
    return reason ? REASONS[reason] : { label: '–', meaning: 'no exit code yet', tone: 'info' };
  }
  const known = CODES[exitCode];
  if (known) return known;
  if (exitCode > 128 && exitCode < 160) {
    return { label: String(exitCode), meaning: `killed by signal ${exitCode - 128}`, tone: 'error' };
  }
  return { label: String(exitCode), meaning: 'failed with a non-zero exit code', tone: 'error' };
}
