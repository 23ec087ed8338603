import { defineConfig } from 'vitest/config';

// Integration and end-to-end tests share one real PostgreSQL per run; unit tests need none.
const realPostgres = 'test/support/global-setup.ts';

export default defineConfig({
  resolve: {
    // One graphql realm: vite would otherwise load both the ESM and the CJS build.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    // Logs stay quiet unless asked for (HUB_LOG_LEVEL=info npm test).
    env: { HUB_LOG_LEVEL: process.env.HUB_LOG_LEVEL ?? 'silent' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.unit.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.int.test.ts'], globalSetup: [realPostgres] } },
      { extends: true, test: { name: 'e2e', include: ['test/**/*.e2e.test.ts'], globalSetup: [realPostgres] } },
    ],
  },
});
