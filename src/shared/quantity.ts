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

/** Docker and Podman refuse a memory limit below 6 MiB ("Minimum memory limit allowed is 6MB"). */
export const MIN_MEMORY_BYTES = 6 * 1024 ** 2;

/**
 * A memory limit as the user wrote it ("256Mi", "1g", 67108864): checked here, kept as written,
 * turned into bytes only by the executor. Stored templates may hold plain byte counts.
 */
export const MemoryQuantity = z.union([z.number(), z.string()], { error: 'Memory limit must be a size such as 256Mi or 1G' }).superRefine((v, ctx) => {
  const bytes = parseMemory(v);
  if (bytes === null) {
    ctx.addIssue({ code: 'custom', message: `Memory limit must be a size such as 256Mi, 1G or 67108864 (bytes), not ${JSON.stringify(v)}` });
  }
});

/** The same, with the engines' minimum: what a user may save (stored data is read without it). */
export const MemoryLimit = MemoryQuantity.superRefine((v, ctx) => {
  const bytes = parseMemory(v);
  if (bytes !== null && bytes < MIN_MEMORY_BYTES) {
    ctx.addIssue({ code: 'custom', message: `Memory limit ${String(v)} is below the engines' minimum of 6Mi` });
  }
});

/** CPUs as written ("0.5", 2, "500m"); converted to NanoCpus by the executor. */
export const CpuQuantity = z.union([z.number(), z.string()], { error: 'CPUs must be a number such as 0.5, 2 or 500m' }).superRefine((v, ctx) => {
  if (parseCpus(v) === null) {
    ctx.addIssue({ code: 'custom', message: `CPUs must be a positive number such as 0.5, 2 or 500m, not ${JSON.stringify(v)}` });
  }
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
