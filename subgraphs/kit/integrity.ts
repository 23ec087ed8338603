import { Arg, Ctx, Directive, Field, ID, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { ReferenceKind, type EntityClass, type FilterQuery } from '@mikro-orm/core';
import { ReferenceAction, MAX_LISTED_REFERRERS, integrityFields } from '../shared/routing.js';
import { AuditAction, AuditEntry, deleteLogged } from './audit.js';
import { assertCanWrite } from './auth.js';
import type { SubgraphContext } from './context.js';
import { RegionalEntity } from './entity.js';
import { ErrorCode, badInput, codedError, referenced, type Referrer } from './errors.js';
import { tryParseId } from './ids.js';
import { inTransaction } from './mutations.js';
import type { EntityManager } from './orm.js';
import type { SubgraphName } from './subgraph.js';

export { ReferenceAction } from '../shared/routing.js';

registerEnumType(ReferenceAction, {
  name: 'ReferenceAction',
  description: 'What a delete does about records (of any subgraph and region) that refer to the record deleted.',
  valuesConfig: {
    REFUSE: { description: 'Refuse the delete with REFERENCED, listing the referring records (the default).' },
    REMOVE: { description: 'Remove every reference in every region first (lists lose the id, members and roles go), then delete.' },
  },
});

/** The description of every delete's `references` argument. */
export const REFERENCES_DESCRIPTION = 'What to do about records (in any subgraph and region) that refer to this one: REFUSE (the default) '
  + 'refuses with REFERENCED and lists them; REMOVE removes the references everywhere first.';

/**
 * A column that holds ids of records of some entity type (of this or another subgraph): what a
 * delete of such a record must look at. Records that are part of the deleted one (an alliance's
 * memberships, a network's meetings) are not referrers: they go with it.
 */
export interface ReferrerColumn {
  /** The table holding the reference. */
  entity: EntityClass<object>;
  /** The property holding the id: a text column, a text array, or a many-to-one relation. */
  property: string;
  /** The referring record as the API knows it (e.g. `Project`; a network member's `Network`). */
  referrer: string;
  /** The property of the row holding the referring record's id (a many-to-one, e.g. `network`); the row's own id by default. */
  referrerId?: string;
  /** The field of the referring record that shows the reference (e.g. `contacts`, `memberAlliances`). */
  field: string;
  /** What removing the reference does: clear the value (a list loses the id) or delete the row (a member, a role). */
  onRemove: 'clear' | 'delete';
}

/** By referenced entity type (`Alliance`, `Organization`, `Person`, `Network`): the columns referring to it. */
export type ReferrerColumns = Readonly<Record<string, readonly ReferrerColumn[]>>;

/** The entity type an id names: its kind with a capital (`SL:alliance:…` → `Alliance`). */
export function entityTypeOfId(id: string): string | undefined {
  const kind = tryParseId(id)?.kind;
  return kind && kind.charAt(0).toUpperCase() + kind.slice(1);
}

function whereReferring(em: EntityManager, column: ReferrerColumn, ids: string[]): FilterQuery<object> {
  const property = em.getMetadata().get(column.entity).properties[column.property as never] as { kind: ReferenceKind; type?: string; columnTypes?: string[] } | undefined;
  if (!property) throw new Error(`${column.entity.name} has no property ${column.property}`);
  const isArray = property.kind === ReferenceKind.SCALAR && (property.columnTypes?.[0]?.endsWith('[]') || String(property.type).endsWith('[]'));
  return { [column.property]: isArray ? { $overlap: ids } : { $in: ids } } as FilterQuery<object>;
}

/** The id a row's property holds: a plain value, or the key of a relation. */
function idAt(row: object, property: string): string {
  const value = (row as Record<string, unknown>)[property];
  return typeof value === 'object' && value !== null ? String((value as { id: string }).id) : String(value);
}

export interface ReferrersFound { count: number; referrers: Referrer[] }

/**
 * The records that refer to any of `ids`: how many references there are and the first `limit`
 * referrers (each once per field). At most two statements per column, whatever the number of ids or rows.
 */
export async function findReferrers(em: EntityManager, columns: ReferrerColumns, ids: readonly string[], limit = MAX_LISTED_REFERRERS): Promise<ReferrersFound> {
  const types = new Set(ids.map(entityTypeOfId));
  const relevant = Object.entries(columns).filter(([type]) => types.has(type));
  const found: ReferrersFound = { count: 0, referrers: [] };
  const seen = new Set<string>();
  for (const [type, list] of relevant) {
    const ofType = ids.filter((id) => entityTypeOfId(id) === type);
    for (const column of list) {
      const where = whereReferring(em, column, ofType);
      const idProperty = column.referrerId ?? 'id';
      // One after the other: inside a delete's transaction both run on its one connection.
      const count = await em.count(column.entity, where);
      const rows = count === 0 ? [] : await em.find(column.entity, where, { fields: [idProperty] as never, limit, orderBy: { [idProperty]: 'asc' } as never });
      found.count += count;
      for (const row of rows) {
        const referrer = { type: column.referrer, id: idAt(row, idProperty), field: column.field };
        const key = `${referrer.type}\n${referrer.id}\n${referrer.field}`;
        if (!seen.has(key) && found.referrers.length < limit) {
          seen.add(key);
          found.referrers.push(referrer);
        }
      }
    }
  }
  return found;
}

/**
 * Removes every reference to `id` this database holds, in the caller's transaction: values are
 * cleared (lists lose the id), rows that only exist for the reference are deleted. Every change
 * is audited (kit/audit.ts). Returns how many records changed; repeating it changes nothing.
 */
export async function forgetReferences(em: EntityManager, columns: ReferrerColumns, id: string): Promise<number> {
  const type = entityTypeOfId(id);
  let changed = 0;
  for (const column of (type && columns[type]) || []) {
    const where = whereReferring(em, column, [id]);
    if (column.onRemove === 'delete') {
      changed += await deleteLogged(em, column.entity as EntityClass<RegionalEntity>, where as FilterQuery<RegionalEntity>);
      continue;
    }
    const rows = await em.find(column.entity, where) as Record<string, unknown>[];
    for (const row of rows) {
      const value = row[column.property];
      row[column.property] = Array.isArray(value) ? value.filter((item) => item !== id) : null;
    }
    changed += rows.length;
  }
  await em.flush();
  return changed;
}

/** Writes that a delete was refused, in a transaction of its own (the delete's own rolled back). */
async function auditRefusal(ctx: SubgraphContext, id: string, referrers: readonly Referrer[]): Promise<void> {
  const parsed = tryParseId(id);
  if (!parsed) return;
  const fields = [...new Set(referrers.map((r) => `${r.type}.${r.field}`))];
  const entry = Object.assign(new AuditEntry(), {
    actor: ctx.viewer.subject ?? 'system', action: AuditAction.REFUSE, entity: entityTypeOfId(id), entityId: id, region: parsed.region, fields,
  });
  await ctx.em.fork().transactional(async (em) => { em.persist(entry); });
}

/**
 * A delete that looks at the records referring to the one deleted, in its own database and one
 * transaction: refused with REFERENCED while any exists (and the refusal audited), or with
 * REMOVE the references go first. References held by other instances are the gateway's part:
 * it looks them up in every region before it sends the delete here (gateway/regional/integrity.ts).
 */
export async function deleteUnreferenced(
  ctx: SubgraphContext, columns: ReferrerColumns, id: string, action: ReferenceAction,
  load: (em: EntityManager) => Promise<object>,
): Promise<string> {
  try {
    return await inTransaction(ctx, async (em) => {
      const record = await load(em);
      if (action === ReferenceAction.REMOVE) {
        await forgetReferences(em, columns, id);
      } else {
        const found = await findReferrers(em, columns, [id]);
        if (found.count > 0) throw referenced(id, found.referrers, found.count);
      }
      em.remove(record);
      await em.flush();
      return id;
    });
  } catch (error) {
    const coded = codedError(error);
    if (coded?.extensions.code === ErrorCode.REFERENCED) await auditRefusal(ctx, id, coded.extensions.referrers as Referrer[]);
    throw error;
  }
}

@ObjectType('Referrer', { description: 'A record that refers to another: its type, id and the field holding the reference.' })
@Directive('@shareable')
@Directive('@inaccessible')
export class ReferrerType implements Referrer {
  @Field(() => String) type: string;
  @Field(() => ID) id: string;
  @Field(() => String) field: string;
}

@ObjectType('Referrers', { description: 'How many references one instance holds to some records, and the first of the referrers.' })
@Directive('@shareable')
@Directive('@inaccessible')
export class ReferrersType {
  @Field(() => Int) count: number;
  @Field(() => [ReferrerType]) referrers: ReferrerType[];
}

/** The viewer must be allowed to write the regions of the records looked at (who may delete them may see who refers to them). */
function assertMayDelete(ctx: SubgraphContext, id: string, argument: string): void {
  const parsed = tryParseId(id);
  if (!parsed) throw badInput(`"${id}" is not a record id (expected REGION:kind:KEY)`, argument);
  assertCanWrite(ctx.viewer, parsed.region);
}

/**
 * A subgraph's integrity fields, which the gateway calls on every instance around a delete
 * (names from `integrityFields`; hidden from the public API): the referrers of records, the
 * removal of every reference to a record, and the audit entry of a delete the gateway refused.
 */
export function IntegrityResolver(subgraph: SubgraphName, columns: ReferrerColumns): new () => object {
  const names = integrityFields(subgraph);
  @Resolver()
  class Integrity {
    @Query(() => ReferrersType, { name: names.referrers, description: `Records in ${subgraph} that refer to any of the ids.` })
    @Directive('@inaccessible')
    referrers(
      @Arg('ids', () => [ID]) ids: string[],
      @Ctx() ctx: SubgraphContext,
    ): Promise<ReferrersFound> {
      if (ids.length > 100) throw badInput('ids may name at most 100 records', 'ids');
      ids.forEach((id) => assertMayDelete(ctx, id, 'ids'));
      return findReferrers(ctx.em, columns, ids);
    }

    @Mutation(() => Int, { name: names.forget, description: `Removes every reference to the record in ${subgraph}; returns how many records changed.` })
    @Directive('@inaccessible')
    forget(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<number> {
      assertMayDelete(ctx, id, 'id');
      return inTransaction(ctx, (em) => forgetReferences(em, columns, id));
    }

    @Mutation(() => Boolean, { name: names.refused, description: 'Records in the audit log that a delete of the record was refused because of these referrers.' })
    @Directive('@inaccessible')
    async refused(
      @Arg('id', () => ID) id: string,
      @Arg('referrers', () => [String]) referrers: string[],
      @Ctx() ctx: SubgraphContext,
    ): Promise<boolean> {
      assertMayDelete(ctx, id, 'id');
      await auditRefusal(ctx, id, referrers.slice(0, MAX_LISTED_REFERRERS).map((name) => {
        const [type, ...field] = name.split('.');
        return { type, id: '', field: field.join('.') };
      }));
      return true;
    }
  }
  return Integrity;
}
