import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphContext } from './context.js';
import { badInput, conflict, notFound } from './errors.js';
import { parseId } from './ids.js';
import { assertCanWrite } from './auth.js';
import { actAs } from './audit.js';
import { explainDuplicateName } from './unique-names.js';

/** Runs a mutation in one database transaction: every write lands with its audit entries, or none does. */
export async function inTransaction<T>(ctx: SubgraphContext, work: (em: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await ctx.em.transactional((em) => {
      actAs(em, ctx.viewer);
      return work(em as EntityManager);
    });
  } catch (error) {
    // A name taken meanwhile (or by another row of the same call): say by which record.
    throw (await explainDuplicateName(ctx.em.fork(), error)) ?? error;
  }
}

/**
 * Loads a record that is about to be written (or whose region a new child joins). The viewer must
 * be allowed to write its region, checked from the id before loading, so nothing about another
 * region's records leaks: UNAUTHENTICATED, FORBIDDEN, then BAD_USER_INPUT or NOT_FOUND.
 */
export async function findForWrite<T extends { id: string }>(
  ctx: SubgraphContext, em: EntityManager, entity: EntityClass<T>, id: string, kind: string, argument = 'id',
): Promise<T> {
  const { region } = parseId(id, kind, argument);
  assertCanWrite(ctx.viewer, region);
  return findOrFail(em, entity, id, kind, argument);
}

/** Loads a record by id or throws NOT_FOUND (BAD_USER_INPUT for a malformed id). */
export async function findOrFail<T extends { id: string }>(
  em: EntityManager, entity: EntityClass<T>, id: string, kind: string, argument = 'id',
): Promise<T> {
  parseId(id, kind, argument);
  const found = await em.findOne(entity, { id } as FilterQuery<T>);
  if (!found) throw notFound(kind, id);
  return found;
}

/**
 * Loads a record for an update and refuses a stale version with CONFLICT, so an edit made on an
 * old copy never overwrites someone else's newer change. The flush re-checks the version in SQL.
 */
export async function findForUpdate<T extends { id: string; version: number }>(
  ctx: SubgraphContext, em: EntityManager, entity: EntityClass<T>, id: string, kind: string, expectedVersion: number,
): Promise<T> {
  const found = await findForWrite(ctx, em, entity, id, kind);
  if (found.version !== expectedVersion) {
    throw conflict(`${kind} "${id}" is at version ${found.version}, not ${expectedVersion}; reload it and try again`, {
      currentVersion: found.version,
    });
  }
  return found;
}

/**
 * Copies the fields an update input names onto the record: an absent field stays, `null` clears
 * it, except for `required` fields, which cannot be cleared (BAD_USER_INPUT). `id` and `version`
 * identify the update and are never copied; `skip` names fields the caller handles itself.
 */
export function applyPatch<T extends object>(
  target: T, patch: object, options: { required?: string[]; skip?: string[] } = {},
): void {
  const entries = Object.entries(patch).filter(([key, value]) =>
    value !== undefined && key !== 'id' && key !== 'version' && !options.skip?.includes(key));
  for (const [key, value] of entries) {
    if (value === null && options.required?.includes(key)) throw badInput(`${key} cannot be cleared`, key);
  }
  for (const [key, value] of entries) (target as Record<string, unknown>)[key] = value;
}
