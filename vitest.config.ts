import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The migrated template every test database copies, and dist/ for the tests that run it.
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration and e2e files each own a database; two cores, so keep parallelism modest.
    maxWorkers: 2,
  },
});
