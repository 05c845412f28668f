import { z } from 'zod';

// Kubernetes-style quantities, so a manifest's "256Mi" or "500m" means what kubectl means.
const MEMORY_SUFFIX: Record<string, number> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12,
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4,
  // docker run's spellings
  b: 1, kb: 1024, m: 1024 ** 2, g: 1024 ** 3, mb: 1024 ** 2, gb: 1024 ** 3,
};

export function parseMemory(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.round(value) : null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  if (!m) return null;
  const factor = MEMORY_SUFFIX[m[2] ?? ''] ?? MEMORY_SUFFIX[(m[2] ?? '').toLowerCase()];
  if (factor === undefined) return null;
  const bytes = Math.round(Number(m[1]) * factor);
  return bytes > 0 ? bytes : null;
}

export function parseCpus(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : null;
  const m = /^\s*(\d+(?:\.\d+)?)(m?)\s*$/.exec(value);
  if (!m) return null;
  const cpus = m[2] === 'm' ? Number(m[1]) / 1000 : Number(m[1]);
  return cpus > 0 ? cpus : null;
}

export const MemoryQuantity = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const bytes = parseMemory(v);
    if (bytes === null) {
      ctx.addIssue({ code: 'custom', message: `expected a positive memory size such as 256Mi, 1G or 67108864, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return bytes;
  });

export const CpuQuantity = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const cpus = parseCpus(v);
    if (cpus === null) {
      ctx.addIssue({ code: 'custom', message: `expected a positive CPU count such as 0.5, 2 or 500m, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return cpus;
  });

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
