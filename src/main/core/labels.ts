/** Labels on every container Jobdeck starts: how a restart finds its own again. */
export const LABEL_INSTANCE = 'dev.jobdeck.instance';
export const LABEL_JOB = 'dev.jobdeck.job';
export const LABEL_ATTEMPT = 'dev.jobdeck.attempt';
export const LABEL_INDEX = 'dev.jobdeck.index';
/** On an init container or sidecar of an attempt: its name (the main container has none). */
export const LABEL_STEP = 'dev.jobdeck.step';
/** On an attempt's emptyDir engine volume: the volume's name in the template. */
export const LABEL_VOLUME = 'dev.jobdeck.volume';

export function containerLabels(instanceId: string, jobId: string, attempt: number, index: number): Record<string, string> {
  return {
    [LABEL_INSTANCE]: instanceId,
    [LABEL_JOB]: jobId,
    [LABEL_ATTEMPT]: String(attempt),
    [LABEL_INDEX]: String(index),
  };
}
