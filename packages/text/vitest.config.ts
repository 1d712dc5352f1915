import { defineConfig } from 'vitest/config';
import { platformSources } from '../../scripts/vitest-platform-sources.mjs';

export default defineConfig({
  plugins: [platformSources(import.meta.dirname)],
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Model tests are CPU-heavy; on 2 cores parallel files only slow each other down.
    fileParallelism: false,
  },
});
