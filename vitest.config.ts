import { defineConfig } from 'vitest/config';

// Two projects: fast unit/contract tests, and browser tests that drive a real Chromium with the
// built extension. Each browser test file launches its own Chromium and sandbox boxes on free
// ports, so files run side by side, four at a time: most of their time is waiting on the sync's
// timers, not on the two cores.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}', 'test/contract/**/*.test.ts'],
          environment: 'node',
          testTimeout: 15_000,
          // The fast tests first, then the browser tests with their own worker count.
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 90_000,
          maxWorkers: 4,
          sequence: { groupOrder: 1 },
          globalSetup: ['test/browser/global-setup.ts'],
        },
      },
    ],
  },
});
