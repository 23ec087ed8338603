import { getNamedType, getNullableType, isListType, isObjectType, type FieldNode, type GraphQLSchema } from 'graphql';
import { decodeCursor } from '../../subgraphs/kit/index.js';
import { PAGING, fieldsOf, responseKey } from './operation.js';

/**
 * How the answers of several instances to one root field become one answer:
 * - connection: one list in the order of the cursors' sort keys, cut to `first`, totals summed;
 * - aggregate (a `…Statistics` type): counts summed, breakdown rows with the same keys added up;
 * - list: concatenated in instance order, cut to `first`;
 * - single: the first instance's non-null answer.
 */
export type MergeKind = 'connection' | 'aggregate' | 'list' | 'single';

export function mergeKindOf(schema: GraphQLSchema, rootType: 'Query' | 'Mutation', fieldName: string): MergeKind {
  const definition = (rootType === 'Query' ? schema.getQueryType() : schema.getMutationType())?.getFields()[fieldName];
  if (!definition) return 'single';
  const type = getNullableType(definition.type);
  const named = getNamedType(type);
  if (isObjectType(named) && !isListType(type)) {
    const fields = named.getFields();
    if (fields.edges && fields.pageInfo && fields.totalCount) return 'connection';
    if (named.name.endsWith('Statistics')) return 'aggregate';
  }
  return isListType(type) ? 'list' : 'single';
}

/** The default of a root field's `first` argument, if it has one. */
export function defaultFirst(schema: GraphQLSchema, fieldName: string): number | undefined {
  const argument = schema.getQueryType()?.getFields()[fieldName]?.args.find((a) => a.name === 'first');
  return typeof argument?.defaultValue === 'number' ? argument.defaultValue : undefined;
}

type Json = Record<string, unknown>;

/** Byte-wise like the subgraphs' "C" collation. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sortKeyOfCursor(cursor: string): [string, string] {
  try {
    return decodeCursor(cursor);
  } catch {
    return ['', cursor];
  }
}

/** What the cursor round already knows about a paged fan-out: the total and whether more follows. */
export interface PageFacts { total: number; more: boolean }

export function mergeConnection(field: FieldNode, values: Json[], first: number | undefined, facts?: PageFacts): Json {
  const clientFields = fieldsOf(field.selectionSet).filter((f) => !f.alias?.value.startsWith('__hub_'));
  const edgesKey = clientFields.find((f) => f.name.value === 'edges');
  const entries = values.flatMap((value) => {
    const cursors = (value[PAGING.edges] as Json[] | undefined) ?? [];
    const edges = edgesKey ? (value[responseKey(edgesKey)] as unknown[] | undefined) ?? [] : [];
    return cursors.map((c, index) => ({ cursor: c[PAGING.cursor] as string, key: sortKeyOfCursor(c[PAGING.cursor] as string), edge: edges[index] }));
  });
  entries.sort((a, b) => compare(a.key[0], b.key[0]) || compare(a.key[1], b.key[1]));
  const page = first === undefined ? entries : entries.slice(0, first);
  const more = facts?.more
    ?? (entries.length > page.length || values.some((v) => (v[PAGING.pageInfo] as Json | undefined)?.[PAGING.more] === true));
  const merged: Json = {};
  for (const clientField of clientFields) {
    const key = responseKey(clientField);
    switch (clientField.name.value) {
      case 'totalCount':
        merged[key] = facts?.total ?? values.reduce((sum, v) => sum + Number(v[PAGING.total] ?? 0), 0);
        break;
      case 'edges':
        merged[key] = page.map((entry) => entry.edge);
        break;
      case 'pageInfo':
        merged[key] = Object.fromEntries(fieldsOf(clientField.selectionSet).map((info) => {
          const infoKey = responseKey(info);
          if (info.name.value === 'hasNextPage') return [infoKey, more];
          if (info.name.value === 'endCursor') return [infoKey, page.at(-1)?.cursor ?? null];
          return [infoKey, (values[0]?.[key] as Json | undefined)?.[infoKey] ?? null];
        }));
        break;
      default:
        merged[key] = values[0]?.[key];
    }
  }
  return merged;
}

/** Sums the counts of several instances' statistics, field by field as the selection names them. */
export function mergeAggregate(fields: FieldNode[], values: Json[]): Json {
  const merged: Json = {};
  for (const field of fields) {
    const key = responseKey(field);
    const parts = values.map((v) => v?.[key]).filter((v) => v !== undefined && v !== null);
    if (field.selectionSet) {
      merged[key] = parts.some(Array.isArray)
        ? mergeRows(fieldsOf(field.selectionSet), (parts as Json[][]).flat())
        : parts.length ? mergeAggregate(fieldsOf(field.selectionSet), parts as Json[]) : null;
    } else if (parts.length && parts.every((p) => typeof p === 'number')) {
      merged[key] = (parts as number[]).reduce((a, b) => a + b, 0);
    } else {
      merged[key] = parts[0] ?? null;
    }
  }
  return merged;
}

/** Breakdown rows: rows with equal values in every field but `count` become one, their counts added. */
function mergeRows(fields: FieldNode[], rows: Json[]): Json[] {
  const countKeys = fields.filter((f) => f.name.value === 'count').map(responseKey);
  const keyFields = fields.filter((f) => f.name.value !== 'count').map(responseKey);
  const groups = new Map<string, Json>();
  for (const row of rows) {
    const identity = JSON.stringify(keyFields.map((k) => row[k] ?? null));
    const existing = groups.get(identity);
    if (!existing) {
      groups.set(identity, { ...row });
      continue;
    }
    for (const k of countKeys) existing[k] = Number(existing[k] ?? 0) + Number(row[k] ?? 0);
  }
  const merged = [...groups.values()];
  if (countKeys.length === 0) return merged;
  const hasNull = (row: Json) => keyFields.some((k) => row[k] === null || row[k] === undefined);
  return merged.sort((a, b) =>
    Number(b[countKeys[0]]) - Number(a[countKeys[0]])
    || Number(hasNull(a)) - Number(hasNull(b))
    || compare(JSON.stringify(keyFields.map((k) => a[k])), JSON.stringify(keyFields.map((k) => b[k]))));
}

export function mergeList(values: unknown[][], first: number | undefined): unknown[] {
  const all = values.flat();
  return first === undefined ? all : all.slice(0, first);
}


/**
 * The cursor round of a paged fan-out: which instances hold the next `first` records and how many
 * each, so that only those are fetched in full.
 */
export function planPage(answers: { instance: string; value: Json }[], first: number | undefined): { facts: PageFacts; take: Map<string, number> } {
  const entries = answers.flatMap(({ instance, value }) => ((value[PAGING.edges] as Json[] | undefined) ?? [])
    .map((edge) => ({ instance, key: sortKeyOfCursor(edge[PAGING.cursor] as string) })));
  entries.sort((a, b) => compare(a.key[0], b.key[0]) || compare(a.key[1], b.key[1]));
  const page = first === undefined ? entries : entries.slice(0, first);
  const take = new Map<string, number>();
  for (const entry of page) take.set(entry.instance, (take.get(entry.instance) ?? 0) + 1);
  return {
    take,
    facts: {
      total: answers.reduce((sum, { value }) => sum + Number(value[PAGING.total] ?? 0), 0),
      more: entries.length > page.length || answers.some(({ value }) => (value[PAGING.pageInfo] as Json | undefined)?.[PAGING.more] === true),
    },
  };
}
