import { MikroORM, type EntityManager, type Options, type PostgreSqlConnection } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { Migrator, type Migration } from '@mikro-orm/migrations';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import type { Constructor, EntityClass } from '@mikro-orm/core';
import { AuditEntry, AuditSubscriber } from './audit.js';
import { CONNECT_TIMEOUT_MS, DEFAULT_CONNECTION_BUDGET, IDLE_CONNECTION_MS, guardPool, isGuarded, type ConnectionBudget } from './connections.js';
import { DATA_VERSION_TABLE, PROBE_STATEMENT, migrateNotingWrites } from './data-version.js';

export interface OrmOptions {
  databaseUrl: string;
  entities: EntityClass<object>[];
  migrations: Constructor<Migration>[];
  /** Called with every SQL statement a request sends (not the gateway's probes, PROBE_STATEMENT); used to prove batching and in benchmarks. */
  onQuery?: (sql: string) => void;
  /** The pool's size, acquire timeout and queue cap (DEFAULT_CONNECTION_BUDGET for what is left out). */
  connections?: Partial<ConnectionBudget>;
  /** Names the instance in the pool metrics; without it the pool is not counted. */
  service?: string;
}

export async function initOrm(options: OrmOptions): Promise<MikroORM> {
  const budget: ConnectionBudget = { ...DEFAULT_CONNECTION_BUDGET, ...options.connections };
  const config: Options = {
    clientUrl: options.databaseUrl,
    // Every subgraph keeps an audit log of its writes.
    entities: [...options.entities, AuditEntry],
    subscribers: [new AuditSubscriber()],
    // Explicit types on every property: tsx emits no decorator metadata.
    metadataProvider: ReflectMetadataProvider,
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: {
      migrationsList: options.migrations.map((migration) => ({ name: migration.name, class: migration })),
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    pool: { min: 0, max: budget.max, idleTimeoutMillis: IDLE_CONNECTION_MS },
    // MikroORM's pool settings stop at min, max and idleTimeoutMillis: the time a connection may
    // take to open goes to pg-pool as connectionTimeoutMillis, and the pool itself is handed over
    // to cap its queue and each query's wait (connections.ts).
    driverOptions: {
      connectionTimeoutMillis: Math.max(budget.acquireTimeoutMs, CONNECT_TIMEOUT_MS),
      onPoolCreated: (pool: pg.Pool) => guardPool(pool, budget, options.service),
    },
    allowGlobalContext: false,
    // SQL functions (such as the one search columns read labels through) come from the migrations,
    // not from entity metadata: the schema comparison leaves them alone.
    // The data version's counter and triggers (data-version.ts) are set up after the migrations, not from entities.
    schemaGenerator: { ignoreRoutines: true, ignoreTriggers: true, skipTables: [DATA_VERSION_TABLE] },
    // Entities are loaded far more often than relations are reassigned: no per-instance property
    // accessors for propagation (entities made with em.create still propagate).
    propagationOnPrototype: false,
    // Sees every statement sent (transaction control aside) without turning on query logging.
    ...(options.onQuery ? { onQuery: (sql: string) => { if (!sql.startsWith(PROBE_STATEMENT)) options.onQuery!(sql); return sql; } } : {}),
  };
  const orm = await MikroORM.init(config);
  const pool = await (orm.em.getConnection() as PostgreSqlConnection).getNativeClient();
  if (!isGuarded(pool)) {
    await orm.close();
    throw new Error('MikroORM did not hand over its connection pool (driverOptions.onPoolCreated): its queue would be unbounded');
  }
  return orm;
}

/** Applies pending migrations (safe to run at each start); every table then notes its writes for the data version (data-version.ts). */
export async function migrate(orm: MikroORM): Promise<void> {
  await migrateNotingWrites(orm, (await orm.migrator.getPending()).length > 0, () => orm.migrator.up());
}

export type { EntityManager, MikroORM };
