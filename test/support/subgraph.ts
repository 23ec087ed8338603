import { startSubgraph, type Region, type RunningSubgraph, type SubgraphDefinition } from '../../subgraphs/kit/index.js';
import { createTestDatabase } from './databases.js';
import { graphqlClient, type GraphQLClient } from './client.js';

export interface TestSubgraph extends RunningSubgraph {
  /** POSTs an operation to the subgraph over HTTP. */
  query: GraphQLClient;
  /** SQL statements sent since the last reset (migrations and seeding excluded). */
  statements: string[];
  databaseUrl: string;
}

/** A real subgraph instance over HTTP on its own fresh database, optionally with the demo data. */
export async function startTestSubgraph(
  definition: SubgraphDefinition, options: { seed?: boolean; regions?: Region[]; port?: number; databaseUrl?: string } = {},
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
    onQuery: (sql) => { if (counting) statements.push(sql); },
  });
  counting = true;
  return { ...running, databaseUrl, query: graphqlClient(running.url), statements };
}
