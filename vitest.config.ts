import { defineConfig } from 'vitest/config';

// Integration and end-to-end tests share one real PostgreSQL per project and run; unit tests need none.
const realPostgres = 'test/support/global-setup.ts';
// The exit-status guard (test/exit-status.unit.test.ts) runs these same projects on the fixture
// files under test/fixtures/exit-status/ instead of the suite: same set-up, other files.
const fixtures = process.env.HUB_TEST_FIXTURES === 'exit-status';
const root = fixtures ? 'test/fixtures/exit-status' : 'test';
const exclude = fixtures ? [] : ['test/fixtures/**'];

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
      { extends: true, test: { name: 'unit', include: [`${root}/**/*.unit.test.ts`], exclude } },
      { extends: true, test: { name: 'integration', include: [`${root}/**/*.int.test.ts`], exclude, globalSetup: [realPostgres] } },
      { extends: true, test: { name: 'e2e', include: [`${root}/**/*.e2e.test.ts`], exclude, globalSetup: [realPostgres] } },
    ],
  },
});
