import { defineConfig } from 'vitest/config';

// Fast unit/contract tests, and browser tests that drive a real Chromium with the built
// extension. Each browser test file launches its own Chromium and sandbox boxes on free ports, so
// files run side by side, four at a time: most of their time is waiting on the sync's timers, not
// on the two cores. The send and comment files run twice: with both boxes in the documented read
// dialect, then both in the top-level one (onebox-api.md, "Newer evidence").
const browserTest = {
  environment: 'node' as const,
  testTimeout: 90_000,
  hookTimeout: 90_000,
  maxWorkers: 4,
  globalSetup: ['test/browser/global-setup.ts'],
};

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
        test: { ...browserTest, name: 'browser', include: ['test/browser/**/*.test.ts'], sequence: { groupOrder: 1 } },
      },
      {
        test: {
          ...browserTest,
          name: 'browser-top-level',
          include: ['test/browser/send.test.ts', 'test/browser/comments-{outbound,inbound,faults,restart}.test.ts'],
          env: { SANDBOX_DIALECT: 'top-level' },
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
