import { defineConfig } from 'vitest/config';

// `npm run test:unit` (test/unit) and `npm run test:integration` (test/integration, real engines)
// pick their tier by path; `npm run test:coverage` (what `npm test` and CI run) runs both in one
// pass and ends with a coverage summary of the core and the contract.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration files share two engines on a 2-core machine; one file at a time keeps timings honest.
    fileParallelism: false,
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
