/** Labels on every container Jobdeck starts: how a restart finds its own again. */
export const LABEL_INSTANCE = 'dev.jobdeck.instance';
export const LABEL_JOB = 'dev.jobdeck.job';
export const LABEL_ATTEMPT = 'dev.jobdeck.attempt';
export const LABEL_INDEX = 'dev.jobdeck.index';

export function containerLabels(instanceId: string, jobId: string, attempt: number, index: number): Record<string, string> {
  return {
    [LABEL_INSTANCE]: instanceId,
    [LABEL_JOB]: jobId,
    [LABEL_ATTEMPT]: String(attempt),
    [LABEL_INDEX]: String(index),
  };
}
