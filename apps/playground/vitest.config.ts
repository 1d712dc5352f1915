import { defineConfig } from 'vitest/config';

// The end-to-end tests drive Debian's Chromium against the built app (see test/e2e.test.ts).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
