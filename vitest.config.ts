import { defineConfig } from 'vitest/config';

// `npm run test:unit` (test/unit) and `npm run test:integration` (test/integration, real engines)
// pick their tier by path; `npm run test:coverage` (what `npm test` and CI run) runs both in one
// pass and ends with a coverage summary of the core and the contract.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Unit files run side by side first; then the integration files, which share two engines on
    // a 2-core machine, one at a time (that keeps their timings honest).
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
    reporters: ['default', './test/summary-reporter.ts'],
    coverage: {
      provider: 'v8',
      include: ['src/main/core/**/*.ts', 'src/shared/**/*.ts'],
      // A summary in the log, per folder and in all; the per-file table stays out of it.
      reporter: ['text-summary'],
      reportsDirectory: 'coverage',
    },
  },
});
