import type { TestProject } from 'vitest/node';
import { startPostgresProcess } from '../../scripts/lib/postgres-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the test PostgreSQL without a database name, e.g. postgres://u:p@localhost:5433/ */
    postgresBaseUrl: string;
  }
}

/**
 * One PostgreSQL per test project and run: TEST_DATABASE_URL (an external server, a database name
 * in the URL is ignored) or an embedded one on a free port, in a child process. Each test file
 * creates its own databases, so suites can run side by side on one machine.
 */
export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    const url = new URL(external);
    url.pathname = '/';
    project.provide('postgresBaseUrl', url.toString());
    return;
  }
  const postgres = await startPostgresProcess('test');
  project.provide('postgresBaseUrl', postgres.baseUrl);
  return () => postgres.stop();
}
