import { ApolloServer } from '@apollo/server';
import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource, type GraphQLDataSource } from '@apollo/gateway';
import { Supergraph } from '@apollo/federation-internals';
import { formatError, graphqlHttpHandler, healthRoute, listen, type RouteHandler, type RunningHttpServer } from '../subgraphs/kit/index.js';
import { RegionalDataSource } from './regional/data-source.js';
import { HUB_SUBGRAPH, hubSubgraphSchema } from './regional/hub-subgraph.js';
import { TopologyRegistry } from './regional/registry.js';
import { expectedSubgraphSchemas } from './regional/schema-check.js';
import { singleInstanceTopology } from './regional/topology.js';

export interface GatewayOptions {
  /** A composed Federation 2 supergraph (SDL text). */
  supergraphSdl: string;
  /** Subgraph URLs by name, replacing those written in the supergraph (without a topology). */
  subgraphUrls?: Record<string, string>;
  /** A topology file: regional instances per subgraph, watched for changes. */
  topologyPath?: string;
  /** Extra HTTP routes (e.g. the dashboard). */
  routes?: Record<string, RouteHandler>;
  port: number;
  host?: string;
  log?: (message: string) => void;
}

export interface RunningGateway {
  url: string;
  port: number;
  registry?: TopologyRegistry;
  stop(): Promise<void>;
}

/**
 * An Apollo Gateway over a static supergraph. A supergraph of this hub (it has the `hub`
 * subgraph) routes every subgraph fetch by region through its topology; any other supergraph is
 * served as plain federation.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const overrides = options.subgraphUrls ?? {};
  const expected = expectedSubgraphSchemas(options.supergraphSdl);
  const isHub = expected.delete(HUB_SUBGRAPH);
  let registry: TopologyRegistry | undefined;
  if (isHub) {
    const urls = Object.fromEntries(Supergraph.build(options.supergraphSdl).subgraphsMetadata()
      .filter((s) => s.name !== HUB_SUBGRAPH).map((s) => [s.name, overrides[s.name] ?? s.url]));
    registry = await TopologyRegistry.create({
      expected,
      path: options.topologyPath,
      topology: options.topologyPath ? undefined : singleInstanceTopology(urls),
      log: options.log,
    });
  }
  const hubSchema = registry ? hubSubgraphSchema(registry, [...expected.keys()]) : undefined;
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }): GraphQLDataSource => {
      if (name === HUB_SUBGRAPH && hubSchema) return new LocalGraphQLDataSource(hubSchema);
      if (registry) return new RegionalDataSource(name, registry, expected.get(name)!);
      return new RemoteGraphQLDataSource({ url: overrides[name] ?? url });
    },
  });
  const apollo = new ApolloServer({ gateway, formatError, includeStacktraceInErrorResponses: false, stopOnTerminationSignals: false });
  await apollo.start();
  let http: RunningHttpServer;
  try {
    http = await listen(graphqlHttpHandler({
      apollo,
      context: async () => ({}),
      routes: { ...options.routes, '/health': healthRoute(async () => ({ service: 'gateway' })) },
    }), options.port, options.host);
  } catch (error) {
    await apollo.stop();
    registry?.stop();
    throw error;
  }
  return {
    url: http.url,
    port: http.port,
    registry,
    async stop() {
      registry?.stop();
      await http.close();
      await apollo.stop();
    },
  };
}
