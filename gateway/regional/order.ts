import { Kind, type FieldNode, type SelectionSetNode } from 'graphql';
import { sortKeyOf } from '../../subgraphs/shared/sort-key.js';
import type { Order, Path } from '../../subgraphs/shared/routing.js';
import { fieldsOf } from './operation.js';

type Json = Record<string, unknown>;

/**
 * What merging reads that the client may not have asked for is added to the subgraph request
 * under aliases of this prefix (one per path), read back by `readerOf` and dropped by the
 * gateway's result shaping, which keeps only the fields the client selected.
 */
export const MERGE_ALIAS = '__hub_m';

/** The response key under which a path's value is added to a subgraph request. */
export const mergeAlias = (path: Path) => `${MERGE_ALIAS}_${path.replace(/\./g, '_')}`;
const termPaths = (order: Order): Path[] => order.flatMap((term) => (typeof term.field === 'string' ? [term.field] : [...term.field]));

const node = (name: string, alias?: string, selections?: FieldNode[]): FieldNode => ({
  kind: Kind.FIELD,
  name: { kind: Kind.NAME, value: name },
  ...(alias ? { alias: { kind: Kind.NAME, value: alias } } : {}),
  ...(selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
});

/** `a.b.c` as the aliased selection `__hub_m_a_b_c: a { b { c } }`. */
function selectionFor(path: Path): FieldNode {
  const [first, ...rest] = path.split('.');
  const nested = rest.reduceRight<FieldNode | undefined>((inner, name) => node(name, undefined, inner ? [inner] : undefined), undefined);
  return node(first, mergeAlias(path), nested ? [nested] : undefined);
}

/**
 * The selection set with every path added under its merge alias (each once). `reuse`: a path the
 * client selects itself, unaliased and as a leaf, is read from the client's field instead (readers
 * made with `plainToo`), so an answer does not carry every breakdown key and count twice.
 */
export function withPaths(selectionSet: SelectionSetNode | undefined, paths: Path[], reuse = false): SelectionSetNode {
  const present = new Set(fieldsOf(selectionSet).map((f) => f.alias?.value));
  const plain = new Set(reuse ? fieldsOf(selectionSet).filter((f) => !f.alias && !f.selectionSet).map((f) => f.name.value) : []);
  const extra = [...new Set(paths)].filter((path) => !present.has(mergeAlias(path)) && !plain.has(path)).map(selectionFor);
  return { kind: Kind.SELECTION_SET, selections: [...(selectionSet?.selections ?? []), ...extra] };
}

/** The field with the values `order` compares added to its selection. */
export function withOrderFields(field: FieldNode, order: Order): FieldNode {
  return { ...field, selectionSet: withPaths(field.selectionSet, termPaths(order)) };
}

/** Reads the value at `path` of items whose selection `withPaths` extended (the path parsed once); `plainToo`: see `withPaths`. */
export function readerOf(path: Path, plainToo = false): (item: unknown) => unknown {
  const alias = mergeAlias(path);
  const rest = path.split('.').slice(1);
  const plain = plainToo && rest.length === 0;
  return (item) => {
    let value = (item as Json | null)?.[alias];
    if (value === undefined && plain) value = (item as Json | null)?.[path];
    if (value === undefined) return undefined;
    for (const name of rest) value = (value as Json | null)?.[name];
    return value ?? null;
  };
}


/** Byte-wise, as the subgraphs' "C" collation compares. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Two present values: numbers by value, anything else as text. */
function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareText(String(a), String(b));
}

/**
 * A comparator for items in `order`; nulls come last whatever the direction. Each item's values
 * (sort keys included, which are costly to compute) are read once and kept while it is compared.
 */
export function comparatorFor(order: Order, plainToo = false): (a: unknown, b: unknown) => number {
  const terms = order.map((term) => {
    const readers = (typeof term.field === 'string' ? [term.field] : [...term.field]).map((path) => readerOf(path, plainToo));
    const read = readers.length === 1 ? readers[0] : (item: unknown) => readers.map((reader) => reader(item) ?? '').join(' ');
    const value = term.sortKey ? (item: unknown) => { const text = read(item); return typeof text === 'string' ? sortKeyOf(text) : text; } : read;
    return { value, sign: term.direction === 'desc' ? -1 : 1 };
  });
  const known = new WeakMap<object, unknown[]>();
  const valuesOf = (item: unknown): unknown[] => {
    if (item === null || typeof item !== 'object') return terms.map(({ value }) => value(item));
    let values = known.get(item);
    if (!values) known.set(item, values = terms.map(({ value }) => value(item)));
    return values;
  };
  return (a, b) => {
    const x = valuesOf(a);
    const y = valuesOf(b);
    for (let i = 0; i < terms.length; i++) {
      const nulls = Number(x[i] === null || x[i] === undefined) - Number(y[i] === null || y[i] === undefined);
      if (nulls !== 0) return nulls;
      const difference = compareValues(x[i], y[i]) * terms[i].sign;
      if (difference !== 0) return difference;
    }
    return 0;
  };
}

/**
 * Merges lists that are each already in one order into one list in that order: a k-way merge
 * that keeps, among equal items, the earlier list's first. Every merged list of the gateway
 * (root lists, connections, extension lists) goes through here.
 */
export function mergeSorted<T>(lists: readonly (readonly T[])[], compare: (a: T, b: T) => number, limit = Infinity): T[] {
  const positions = lists.map(() => 0);
  const merged: T[] = [];
  while (merged.length < limit) {
    let best = -1;
    for (let list = 0; list < lists.length; list++) {
      if (positions[list] >= lists[list].length) continue;
      if (best === -1 || compare(lists[list][positions[list]], lists[best][positions[best]]) < 0) best = list;
    }
    if (best === -1) break;
    merged.push(lists[best][positions[best]++]);
  }
  return merged;
}
