import { ApolloServer } from '@apollo/server';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { formatError, graphqlHttpHandler, healthRoute, listen, type RunningHttpServer } from '../subgraphs/kit/index.js';

export interface GatewayOptions {
  /** A composed Federation 2 supergraph (SDL text). */
  supergraphSdl: string;
  /** Subgraph URLs by subgraph name; names not given keep the URL written in the supergraph. */
  subgraphUrls?: Record<string, string>;
  port: number;
  host?: string;
}

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** An Apollo Gateway over a static supergraph, served over HTTP with /health. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const overrides = options.subgraphUrls ?? {};
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => new RemoteGraphQLDataSource({ url: overrides[name] ?? url }),
  });
  const apollo = new ApolloServer({ gateway, formatError, includeStacktraceInErrorResponses: false });
  await apollo.start();
  let http: RunningHttpServer;
  try {
    http = await listen(graphqlHttpHandler({
      apollo,
      context: async () => ({}),
      routes: { '/health': healthRoute(async () => ({ service: 'gateway' })) },
    }), options.port, options.host);
  } catch (error) {
    await apollo.stop();
    throw error;
  }
  return {
    url: http.url,
    port: http.port,
    async stop() {
      await http.close();
      await apollo.stop();
    },
  };
}
