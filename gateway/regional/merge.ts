import type { FieldNode } from 'graphql';
import { readCursor } from '../../subgraphs/shared/cursor.js';
import { compareSortKeys } from '../../subgraphs/shared/sort-key.js';
import type { Breakdown, Merge } from '../../subgraphs/shared/routing.js';
import { PAGING, fieldsOf, responseKey } from './operation.js';
import { comparatorFor, mergeAlias, mergeSorted, readerOf, withOrderFields, withPaths } from './order.js';

type Json = Record<string, unknown>;

/**
 * The field as sent to each instance when several answer it: with what the declared merge reads
 * (order values, breakdown keys and counts) added to the client's selection.
 */
export function fieldForMerge(field: FieldNode, merge: Merge): FieldNode {
  switch (merge.kind) {
    case 'list':
      return withOrderFields(field, merge.order);
    case 'aggregate':
      return {
        ...field,
        selectionSet: {
          kind: field.selectionSet!.kind,
          selections: field.selectionSet!.selections.map((selection) => {
            const breakdown = selection.kind === 'Field' ? merge.breakdowns[selection.name.value] : undefined;
            return breakdown ? { ...selection, selectionSet: withPaths((selection as FieldNode).selectionSet, breakdownPaths(breakdown), true) } : selection;
          }),
        },
      };
    default:
      return field;
  }
}

const breakdownPaths = (breakdown: Breakdown) => [...breakdown.key, breakdown.count,
  ...breakdown.order.flatMap((term) => (typeof term.field === 'string' ? [term.field] : [...term.field]))];

/** Several instances' answers to one root field as one answer, as its declaration says. */
export function mergeAnswers(field: FieldNode, merge: Merge, values: Json[], first: number | undefined): unknown {
  switch (merge.kind) {
    case 'list':
      return mergeSorted(values as unknown as unknown[][], comparatorFor(merge.order), first ?? Infinity);
    case 'aggregate':
      return mergeAggregate(field, merge, values);
    default:
      return values[0] ?? null;
  }
}

/** Statistics: declared sums added, each breakdown's rows merged by key and put in declared order. */
export function mergeAggregate(field: FieldNode, merge: Extract<Merge, { kind: 'aggregate' }>, values: Json[]): Json {
  const merged: Json = {};
  for (const selected of fieldsOf(field.selectionSet)) {
    const key = responseKey(selected);
    const name = selected.name.value;
    const parts = values.map((v) => v[key]).filter((v) => v !== undefined && v !== null);
    const breakdown = merge.breakdowns[name];
    if (breakdown) merged[key] = mergeRows(selected, breakdown, parts as Json[][]);
    else if (merge.sum.includes(name)) merged[key] = (parts as number[]).reduce((a, b) => a + b, 0);
    else merged[key] = parts[0] ?? null;
  }
  return merged;
}

/** A one-field key as text: strings apart from every other value (`"1"` is not `1`, `"null"` not `null`). */
const keyText = (value: unknown) => (typeof value === 'string' ? `s${value}` : JSON.stringify(value ?? null));

/** Rows with equal key values become one, their counts (and every response key the client gave the count) added, then ordered. */
function mergeRows(field: FieldNode, breakdown: Breakdown, parts: Json[][]): Json[] {
  const countKeys = [mergeAlias(breakdown.count), ...fieldsOf(field.selectionSet).filter((f) => f.name.value === breakdown.count).map(responseKey)];
  const keysOf = breakdown.key.map((path) => readerOf(path, true));
  const countOf = readerOf(breakdown.count, true);
  const groups = new Map<string, Json>();
  for (const row of parts.flat()) {
    const identity = keysOf.length === 1 ? keyText(keysOf[0](row)) : JSON.stringify(keysOf.map((read) => read(row)));
    const existing = groups.get(identity);
    if (!existing) {
      groups.set(identity, { ...row });
      continue;
    }
    const total = Number(countOf(existing) ?? 0) + Number(countOf(row) ?? 0);
    for (const key of countKeys) existing[key] = total;
  }
  return [...groups.values()].sort(comparatorFor(breakdown.order, true));
}

// ---------------------------------------------------------------------------------------------
// Connections across instances.

/** A connection edge as merging sees it: the instance's index, its cursor's sort key and the edge. */
interface PagedEdge { source: number; key: [string, string]; cursor: string; edge: unknown }

/** A malformed cursor (an instance's, never the client's) sorts first rather than breaking the page. */
export const keyOfCursor = (cursor: string): [string, string] => readCursor(cursor) ?? ['', cursor];

/** Sort key, then id: the order every instance pages in. */
export const compareCursorKeys = (a: readonly [string, string], b: readonly [string, string]) => compareSortKeys(a[0], a[1], b[0], b[1]);

const compareKeys = (a: PagedEdge, b: PagedEdge) => compareCursorKeys(a.key, b.key);

function edgesOf(value: Json, source: number, edgesKey?: string): PagedEdge[] {
  const cursors = (value[PAGING.edges] as Json[] | undefined) ?? [];
  const edges = edgesKey ? (value[edgesKey] as unknown[] | undefined) ?? [] : [];
  return cursors.map((c, index) => ({ source, cursor: c[PAGING.cursor] as string, key: keyOfCursor(c[PAGING.cursor] as string), edge: edges[index] }));
}

export const hasMore = (value: Json | undefined) => (value?.[PAGING.pageInfo] as Json | undefined)?.[PAGING.more] === true;

/**
 * The first round of a paged fan-out: from every instance's sort keys alone, how many of the next
 * `first` records each instance holds — its share. The second round asks each instance for its
 * share and one more (the look-ahead), and an instance with no share but records for one, so that
 * a record written between the rounds is noticed. 0: the instance is not asked again.
 */
export function planPage(values: (Json | undefined)[], first: number | undefined): number[] {
  const merged = mergeSorted(values.map((v, source) => (v ? edgesOf(v, source) : [])), compareKeys, first ?? Infinity);
  const shares = values.map(() => 0);
  for (const edge of merged) shares[edge.source]++;
  return values.map((value, source) => (value && ((value[PAGING.edges] as unknown[] | undefined)?.length ?? 0) > 0 ? shares[source] + 1 : 0));
}

/**
 * The page from the second round's answers (the first round's for instances not asked again).
 * Each instance answered a prefix of its own list; one that holds more than it sent bounds the
 * page at the last key it sent (its look-ahead), so no record below the page's end can be
 * missing, whatever was written between the rounds. Without writes the bounds lie beyond the
 * page; with them the page may be shorter than `first`, and the next page continues after it.
 */
export function mergeConnection(field: FieldNode, values: (Json | undefined)[], first: number | undefined): Json {
  const clientFields = fieldsOf(field.selectionSet).filter((f) => !f.alias?.value.startsWith('__hub_'));
  const edgesField = clientFields.find((f) => f.name.value === 'edges');
  const lists = values.map((value, source) => (value ? edgesOf(value, source, edgesField && responseKey(edgesField)) : []));
  const bounds = lists.flatMap((list, source) => (hasMore(values[source]) && list.length ? [list.at(-1)!] : []));
  const bound = bounds.length ? bounds.reduce((a, b) => (compareKeys(a, b) <= 0 ? a : b)) : undefined;
  const candidates = mergeSorted(lists, compareKeys);
  const within = bound ? candidates.filter((edge) => compareKeys(edge, bound) <= 0) : candidates;
  const page = first === undefined ? within : within.slice(0, first);
  const more = candidates.length > page.length || values.some(hasMore);
  const present = values.filter((v): v is Json => v !== undefined);
  const merged: Json = {};
  for (const clientField of clientFields) {
    const key = responseKey(clientField);
    switch (clientField.name.value) {
      case 'totalCount':
        merged[key] = present.reduce((sum, v) => sum + Number(v[PAGING.total] ?? 0), 0);
        break;
      case 'edges':
        merged[key] = page.map((entry) => entry.edge);
        break;
      case 'pageInfo':
        merged[key] = Object.fromEntries(fieldsOf(clientField.selectionSet).map((info) => {
          const infoKey = responseKey(info);
          if (info.name.value === 'hasNextPage') return [infoKey, more];
          if (info.name.value === 'endCursor') return [infoKey, page.at(-1)?.cursor ?? null];
          return [infoKey, (present[0]?.[key] as Json | undefined)?.[infoKey] ?? null];
        }));
        break;
      default:
        merged[key] = present[0]?.[key];
    }
  }
  return merged;
}
