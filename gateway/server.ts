import type { KeyObject } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource, type GraphQLDataSource } from '@apollo/gateway';
import { Supergraph } from '@apollo/federation-internals';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { ANONYMOUS, type Viewer } from '../subgraphs/kit/auth.js';
import { codedError, formatErrorWith } from '../subgraphs/kit/client-errors.js';
import { NotReady, graphqlHttpHandler, healthRoutes, listen, type RouteHandler, type RunningHttpServer } from '../subgraphs/kit/http.js';
import { observabilityPlugin, requestIdOf, serviceLogger } from '../subgraphs/kit/observability.js';
import { RequestSigner } from '../subgraphs/kit/signing.js';
import { MAX_IMPORT_ROWS } from '../subgraphs/shared/limits.js';
import { overloadPlugin } from '../subgraphs/kit/overload.js';
import type { Authenticate } from './auth.js';
import { hardeningPlugin, reservedAliasesRule, withoutSuggestions } from './hardening.js';
import { RateLimiter, type Caller, type RateLimits } from './rate-limit.js';
import { RegionalDataSource } from './regional/data-source.js';
import { AnswerCache, type AnswerCacheOptions } from './regional/answer-cache.js';
import { RoutingTable } from './regional/declarations.js';
import { IntegrityGuard } from './regional/integrity.js';
import { ROUTING } from '../subgraphs/routing.js';
import { HUB_SUBGRAPH, hubSubgraphSchema } from './regional/hub-subgraph.js';
import { EXPLORER_ASSETS, explorerOff, serveExplorerAsset, serveExplorerPage, wantsExplorer } from './explorer/index.js';
import { landingRoutes } from './landing/index.js';
import { TopologyRegistry } from './regional/registry.js';
import { expectedSubgraphSchemas } from './regional/schema-check.js';
import { singleInstanceTopology } from './regional/topology.js';

/** The subgraphs' errors arrive with their codes; anything else the gateway throws is masked. */
const formatError = formatErrorWith(codedError);

/** Limits on what one operation may ask (graphql-armor and hardening.ts); page sizes are capped by the subgraphs. */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxCost: number;
  /** Values in one list argument or input field of a query (the subgraphs take at most 100 in any filter). */
  maxListValues: number;
  /** The same in a mutation: an import sends up to 1,000 rows (MAX_IMPORT_ROWS). */
  maxWriteListValues: number;
}

export const DEFAULT_LIMITS: QueryLimits = {
  maxDepth: 12, maxAliases: 30, maxTokens: 3_000, maxDirectives: 20, maxCost: 20_000, maxListValues: 100, maxWriteListValues: MAX_IMPORT_ROWS,
};

export interface GatewayOptions {
  /** A composed Federation 2 supergraph (SDL text). */
  supergraphSdl: string;
  /** Subgraph URLs by name, replacing those written in the supergraph (without a topology). */
  subgraphUrls?: Record<string, string>;
  /** A topology file: regional instances per subgraph, watched for changes. */
  topologyPath?: string;
  /** A file whose instances go over the topology file's (e.g. `npm start`'s .hub/topology.local.json); watched too. */
  topologyOverlayPath?: string;
  /** Required for this hub's supergraph: the Ed25519 private key that signs subgraph requests, and the token check. */
  security?: { signingKey: KeyObject; authenticate: Authenticate };
  /** development: introspection and field suggestions; production: neither. */
  environment?: 'development' | 'production';
  /** GraphiQL at GET /graphql for browsers (HUB_EXPLORER); by default on, except in production. */
  explorer?: boolean;
  limits?: Partial<QueryLimits>;
  /** Budgets per caller (HTTP 429 beyond them); none without it. */
  rateLimits?: RateLimits;
  /**
   * Identical reads in flight at the same time share one subgraph request (default). Off, every
   * read costs its subgraph work: the benchmark measures the work itself that way (HUB_SHARE_IN_FLIGHT).
   */
  shareInFlight?: boolean;
  /**
   * Read answers of instances kept for `ttlMs` (answer-cache.ts), emptied by every write the gateway
   * sends; off without it (HUB_ANSWER_CACHE_TTL_MS, HUB_ANSWER_CACHE_MB).
   */
  answerCache?: AnswerCacheOptions;
  /** Extra HTTP routes (e.g. the dashboard). */
  routes?: Record<string, RouteHandler>;
  /** The scraper's bearer token for `/metrics` (HUB_METRICS_TOKEN); without it `/metrics` is off (404). */
  metricsToken?: string;
  port: number;
  host?: string;
  /** Where topology reloads and instance state changes are told; the gateway's log by default. */
  log?: (message: string, level?: 'info' | 'warn', details?: Record<string, unknown>) => void;
}

export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
  /** Whom the request is counted against, with rate limits. */
  caller?: Caller;
}

export interface RunningGateway {
  url: string;
  port: number;
  registry?: TopologyRegistry;
  stop(): Promise<void>;
}

/**
 * Ready when every subgraph has at least one instance answering (with a topology); throws otherwise.
 * Readiness is public: it says whether the topology comes from a file, not where the file lies.
 */
function readiness(registry: TopologyRegistry | undefined): Record<string, unknown> {
  if (!registry) return {};
  const subgraphs = registry.subgraphNames().map((subgraph) => ({
    subgraph, up: registry.instances(subgraph).filter((i) => registry.healthOf(i).status === 'UP').map((i) => i.name),
  }));
  const missing = subgraphs.filter((s) => s.up.length === 0).map((s) => s.subgraph);
  if (missing.length) throw new NotReady(`no instance of ${missing.join(', ')} answers`);
  return { topology: registry.path ? 'file' : 'fixed', loadedAt: registry.loadedAt.toISOString() };
}

/**
 * An Apollo Gateway over a static supergraph. A supergraph of this hub (it has the `hub`
 * subgraph) routes every subgraph fetch by region through its topology, signs every subgraph
 * request and verifies callers' tokens; any other supergraph is served as plain federation.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const overrides = options.subgraphUrls ?? {};
  const logger = serviceLogger('gateway');
  const expected = expectedSubgraphSchemas(options.supergraphSdl);
  const isHub = expected.delete(HUB_SUBGRAPH);
  let registry: TopologyRegistry | undefined;
  const routing = new Map<string, RoutingTable>();
  if (isHub) {
    // Every root field and mutation must be declared before any topology can route it.
    const problems: string[] = [];
    for (const [name, schema] of expected) {
      const table = RoutingTable.build(name, ROUTING[name], schema);
      if (Array.isArray(table)) problems.push(...table);
      else routing.set(name, table);
    }
    if (problems.length) throw new Error(`The routing declarations do not fit the hub's schema: ${problems.join('; ')}`);
    if (!options.security) throw new Error('The hub\'s gateway needs its security settings (HUB_SIGNING_KEY and a token key)');
    const urls = Object.fromEntries(Supergraph.build(options.supergraphSdl).subgraphsMetadata()
      .filter((s) => s.name !== HUB_SUBGRAPH).map((s) => [s.name, overrides[s.name] ?? s.url]));
    registry = await TopologyRegistry.create({
      expected,
      path: options.topologyPath,
      overlayPath: options.topologyOverlayPath,
      topology: options.topologyPath ? undefined : singleInstanceTopology(urls),
      signer: new RequestSigner(options.security.signingKey),
      log: options.log ?? ((message, level = 'info', details = {}) => logger[level](details, message)),
    });
  }
  const hubSchema = registry ? hubSubgraphSchema(registry, [...expected.keys()]) : undefined;
  const integrity = registry && new IntegrityGuard(registry, routing);
  const answerCache = registry && options.answerCache ? new AnswerCache(registry.writes, options.answerCache, registry.versions) : undefined;
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }): GraphQLDataSource => {
      if (name === HUB_SUBGRAPH && hubSchema) return new LocalGraphQLDataSource(hubSchema);
      if (registry) return new RegionalDataSource(name, registry, expected.get(name)!, routing.get(name)!, options.shareInFlight ?? true, integrity, answerCache);
      return new RemoteGraphQLDataSource({ url: overrides[name] ?? url });
    },
  });
  const production = options.environment === 'production';
  const explorer = options.explorer ?? !production;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const rateLimiter = options.rateLimits && new RateLimiter(options.rateLimits);
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    // The parser limits tokens itself (parseOptions below), answering 400 like any syntax error.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives },
    costLimit: { maxCost: limits.maxCost },
    blockFieldSuggestion: { enabled: production },
  }).protect();
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: production ? (formatted, error) => withoutSuggestions(formatError(formatted, error)) : formatError,
    ...armor,
    validationRules: [...armor.validationRules, reservedAliasesRule],
    parseOptions: { maxTokens: limits.maxTokens },
    // graphql-armor's types come from Apollo's CommonJS build; the plugins are the same objects.
    plugins: [
      ...(armor.plugins as never[]),
      hardeningPlugin<GatewayContext>({
        ...limits, onCost: async (cost, { caller }) => { if (rateLimiter && caller) await rateLimiter.charge(caller, cost); },
      }) as never,
      observabilityPlugin<GatewayContext>('gateway', logger),
      // Apollo's own landing page loads from a CDN: the gateway serves its explorer itself.
      ApolloServerPluginLandingPageDisabled(),
      // Nothing served because instances refused for load: 503 with Retry-After, as they answered.
      overloadPlugin<GatewayContext>(),
    ],
    introspection: !production,
    csrfPrevention: true,
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const authenticate = options.security?.authenticate;
  let http: RunningHttpServer;
  try {
    const graphql = graphqlHttpHandler({
      apollo,
      service: 'gateway',
      context: async (req) => {
        const viewer = authenticate ? await authenticate(req) : ANONYMOUS;
        const caller = rateLimiter && await rateLimiter.admit(rateLimiter.callerOf(req, viewer));
        return { viewer, requestId: requestIdOf(req), caller };
      },
      routes: {
        ...landingRoutes({ explorer, dashboard: !!options.routes?.['/dashboard'], metrics: options.metricsToken !== undefined }),
        ...options.routes,
        ...healthRoutes(async () => ({ service: 'gateway', ...readiness(registry) }), { metricsToken: options.metricsToken }),
      },
    });
    http = await listen((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/graphql' && wantsExplorer(req, url)) return explorer ? serveExplorerPage(req, res) : explorerOff(req, res);
      if (explorer && url.pathname.startsWith(EXPLORER_ASSETS)) return serveExplorerAsset(req, res, url.pathname);
      return graphql(req, res);
    }, options.port, options.host);
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
