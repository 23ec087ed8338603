import {
  signedHeaders, startSubgraph, type Region, type RunningSubgraph, type SubgraphDefinition, type Viewer,
} from '../../subgraphs/kit/index.js';
import { HUB_ADMIN, TEST_INTERNAL_SECRET } from './security.js';
import { createTestDatabase } from './databases.js';
import { graphqlClient, type GraphQLClient } from './client.js';

export interface TestSubgraph extends RunningSubgraph {
  /** POSTs an operation to the subgraph over HTTP, signed as the gateway does for a hub admin. */
  query: GraphQLClient;
  /** The same, signed for another viewer. */
  as(viewer: Viewer): GraphQLClient;
  /** SQL statements sent since the last reset (migrations and seeding excluded). */
  statements: string[];
  databaseUrl: string;
}

/** A real subgraph instance over HTTP on its own fresh database, optionally with the demo data. */
export async function startTestSubgraph(
  definition: SubgraphDefinition,
  options: { seed?: boolean; regions?: Region[]; port?: number; databaseUrl?: string; metricsToken?: string } = {},
): Promise<TestSubgraph> {
  const statements: string[] = [];
  let counting = false;
  const databaseUrl = options.databaseUrl ?? await createTestDatabase(definition.name);
  const running = await startSubgraph(definition, {
    databaseUrl,
    port: options.port ?? 0,
    host: '127.0.0.1',
    seed: options.seed ?? false,
    regions: options.regions,
    internalSecret: TEST_INTERNAL_SECRET,
    metricsToken: options.metricsToken,
    onQuery: (sql) => { if (counting) statements.push(sql); },
  });
  counting = true;
  const as = (viewer: Viewer) => graphqlClient(running.url, (body) => signedHeaders(TEST_INTERNAL_SECRET, body, viewer));
  return { ...running, databaseUrl, query: as(HUB_ADMIN), as, statements };
}
