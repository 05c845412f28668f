import { quote } from 'shell-quote';
import type { TemplateSpec } from '../../../shared/template';

/**
 * The job page's spec as text a person can read and paste. The argv is what the engine runs:
 * the entrypoint (when the template sets one) then the command, a string command running as
 * `sh -c` (as the executor's toCmd does: docker CLI semantics), each word quoted as a POSIX shell
 * needs it.
 */
export function argvOf(spec: Pick<TemplateSpec, 'command' | 'entrypoint'>): string[] | undefined {
  const cmd = spec.command === undefined ? [] : typeof spec.command === 'string' ? ['sh', '-c', spec.command] : spec.command;
  const argv = [...(spec.entrypoint ?? []), ...cmd];
  return argv.length ? argv : undefined;
}

export function quotedArgv(spec: Pick<TemplateSpec, 'command' | 'entrypoint'>): string {
  const argv = argvOf(spec);
  return argv ? quote(argv) : "(the image's default command)";
}

export function limitsText(limits: TemplateSpec['limits']): string {
  const parts = [limits.memory && `memory ${limits.memory}`, limits.cpus && `CPUs ${limits.cpus}`].filter(Boolean);
  return parts.length ? parts.join(', ') : 'none (the engine’s defaults)';
}

export function secondsText(s: number): string {
  if (s % 86_400 === 0) return `${s / 86_400} d`;
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0 && s >= 60) return `${s / 60} min`;
  return `${s} s`;
}

export function retryText(retry: TemplateSpec['retry']): string {
  if (retry.limit === 0) return 'no retries';
  const never = retry.neverRetryExitCodes.length ? `; never on exit ${retry.neverRetryExitCodes.join(', ')}` : '';
  return (
    `up to ${retry.limit} ${retry.limit === 1 ? 'retry' : 'retries'}, after ${secondsText(retry.backoffInitialSeconds)}` +
    ` ×${retry.backoffFactor} up to ${secondsText(retry.backoffMaxSeconds)}${never}`
  );
}

const ORIGIN: Record<string, string> = {
  manual: 'run by hand',
  schedule: 'started by its schedule',
  retry: 'a retry of a cancelled job',
  clone: 'a clone of another job',
  import: 'imported',
};
export const originText = (origin: string): string => ORIGIN[origin] ?? origin;
