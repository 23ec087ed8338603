import type { FilterQuery } from '@mikro-orm/core';
import type { Region } from './region.js';
import { textSearchCondition } from './text-search.js';

/** Matches no row: an empty list or a text with nothing searchable selects nothing, not everything. */
export const NO_ROWS = { id: null };

/** What every list filter may ask: German full-text search and the owning regions. */
export interface CommonFilter {
  text?: string | null;
  regions?: readonly Region[] | null;
}

/**
 * A list filter as one SQL condition: the common parts, which mean the same in every subgraph,
 * and the subgraph's own conditions, all joined with AND. Absent or null parts do not filter.
 */
export function whereAll<T>(common: CommonFilter | null | undefined, ...own: (FilterQuery<T> | false | null | undefined)[]): FilterQuery<T> {
  const conditions: FilterQuery<T>[] = [];
  if (common?.text != null) conditions.push((textSearchCondition(common.text) ?? NO_ROWS) as FilterQuery<T>);
  if (common?.regions) conditions.push({ region: { $in: [...common.regions] } } as unknown as FilterQuery<T>);
  for (const condition of own) if (condition) conditions.push(condition);
  return (conditions.length ? { $and: conditions } : {}) as FilterQuery<T>;
}
