import { availableParallelism } from 'node:os';
import { AppError } from '../../../shared/errors';
import { parseCpus } from '../../../shared/quantity';
import type { TemplateSpec } from '../../../shared/template';

/** This machine's CPUs: only main knows them, so only the core can refuse a limit above them. */
export const hostCpus = (): number => availableParallelism();

export function cpuProblem(spec: Pick<TemplateSpec, 'limits'>, cpus = hostCpus()): string | undefined {
  const v = spec.limits.cpus;
  if (v === undefined) return undefined;
  const n = parseCpus(v);
  if (n !== null && n > cpus) return `CPUs ${String(v)} is more than this machine has (${cpus} CPU${cpus === 1 ? '' : 's'})`;
  return undefined;
}

/** Throws the VALIDATION error the editor shows under CPUs. */
export function assertHostLimits(spec: Pick<TemplateSpec, 'limits'>, cpus = hostCpus()): void {
  const problem = cpuProblem(spec, cpus);
  if (problem) throw new AppError('VALIDATION', problem, [{ path: 'limits.cpus', message: problem }]);
}
