import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { duplicateName } from './client-errors.js';
import type { GraphQLError } from 'graphql';

// Alliances and organisations hold their names unique per region, compared by their sort key (see
// shared/sort-key.ts), through a unique constraint on (region, sort_key): of two concurrent
// writes of one name exactly one commits. Its violation becomes DUPLICATE_NAME here.

/** The constraint MikroORM names for `@Unique({ properties: ['region', 'sortKey'] })`. */
const NAME_CONSTRAINT = /^(\w+)_region_sort_key_unique$/;

/** PostgreSQL's detail of the violation: `Key (region, sort_key)=(SL, bundnis merzig) already exists.` */
const NAME_DETAIL = /^Key \(region, sort_key\)=\(([A-Z]{2}), (.*)\) already exists\.$/s;

interface Violation { table: string; region?: string; sortKey?: string }

function nameViolation(error: unknown): Violation | undefined {
  if (!(error instanceof UniqueConstraintViolationException)) return undefined;
  const { constraint, detail } = error as unknown as { constraint?: string; detail?: string };
  const table = NAME_CONSTRAINT.exec(constraint ?? '')?.[1];
  if (!table) return undefined;
  const key = NAME_DETAIL.exec(detail ?? '');
  return { table, region: key?.[1], sortKey: key?.[2] };
}

/** DUPLICATE_NAME for a violation of a name constraint, without the record that holds the name. */
export function duplicateNameOf(error: unknown): GraphQLError | undefined {
  const violation = nameViolation(error);
  return violation && duplicateName(violation.table);
}

/**
 * DUPLICATE_NAME naming the record that holds the name, looked up after the failed transaction
 * (with an entity manager outside it); undefined when the error is something else.
 */
export async function explainDuplicateName(em: EntityManager, error: unknown): Promise<GraphQLError | undefined> {
  const violation = nameViolation(error);
  if (!violation) return undefined;
  if (!violation.region || violation.sortKey === undefined) return duplicateName(violation.table);
  const [existing] = await em.getConnection().execute(
    `select "id", "name" from "${violation.table}" where "region" = ? and "sort_key" = ?`, [violation.region, violation.sortKey],
  ) as { id: string; name: string }[];
  return duplicateName(violation.table, existing);
}
