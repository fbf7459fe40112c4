import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start Dovecot and SMTP servers; keep files in parallel but bounded.
    maxWorkers: 2,
  },
});
