import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration files share two engines on a 2-core machine; one file at a time keeps timings honest.
    fileParallelism: false,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
