export { sortKeyOf } from '../shared/sort-key.js';

/** Records in the order `orderBy: { sortKey: 'asc', id: 'asc' }` reads them (both columns collate "C"). */
export function bySortKey(a: { sortKey: string; id: string }, b: { sortKey: string; id: string }): number {
  if (a.sortKey !== b.sortKey) return a.sortKey < b.sortKey ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
