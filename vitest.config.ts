import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The migrated template every test database copies, and dist/ for the tests that run it.
    globalSetup: ['tests/global-setup.ts'],
    setupFiles: ['tests/explain-failures.ts'],
    testTimeout: 30_000,
    // Hooks start Pulse processes, whose own start-up limit is 60 s (tests/helpers/pulse-process.ts).
    hookTimeout: 120_000,
    // Integration and e2e files each own a database; two cores, so keep parallelism modest.
    maxWorkers: 2,
    // Each worker imports Pulse, Bolt, fastify and the test helpers once and runs file after file in
    // them, instead of a new process importing them again for every file (a third of the suite's CPU).
    // A file still gets its own database, Slack double and Pulse; what it starts it stops in afterAll.
    isolate: false,
  },
});
