import { defineConfig } from 'vitest/config';

// `npm run test:unit` (test/unit) and `npm run test:integration` (test/integration, real engines)
// pick their tier by path; `npm run test:coverage` (what `npm test` and CI run) runs both in one
// pass and ends with a coverage summary of the core and the contract.
/** Unit files that mock modules (vi.mock, vi.doMock): each runs in a module graph of its own. */
export const UNIT_MOCKING = ['test/unit/electron-preload.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Unit files run side by side first; then the integration files, two at a time: they spend
    // their time waiting on containers (2.5 of 9 minutes on a CPU in a run one at a time), each
    // core labels what it starts with its own instance and finds only that, and what two files
    // could build at once (out/, the CLI bundle, the test host) is built before or written whole.
    // Unit files share one module graph per worker (isolate: false): importing the core and zod's
    // schemas again for each of 120 files was most of the unit run's CPU. A file that mocks a
    // module (vi.mock) keeps a graph of its own, where the mock cannot leak into other files.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], exclude: UNIT_MOCKING, isolate: false, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'unit-isolated', include: UNIT_MOCKING, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: ['test/support/integrationSetup.ts'], maxWorkers: 2, sequence: { groupOrder: 1 } } },
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
