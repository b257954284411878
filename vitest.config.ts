import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: '.',
    include: ['tests/**/*.test.ts', 'server/**/*.test.ts'],
    globalSetup: ['tests/setup/global-setup.ts'],
    reporters: ['default', './tests/setup/backend-summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Each file opens its own embedded database (~0.8 GB while it runs): two at a time suits a 2-core machine.
    maxWorkers: 2,
  },
});
