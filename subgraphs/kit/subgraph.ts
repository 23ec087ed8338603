import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { Constructor, EntityClass } from '@mikro-orm/core';
import type { Migration } from '@mikro-orm/migrations';
import type { NonEmptyArray } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { createContext, type SubgraphContext } from './context.js';
import { formatError } from './errors.js';
import { textInputPlugin } from './input-text.js';
import { buildFederatedSchema, type ReferenceResolvers } from './federation.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, graphqlHttpHandler, healthRoutes, listen, sendJson, type RunningHttpServer } from './http.js';
import { observabilityPlugin, requestIdOf, serviceLogger } from './observability.js';
import type { KeyObject } from 'node:crypto';
import { RequestVerifier, SESSION_HEADER, UnsignedRequest } from './signing.js';
import { initOrm, migrate, type EntityManager, type MikroORM } from './orm.js';
import { DEFAULT_AUDIT_RETENTION_DAYS, keepAuditLogFor } from './audit.js';
import type { ConnectionBudget } from './connections.js';
import { overloadPlugin } from './overload.js';
import { REFERENCES_PATH, ReferenceIndex, type ReferenceColumns } from './references.js';
import { DataVersionFeed, dataVersion, dataVersionPlugin } from './data-version.js';
import { DATA_VERSION_HEADER } from '../shared/limits.js';
import type { Region } from './region.js';

export type SubgraphName = 'alliances' | 'networks' | 'projects' | 'people';

/** Everything that makes one subgraph; the kit does the rest the same way for all four. */
export interface SubgraphDefinition {
  name: SubgraphName;
  entities: EntityClass<object>[];
  migrations: Constructor<Migration>[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  referenceResolvers: ReferenceResolvers;
  /**
   * The columns that refer to the types this subgraph adds fields to (e.g. Alliance in people):
   * the gateway then asks an instance only about the regions it refers to. Without it, every
   * instance gets every representation.
   */
  references?: ReferenceColumns;
  /**
   * Loads the demo data of the given regions (undefined: all) into an empty database;
   * returns false when data was already there.
   */
  seed(em: EntityManager, regions?: ReadonlySet<Region>): Promise<boolean>;
}

export function defineSubgraph(definition: SubgraphDefinition): SubgraphDefinition {
  return definition;
}

const schemas = new Map<SubgraphName, Promise<{ sdl: string; schema: GraphQLSchema }>>();

/** The subgraph's federated schema and SDL, built once per process. */
export function subgraphSchema(definition: SubgraphDefinition) {
  let built = schemas.get(definition.name);
  if (!built) {
    built = buildFederatedSchema(definition);
    schemas.set(definition.name, built);
  }
  return built;
}

export interface SubgraphInstanceOptions {
  databaseUrl: string;
  port: number;
  host?: string;
  /** Apply pending migrations before serving (default true). */
  migrate?: boolean;
  /** Load the demo data when the database is empty (default false). */
  seed?: boolean;
  /** The regions this instance owns (default: all); it seeds and creates records only for these. */
  regions?: Region[];
  /** Its name in the topology: it answers only requests the gateway signed for this name. */
  instanceName: string;
  /** The gateway's public keys (several during a rotation): only requests signed with their private keys are answered. */
  gatewayPublicKeys: readonly KeyObject[];
  /** The scraper's bearer token for `/metrics`; without it `/metrics` is off (404). */
  metricsToken?: string;
  /** Where the process serves its metrics when not on this instance's port (`npm start`: the gateway's /metrics). */
  metricsServedElsewhere?: string;
  /** Days the audit log keeps an entry (DEFAULT_AUDIT_RETENTION_DAYS); older ones are pruned at start and daily. */
  auditRetentionDays?: number;
  /** Its database connections: pool size, acquire timeout, queue cap (DEFAULT_CONNECTION_BUDGET for what is left out). */
  connections?: Partial<ConnectionBudget>;
  onQuery?: (sql: string) => void;
}

export interface RunningSubgraph {
  name: SubgraphName;
  /** Its name in the topology, for which the gateway signs its requests. */
  instanceName: string;
  regions?: Region[];
  url: string;
  port: number;
  orm: MikroORM;
  stop(): Promise<void>;
}

/** Starts one subgraph instance: ORM on its own database, migrations, Apollo Server over HTTP. */
export async function startSubgraph(definition: SubgraphDefinition, options: SubgraphInstanceOptions): Promise<RunningSubgraph> {
  const { schema } = await subgraphSchema(definition);
  const label = options.regions ? `${definition.name}-${options.regions.join('-').toLowerCase()}` : definition.name;
  const orm = await initOrm({
    databaseUrl: options.databaseUrl,
    entities: definition.entities,
    migrations: definition.migrations,
    onQuery: options.onQuery,
    connections: options.connections,
    service: label,
  });
  const references = new ReferenceIndex(orm, definition.references ?? {});
  let http: RunningHttpServer | undefined;
  let stopPruning: (() => void) | undefined;
  let versions: DataVersionFeed | undefined;
  try {
    if (options.migrate ?? true) await migrate(orm);
    const logger = serviceLogger(label);
    // Any write, through this instance or past it, may change what it refers to.
    versions = await DataVersionFeed.start(orm, options.databaseUrl, {
      onChange: () => references.forget(),
      onLost: (reason) => logger.warn({ reason }, 'data version feed lost its connection: probes read the version over the pool until it is back'),
      onBack: () => logger.info('data version feed is back: probes read the version from memory again'),
    });
    const feed = versions;
    const regions = options.regions ? new Set(options.regions) : undefined;
    if (options.seed) await definition.seed(orm.em.fork() as EntityManager, regions);

    stopPruning = await keepAuditLogFor(orm.em as EntityManager, options.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS, logger);
    const apollo = new ApolloServer<SubgraphContext>({
      schema,
      formatError,
      includeStacktraceInErrorResponses: false,
      introspection: true,
      // No cache hints and no inline traces: either would wrap every field resolver of every row.
      // Every string an operation passes is checked once, before any resolver, scalar or SQL sees it.
      plugins: [
        ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled(), textInputPlugin(), observabilityPlugin(label, logger),
        overloadPlugin(), dataVersionPlugin(orm),
      ],
      // The process that hosts the instance decides when to stop it.
      stopOnTerminationSignals: false,
    });
    await apollo.start();
    // Only the gateway may ask: a request it did not sign for this instance is refused, _service and _entities included.
    const verifier = new RequestVerifier(options.instanceName, options.gatewayPublicKeys);
    const gatewayViewer = (req: IncomingMessage, body: string, res: ServerResponse) => {
      try {
        const accepted = verifier.accept({ method: req.method ?? '', url: req.url ?? '/', headers: req.headers, body });
        if (accepted.session) res.setHeader(SESSION_HEADER, accepted.session);
        return accepted.viewer;
      } catch (error) {
        if (error instanceof UnsignedRequest) {
          throw Object.assign(new HttpError(401, 'UNAUTHENTICATED', `Refused: ${error.message}`), { extensions: { reason: error.reason } });
        }
        throw error;
      }
    };
    const handler = graphqlHttpHandler({
      apollo,
      service: label,
      context: async (req, body, res) => {
        if (req.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'Subgraphs answer only POST requests from the gateway');
        return createContext(orm.em as EntityManager, regions, gatewayViewer(req, body, res), requestIdOf(req));
      },
      routes: {
        ...healthRoutes(async () => {
          await orm.em.fork().getConnection().execute('select 1');
          return { subgraph: definition.name, regions: options.regions ?? 'all' };
        }, { metricsToken: options.metricsToken, metricsServedElsewhere: options.metricsServedElsewhere }),
        // Signed like every request from the gateway: what an instance holds is not for everyone.
        [REFERENCES_PATH]: async (req, res) => {
          gatewayViewer(req, '', res);
          // The version before the references: what they were read from is at least as new as it says.
          const version = feed.current() ?? await dataVersion(orm);
          const regions = await references.regions();
          sendJson(res, 200, regions, version ? { [DATA_VERSION_HEADER]: version } : {});
        },
      },
    });
    http = await listen(handler, options.port, options.host);
    const running = http;
    return {
      name: definition.name,
      instanceName: options.instanceName,
      regions: options.regions,
      url: running.url,
      port: running.port,
      orm,
      async stop() {
        stopPruning?.();
        await running.close();
        await apollo.stop();
        await feed.stop();
        await orm.close();
      },
    };
  } catch (error) {
    stopPruning?.();
    await http?.close();
    await versions?.stop();
    await orm.close();
    throw error;
  }
}
