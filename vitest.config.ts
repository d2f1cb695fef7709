import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/setup/plain-summary-reporter.ts'],
    // Every test file runs behind a guard that refuses DNS lookups, TCP and UDP off loopback.
    setupFiles: ['test/setup/no-egress.ts'],
    // Over the whole run, every lab reports what the doctor asked of it: only reads may appear.
    globalSetup: ['test/setup/write-guard-audit.ts'],
  },
});
