import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../scripts/lib/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the test PostgreSQL without a database name, e.g. postgres://u:p@localhost:5433/ */
    postgresBaseUrl: string;
  }
}

let embedded: EmbeddedPostgresHandle | undefined;

/**
 * One PostgreSQL for the whole run: TEST_DATABASE_URL (an external server, a database name in
 * the URL is ignored) or an embedded one under .pgdata/test. Each test file creates its own databases.
 */
export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    const url = new URL(external);
    url.pathname = '/';
    project.provide('postgresBaseUrl', url.toString());
    return;
  }
  // Each vitest project runs its own setup: give each its own port.
  const port = Number(process.env.TEST_PG_PORT ?? 54329) + (project.name === 'e2e' ? 10 : 0);
  embedded = await startEmbeddedPostgres({ name: `test-${port}`, port, persistent: false });
  project.provide('postgresBaseUrl', embedded.urlFor(''));
  return async () => {
    await embedded?.stop();
  };
}
