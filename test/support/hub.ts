import { readFileSync } from 'node:fs';
import { SUBGRAPHS } from '../../subgraphs/index.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { SUPERGRAPH_PATH } from '../../scripts/lib/supergraph.js';
import { graphqlClient, type GraphQLClient } from './client.js';
import { startTestSubgraph, type TestSubgraph } from './subgraph.js';

export interface TestHub {
  gateway: RunningGateway;
  subgraphs: Record<string, TestSubgraph>;
  /** POSTs an operation to the gateway over HTTP. */
  query: GraphQLClient;
  /** SQL statements of all subgraphs since the last `resetStatements()`. */
  statementCount(): number;
  resetStatements(): void;
  stop(): Promise<void>;
}

/**
 * The whole hub as it runs in production, in this process: every subgraph on its own fresh
 * database (with the demo data unless `seed: false`), the gateway on the checked-in supergraph,
 * all talking real HTTP on free ports.
 */
export async function startTestHub(options: { seed?: boolean } = {}): Promise<TestHub> {
  const subgraphs: Record<string, TestSubgraph> = {};
  try {
    for (const definition of SUBGRAPHS) subgraphs[definition.name] = await startTestSubgraph(definition, options);
    const gateway = await startGateway({
      supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
      subgraphUrls: Object.fromEntries(Object.values(subgraphs).map((s) => [s.name, s.url])),
      port: 0,
      host: '127.0.0.1',
    });
    const all = Object.values(subgraphs);
    return {
      gateway,
      subgraphs,
      query: graphqlClient(gateway.url),
      statementCount: () => all.reduce((sum, s) => sum + s.statements.length, 0),
      resetStatements: () => all.forEach((s) => { s.statements.length = 0; }),
      async stop() {
        await gateway.stop();
        await Promise.all(all.map((s) => s.stop()));
      },
    };
  } catch (error) {
    await Promise.all(Object.values(subgraphs).map((s) => s.stop()));
    throw error;
  }
}
