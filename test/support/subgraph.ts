import type { KeyObject } from 'node:crypto';
import {
  startSubgraph, type ConnectionBudget, type Region, type RunningSubgraph, type SubgraphDefinition, type Viewer,
} from '../../subgraphs/kit/index.js';
import { HUB_ADMIN, TEST_GATEWAY_PUBLIC_KEY, gatewaySignature } from './security.js';
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

/** An instance's name in a test topology: the subgraph's, or `<subgraph>-<regions>` (e.g. `people-de-th`). */
export const instanceName = (subgraph: string, regions?: Region[]) => (regions ? `${subgraph}-${regions.join('-').toLowerCase()}` : subgraph);

/**
 * A real subgraph instance over HTTP on its own fresh database, optionally with the demo data. It
 * trusts the test gateway's public key (or `gatewayPublicKeys`) and runs under `name` (by default as
 * `instanceName` names it).
 */
export async function startTestSubgraph(
  definition: SubgraphDefinition,
  options: {
    seed?: boolean; regions?: Region[]; port?: number; databaseUrl?: string; metricsToken?: string; name?: string;
    gatewayPublicKeys?: KeyObject[]; connections?: Partial<ConnectionBudget>;
  } = {},
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
    instanceName: options.name ?? instanceName(definition.name, options.regions),
    gatewayPublicKeys: options.gatewayPublicKeys ?? [TEST_GATEWAY_PUBLIC_KEY],
    metricsToken: options.metricsToken,
    connections: options.connections,
    onQuery: (sql) => { if (counting) statements.push(sql); },
  });
  counting = true;
  const as = (viewer: Viewer) => graphqlClient(running.url, (body) => gatewaySignature(running, body, viewer));
  return { ...running, databaseUrl, query: as(HUB_ADMIN), as, statements };
}
