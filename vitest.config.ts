import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // expect.poll waits for what a page or process shows next; on a loaded two-core machine a form's
    // answer can take over vitest's default second (seen: a clean clone's subscribe test).
    expect: { poll: { timeout: 15_000 } },
    // PostgreSQL and Chromium for the run: the local ones, else throwaway ones from npm packages.
    globalSetup: ['test/support/global-setup.ts'],
  },
});
