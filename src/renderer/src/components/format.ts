import { spanMs } from '../../../shared/jobNumbers';

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} m`;
}

// Elapsed times go through the one duration function of shared/jobNumbers.ts.
export function since(iso: string | undefined, now = Date.now()): string {
  return duration(spanMs({ ...(iso ? { from: iso } : {}) }, now));
}

/** Time left until `iso` ('–' once it has passed). */
export function until(iso: string, now = Date.now()): string {
  return duration(spanMs({ from: new Date(now).toISOString(), to: iso }));
}

export function between(a: string | undefined, b: string | undefined): string {
  return a && b ? duration(spanMs({ from: a, to: b })) : '–';
}

export function when(iso: string | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
