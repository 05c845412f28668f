// A job's states as plain values, apart from the Job schema (job.ts builds its enum from them):
// a client that only needs to know whether a state is final (the CLI waiting for a job's end)
// loads no schema to ask.
export const JOB_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatusName = (typeof JOB_STATUSES)[number];

export const TERMINAL: readonly JobStatusName[] = ['completed', 'failed', 'cancelled'];
export const isTerminal = (s: JobStatusName): boolean => TERMINAL.includes(s);
