import { defineConfig } from 'vitest/config';

// `npm run bench`: figures as ratios against baselines measured in the same run.
// BENCH_SMOKE=1 makes each one small enough for CI.
export default defineConfig({
  test: {
    include: ['bench/**/*.bench.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
