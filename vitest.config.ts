import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/quiet-logs.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // The fault and multi-process cases wait on purpose: list only a test slower than its design.
    slowTestThreshold: 5_000,
  },
});
