import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Figure {
  bench: string;
  engine?: string;
  name: string;
  value: number;
  unit: string;
  /** What it is measured against, in the same run. */
  baseline?: { name: string; value: number };
  /** value / baseline, where a baseline exists. */
  ratio?: number;
  target: string;
  met: boolean;
}

export const SMOKE = process.env.BENCH_SMOKE === '1';

/** Print a table and write bench/results/<bench>.json. */
export function report(bench: string, figures: Figure[]): void {
  const rows = figures.map((f) => ({
    engine: f.engine ?? '',
    figure: f.name,
    value: `${round(f.value)} ${f.unit}`,
    baseline: f.baseline ? `${f.baseline.name} ${round(f.baseline.value)} ${f.unit}` : '',
    ratio: f.ratio === undefined ? '' : round(f.ratio, 3),
    target: f.target,
    met: f.met ? 'yes' : 'NO',
  }));
  console.log(`\n${bench}${SMOKE ? ' (smoke run)' : ''}`);
  console.table(rows);
  const dir = join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${bench}.json`), JSON.stringify({ bench, smoke: SMOKE, at: new Date().toISOString(), figures }, null, 2));
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
