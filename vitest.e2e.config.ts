import { defineConfig } from 'vitest/config';

// Real pages in a real browser: `wrangler dev` serves the app, Debian's Chromium drives it.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['./test/e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
