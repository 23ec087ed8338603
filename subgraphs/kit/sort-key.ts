import { compareSortKeys } from '../shared/sort-key.js';

export { sortKeyOf } from '../shared/sort-key.js';

/** Records in the order `orderBy: { sortKey: 'asc', id: 'asc' }` reads them. */
export function bySortKey(a: { sortKey: string; id: string }, b: { sortKey: string; id: string }): number {
  return compareSortKeys(a.sortKey, a.id, b.sortKey, b.id);
}
