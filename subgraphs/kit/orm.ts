import { MikroORM, type EntityManager, type Options } from '@mikro-orm/postgresql';
import { Migrator, type Migration } from '@mikro-orm/migrations';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import type { Constructor, EntityClass } from '@mikro-orm/core';
import { AuditEntry, AuditSubscriber } from './audit.js';

export interface OrmOptions {
  databaseUrl: string;
  entities: EntityClass<object>[];
  migrations: Constructor<Migration>[];
  /** Called with every SQL statement sent; used to prove batching and in benchmarks. */
  onQuery?: (sql: string) => void;
  poolSize?: number;
}

export async function initOrm(options: OrmOptions): Promise<MikroORM> {
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
    pool: { min: 0, max: options.poolSize ?? 10 },
    allowGlobalContext: false,
    // Entities are loaded far more often than relations are reassigned: no per-instance property
    // accessors for propagation (entities made with em.create still propagate).
    propagationOnPrototype: false,
    // Sees every statement sent (transaction control aside) without turning on query logging.
    ...(options.onQuery ? { onQuery: (sql: string) => { options.onQuery!(sql); return sql; } } : {}),
  };
  return MikroORM.init(config);
}

/** Applies every pending migration; safe to run at each start. */
export async function migrate(orm: MikroORM): Promise<void> {
  await orm.migrator.up();
}

export type { EntityManager, MikroORM };
