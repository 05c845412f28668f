// What the user typed, read into the contract's terms; a bad value is a UsageError (exit 2) that
// names the argument, as `docker run` and kubectl do.
import { parseCpus, parseMemory } from '../shared/quantity';
import type { JobStatus } from '../shared/job';
import { JOB_STATUSES } from '../shared/jobStates';
import type { EnvVar } from '../shared/template';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "90s", "15m", "12h", "7d", "2w", "1h30m": a span of time in ms. */
export function parseDuration(text: string, option: string): number {
  const s = text.trim();
  const parts = [...s.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)];
  if (!s || parts.map((p) => p[0]).join('') !== s) {
    throw new UsageError(`${option}: "${text}" is not a duration; use a number with s, m, h, d or w, such as 90s, 15m, 12h or 7d`);
  }
  return parts.reduce((ms, p) => ms + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
}

/** --since / --until: a duration back from now (12h) or an ISO time; as ISO. */
export function parseSince(text: string, option: string, now: number = Date.now()): string {
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const t = Date.parse(text);
    if (Number.isNaN(t)) throw new UsageError(`${option}: "${text}" is not a date and time; use an ISO time such as 2026-03-01T09:00:00Z or a duration such as 12h`);
    return new Date(t).toISOString();
  }
  return new Date(now - parseDuration(text, option)).toISOString();
}

/** --timeout: a duration (90s, 2h) or whole seconds (300). */
export function parseTimeout(text: string, option = '--timeout'): number {
  const seconds = /^\d+$/.test(text.trim()) ? Number(text) : parseDuration(text, option) / 1000;
  if (!Number.isInteger(seconds) || seconds < 1) throw new UsageError(`${option}: "${text}" must be at least 1 second, in whole seconds`);
  return seconds;
}

/** --env K=V; a bare K takes the value from this shell's environment, as `docker run -e K` does. */
export function parseEnv(text: string, env: Record<string, string | undefined> = process.env): EnvVar {
  const eq = text.indexOf('=');
  const name = eq < 0 ? text : text.slice(0, eq);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new UsageError(`--env: "${text}" must be NAME=VALUE, the name of letters, digits and _, not starting with a digit`);
  }
  if (eq >= 0) return { name, value: text.slice(eq + 1), secret: false };
  const value = env[name];
  if (value === undefined) throw new UsageError(`--env: ${name} has no value here; give it as ${name}=VALUE`);
  return { name, value, secret: false };
}

export function parseMemoryArg(text: string): string {
  if (parseMemory(text) === null) throw new UsageError(`--memory: "${text}" is not a size; use 256Mi, 1G or a number of bytes`);
  return text;
}

export function parseCpusArg(text: string): string {
  if (parseCpus(text) === null) throw new UsageError(`--cpus: "${text}" is not a number of CPUs; use 0.5, 2 or 500m`);
  return text;
}

export function parseIntArg(text: string, option: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || n < min || n > max) throw new UsageError(`${option}: "${text}" must be a whole number from ${min} to ${max}`);
  return n;
}

/** --status pending,running (or repeated): the job states, each checked. */
export function parseStatuses(values: readonly string[], option = '--status', allowed: readonly string[] = JOB_STATUSES): JobStatus[] {
  const out = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const s of out) {
    if (!allowed.includes(s)) throw new UsageError(`${option}: "${s}" is not a job state; use ${allowed.join(', ')}`);
  }
  return out as JobStatus[];
}

/** Commander's collector for repeatable options. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
