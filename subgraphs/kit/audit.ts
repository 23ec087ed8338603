import { randomUUID } from 'node:crypto';
import {
  ChangeSetType, ReferenceKind, type EntityClass, type EntityManager, type EntityMetadata, type EventSubscriber, type FilterQuery,
  type FlushEventArgs,
} from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/postgresql';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Directive, Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from 'type-graphql';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Viewer } from './auth.js';
import { RegionalEntity } from './entity.js';
import { makeId } from './ids.js';
import { Region } from './region.js';

/** What a write did to a record; stored as the lower-case value. */
export enum AuditAction {
  CREATE = 'create',
  UPDATE = 'update',
  DELETE = 'delete',
  /** A delete refused because other records refer to the record; `fields` names the referring fields (`Project.contacts`). */
  REFUSE = 'refuse',
}

registerEnumType(AuditAction, { name: 'AuditAction', description: 'What a write did to a record.' });

/**
 * One write: who, when, what (the entity and the fields it touched, never their values) and in
 * which region. The same type in every subgraph (@shareable), each read through its own root field.
 */
@ObjectType({ description: 'One write recorded in a subgraph\'s audit log: who, when, what and which record; never the values written.' })
@Directive('@shareable')
@Entity({ tableName: 'audit_log' })
@Index({ properties: ['entityId'] })
// What a region's admin reads: one region's entries, newest first.
@Index({ properties: ['region', 'at'] })
export class AuditEntry {
  /** The entry's id as the API shows it: region-prefixed like every id, so the gateway can check who owns it. */
  @Field(() => ID, { name: 'id' })
  get publicId(): string {
    return makeId(this.region, 'auditEntry', this.id);
  }

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Milliseconds, as JavaScript has them: a cursor holds the exact value, so paging neither skips nor repeats. */
  @Field(() => GraphQLISODateTime, { description: 'When the write was committed (UTC, milliseconds).' })
  @Index()
  @Property({ type: 'datetime', length: 3 })
  at: Date = new Date();

  /** The token's subject; "system" for the demo data and migrations. */
  @Field(() => String, { description: 'Who wrote: the subject of the token; "system" for demo data.' })
  @Property({ type: 'string', length: 200 })
  actor: string;

  @Field(() => AuditAction)
  @Property({ type: 'string', length: 10 })
  action: AuditAction;

  @Field(() => String, { name: 'recordType', description: 'The kind of record written, e.g. "Network" or "NetworkMember".' })
  @Property({ type: 'string', length: 60 })
  entity: string;

  @Field(() => ID, { name: 'recordId', description: 'The id of the record written; a deleted record\'s id stays here.' })
  @Property({ type: 'string', length: 120 })
  entityId: string;

  @Field(() => Region, { description: 'The region that owns the record.' })
  @Property({ type: 'string', length: 2 })
  region: Region;

  @Field(() => [String], { description: 'The names of the fields a create or update set (empty for a delete); never their values.' })
  @Property({ type: 'text[]' })
  fields: string[] = [];
}

const actors = new WeakMap<EntityManager, Viewer>();

/** Names who writes through this EntityManager (the mutation's transaction). */
export function actAs(em: EntityManager, viewer: Viewer): void {
  actors.set(em, viewer);
}

const actorOf = (em: EntityManager): string => actors.get(em)?.subject ?? 'system';

const ACTIONS: Partial<Record<ChangeSetType, AuditAction>> = {
  [ChangeSetType.CREATE]: AuditAction.CREATE, [ChangeSetType.UPDATE]: AuditAction.UPDATE, [ChangeSetType.DELETE]: AuditAction.DELETE,
};

/** Bookkeeping columns every record has: their change says nothing about what was written. */
const UNTOLD = new Set(['id', 'version', 'createdAt', 'updatedAt']);

/** A record that a write removed, as the audit log names it. */
interface RemovedRow { entity: string; id: string; region: Region }

function deletionEntry(actor: string, row: RemovedRow): AuditEntry {
  return Object.assign(new AuditEntry(), { actor, action: AuditAction.DELETE, entity: row.entity, entityId: row.id, region: row.region });
}

/**
 * The records the database deletes along with these (foreign keys with ON DELETE CASCADE, at any
 * depth: a network's meetings and their talks), read before the delete runs. They leave no change
 * set of their own, so without this their deletion would not be logged.
 */
async function cascadedRows(em: EntityManager, parent: EntityMetadata, ids: string[]): Promise<RemovedRow[]> {
  if (ids.length === 0) return [];
  const found: RemovedRow[] = [];
  for (const meta of em.getMetadata().getAll().values()) {
    if (meta.abstract || !meta.class || !(meta.class.prototype instanceof RegionalEntity)) continue;
    for (const prop of Object.values(meta.properties)) {
      if (prop.kind !== ReferenceKind.MANY_TO_ONE || prop.deleteRule !== 'cascade' || prop.targetMeta?.class !== parent.class) continue;
      const rows = await (em as SqlEntityManager).createQueryBuilder(meta.class)
        .select(['id', 'region']).where({ [prop.name]: { $in: ids } }).execute('all', false) as { id: string; region: Region }[];
      found.push(...rows.map((row) => ({ entity: meta.className, id: row.id, region: row.region })));
      found.push(...await cascadedRows(em, meta, rows.map((row) => row.id)));
    }
  }
  return found;
}

/** Adds an audit entry to every flush that writes a record, in the same transaction. */
export class AuditSubscriber implements EventSubscriber {
  async onFlush({ em, uow }: FlushEventArgs): Promise<void> {
    const actor = actorOf(em);
    const deleted = new Map<EntityMetadata, string[]>();
    for (const changeSet of uow.getChangeSets()) {
      const action = ACTIONS[changeSet.type];
      if (!action || !(changeSet.entity instanceof RegionalEntity)) continue;
      const record = changeSet.entity;
      const entry = Object.assign(new AuditEntry(), {
        actor, action, entity: changeSet.meta.className, entityId: record.id, region: record.region,
        fields: action === AuditAction.DELETE ? [] : Object.keys(changeSet.payload).filter((f) => !UNTOLD.has(f)),
      });
      uow.computeChangeSet(entry);
      if (action === AuditAction.DELETE) deleted.set(changeSet.meta, [...(deleted.get(changeSet.meta) ?? []), record.id]);
    }
    const logged = new Set([...deleted.values()].flat());
    for (const [meta, ids] of deleted) {
      for (const row of await cascadedRows(em, meta, ids)) {
        if (logged.has(row.id)) continue;
        logged.add(row.id);
        uow.computeChangeSet(deletionEntry(actor, row));
      }
    }
  }
}

/**
 * Deletes the records a condition selects without loading them, logging each deletion (and those
 * the database cascades to) in the caller's transaction. For replacing a list: the unit of work
 * would insert the new rows before deleting the old ones and trip a unique key.
 */
export async function deleteLogged<T extends RegionalEntity>(em: EntityManager, entity: EntityClass<T>, where: FilterQuery<T>): Promise<number> {
  const meta = em.getMetadata().get(entity);
  const rows = await (em as SqlEntityManager).createQueryBuilder(entity as EntityClass<RegionalEntity>)
    .select(['id', 'region']).where(where as never).execute('all', false) as { id: string; region: Region }[];
  if (rows.length === 0) return 0;
  const ids = rows.map((row) => row.id);
  const removed = [...rows.map((row) => ({ entity: meta.className, ...row })), ...await cascadedRows(em, meta, ids)];
  await em.nativeDelete(entity, { id: { $in: ids } } as never);
  const actor = actorOf(em);
  await em.insertMany(AuditEntry, removed.map((row) => deletionEntry(actor, row)));
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Retention.

export const DEFAULT_AUDIT_RETENTION_DAYS = 365;

/** HUB_AUDIT_RETENTION_DAYS: how many days audit entries are kept (1 to 36,500). */
export const auditRetentionDaysSetting = z.coerce.number().int('must be a whole number of days')
  .min(1, 'must be at least 1 day').max(36_500, 'must be at most 36500 days (100 years)').default(DEFAULT_AUDIT_RETENTION_DAYS);

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deletes the audit entries older than `days` before `now`; returns how many. */
export function pruneAuditLog(em: EntityManager, days: number, now: Date = new Date()): Promise<number> {
  return em.nativeDelete(AuditEntry, { at: { $lt: new Date(now.getTime() - days * DAY_MS) } });
}

/**
 * Prunes the audit log now and then once a day while the instance runs (the timer does not keep
 * the process alive); returns the function that stops the daily pruning.
 */
export async function keepAuditLogFor(
  em: EntityManager, days: number, logger: Pick<Logger, 'info' | 'error'>, intervalMs: number = DAY_MS,
): Promise<() => void> {
  const prune = async (): Promise<void> => {
    const pruned = await pruneAuditLog(em.fork(), days);
    if (pruned > 0) logger.info({ pruned, retentionDays: days }, `pruned ${pruned} audit entries older than ${days} days`);
  };
  await prune();
  const timer = setInterval(() => {
    prune().catch((error: unknown) => logger.error({ err: error }, 'pruning the audit log failed'));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
