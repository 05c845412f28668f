import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/** The folders whose coverage the log reports, each on its own line. */
const FOLDERS = ['src/main/core', 'src/shared'];
const METRICS = ['statements', 'branches', 'functions', 'lines'] as const;
type Metric = (typeof METRICS)[number];
interface Count {
  total: number;
  covered: number;
}
/** The part of istanbul's CoverageMap (what vitest's v8 provider hands reporters) read here. */
interface CoverageMapLike {
  files(): string[];
  fileCoverageFor(file: string): { toSummary(): { data: Record<Metric, Count> } };
}
const isCoverageMap = (v: unknown): v is CoverageMapLike =>
  typeof v === 'object' && v !== null && typeof (v as CoverageMapLike).files === 'function' && typeof (v as CoverageMapLike).fileCoverageFor === 'function';

/**
 * Ends the run with one plain line, "N passed, N failed, N skipped", that any CI log reader
 * counts; with --coverage, also a line per folder of FOLDERS (statements, branches, functions,
 * lines covered), beside the summary of them all that vitest prints.
 */
export default class SummaryReporter implements Reporter {
  /** The folders' lines, printed after the count (vitest calls onCoverage first). */
  private coverageLines = '';

  onCoverage(coverage: unknown): void {
    if (!isCoverageMap(coverage)) return;
    const sums = new Map(FOLDERS.map((f) => [f, Object.fromEntries(METRICS.map((m) => [m, { total: 0, covered: 0 }])) as Record<Metric, Count>]));
    for (const file of coverage.files()) {
      const rel = relative(process.cwd(), file).split('\\').join('/');
      const folder = FOLDERS.find((f) => rel.startsWith(`${f}/`));
      if (!folder) continue;
      const data = coverage.fileCoverageFor(file).toSummary().data;
      const sum = sums.get(folder)!;
      for (const m of METRICS) {
        sum[m].total += data[m].total;
        sum[m].covered += data[m].covered;
      }
    }
    const pct = (c: Count) => (c.total === 0 ? '–' : `${((100 * c.covered) / c.total).toFixed(1)}%`);
    const title = 'Coverage by folder';
    const width = Math.max(title.length, ...FOLDERS.map((f) => f.length));
    let out = `\n${title.padEnd(width)}  ${METRICS.map((m) => m.padStart(10)).join('  ')}\n`;
    for (const [folder, sum] of sums) out += `${folder.padEnd(width)}  ${METRICS.map((m) => pct(sum[m]).padStart(10)).join('  ')}\n`;
    this.coverageLines = out;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const s = t.result().state;
        if (s === 'passed') passed++;
        else if (s === 'failed') failed++;
        else skipped++;
      }
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n${this.coverageLines}`);
  }
}
