import { Kind, print, type FieldNode, type OperationDefinitionNode, type VariableDefinitionNode } from 'graphql';
import { forbiddenCharacterIn } from '../../subgraphs/kit/characters.js';
import { MAX_PAGE_SIZE, readCursor } from '../../subgraphs/shared/cursor.js';
import type { WriteClock } from './answer-cache.js';
import { ask, type Json, type Outcome, type Send } from './instance-client.js';
import { compareCursorKeys, hasMore, keyOfCursor } from './merge.js';
import { PAGING, argumentValue, fieldsOf, operationWith, responseKey, withFirst, withPagingFields } from './operation.js';
import type { FieldPlan } from './planner.js';
import type { Instance } from './topology.js';

/**
 * Pages of keys read in fixed chunks. A page after a cursor, asked of every instance as it is,
 * is a new request for each cursor: browsing from anywhere in a list finds nothing in the answer
 * cache. Asked in chunks, each instance gets the same requests whatever the cursor (its first
 * MAX_PAGE_SIZE keys, then the MAX_PAGE_SIZE after the last of those, …) until they hold `first`
 * keys past the cursor; the cache keeps each chunk and the page is cut from them here. An instance
 * whose keys were read costs nothing for any page until they expire or a write drops them.
 *
 * Only for a fetch of one paged fan-out that asks for keys alone (pages of records are read so
 * with the answer cache, page-records.ts). One direct request, as without chunks, replaces the walk
 * when chunks could mislead: a walk over several chunks that a write through the gateway
 * overlapped (it may join two states of the list and skip a record), a chunk answered with errors
 * (the instance's own message reaches the client), a deep page past MAX_CHUNKS, or a cursor or page
 * size the instance would refuse (its refusal is the answer).
 */
export interface KeyChunks {
  readonly plan: FieldPlan;
  /** The field as each chunk asks it: the client's keys, paging fields, the largest page, `after` a variable. */
  readonly field: FieldNode;
  readonly query: string;
  /** The variables a chunk request uses besides its cursor. */
  readonly variables: Json;
  /** The client's cursor as read; undefined: from the start. */
  readonly after?: readonly [string, string];
  readonly first: number;
}

const AFTER = '__hub_after';

/** Past this many chunks one direct request costs less than the walk. */
export const MAX_CHUNKS = 20;

/** The chunked reading of a fetch's plans, or undefined when they are not one paged fan-out of keys. */
export function keyChunksOf(operation: OperationDefinitionNode, plans: readonly FieldPlan[], variables: Json): KeyChunks | undefined {
  if (plans.length !== 1) return undefined;
  const [plan] = plans;
  // Keys alone go in one round: their fields are planned already (planner.ts).
  if (plan.merge.kind !== 'connection' || plan.instances.length < 2 || plan.sent.size === 0) return undefined;
  const first = plan.first;
  if (first === undefined || !Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) return undefined;
  const given = argumentValue(plan.field, 'after', variables);
  let after: [string, string] | undefined;
  if (given !== undefined && given !== null) {
    after = typeof given === 'string' ? readCursor(given) : undefined;
    if (!after || after.some((part) => forbiddenCharacterIn(part))) return undefined;
  }
  const request = chunkRequestOf(operation, plan.field);
  const used = Object.fromEntries(request.variables.filter((name) => name in variables).map((name) => [name, variables[name]]));
  return { plan, field: request.field, query: request.query, variables: used, after, first };
}

const AFTER_DEFINITION: VariableDefinitionNode = {
  kind: Kind.VARIABLE_DEFINITION,
  variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: AFTER } },
  type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'String' } },
};

/** The chunk request of a client's field, made once per field (documents are kept per query text). */
const chunkRequests = new WeakMap<FieldNode, { field: FieldNode; query: string; variables: string[] }>();
function chunkRequestOf(operation: OperationDefinitionNode, clientField: FieldNode) {
  let known = chunkRequests.get(clientField);
  if (!known) {
    const after = { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'after' }, value: AFTER_DEFINITION.variable } as const;
    const others = (clientField.arguments ?? []).filter((a) => a.name.value !== 'after');
    const field = withPagingFields(withFirst({ ...clientField, arguments: [...others, after] }, MAX_PAGE_SIZE));
    const document = operationWith({ ...operation, variableDefinitions: [...(operation.variableDefinitions ?? []), AFTER_DEFINITION] }, [field]);
    const declared = (document.definitions[0] as OperationDefinitionNode).variableDefinitions ?? [];
    known = { field, query: print(document), variables: declared.map((d) => d.variable.name.value).filter((name) => name !== AFTER) };
    chunkRequests.set(clientField, known);
  }
  return known;
}

/**
 * Every instance's page, cut from its chunks (`send` keeps each in the answer cache). `direct`
 * asks an instance for the page itself, as a fetch without chunks does.
 */
export async function readKeyChunks(
  send: Send, chunks: KeyChunks, clock: Pick<WriteClock, 'generation' | 'inFlight'>, direct: (instance: Instance) => Promise<Outcome>,
): Promise<Map<Instance, Outcome>> {
  const key = chunks.plan.key;
  const walk = async (instance: Instance): Promise<Outcome> => {
    const generation = clock.generation;
    const quiet = clock.inFlight === 0;
    const values: Json[] = [];
    let cursor: string | null = null;
    for (;;) {
      const outcome = await ask(send, instance, { query: chunks.query, variables: { ...chunks.variables, [AFTER]: cursor } });
      if (outcome.failure) return outcome;
      const value = outcome.answer?.data?.[key] as Json | null | undefined;
      if (outcome.answer?.errors?.length || !value) return direct(instance);
      values.push(value);
      const cursors = cursorsIn(value);
      if (!hasMore(value) || keysPast(values, chunks.after) >= chunks.first) break;
      if (cursors.length === 0 || values.length >= MAX_CHUNKS) return direct(instance);
      cursor = cursors.at(-1)!;
    }
    // Chunks read across a write may not be one state of the list.
    if (values.length > 1 && (!quiet || clock.generation !== generation)) return direct(instance);
    return { instance, answer: { data: { [key]: pageAfter(chunks.field, values, chunks.after, chunks.first) } } };
  };
  return new Map(await Promise.all(chunks.plan.instances.map(async (instance) => [instance, await walk(instance)] as const)));
}

const cursorsIn = (value: Json): string[] => ((value[PAGING.edges] as Json[] | undefined) ?? []).map((edge) => edge[PAGING.cursor] as string);

/** Where the keys past `after` begin in the chunks' cursors. */
function startAfter(cursors: readonly string[], after: readonly [string, string] | undefined): number {
  if (!after) return 0;
  const found = cursors.findIndex((cursor) => compareCursorKeys(keyOfCursor(cursor), after) > 0);
  return found === -1 ? cursors.length : found;
}

function keysPast(values: readonly Json[], after: readonly [string, string] | undefined): number {
  const cursors = values.flatMap(cursorsIn);
  return cursors.length - startAfter(cursors, after);
}

/**
 * An instance's answer to the page (`first` keys after `after`) cut from consecutive chunks of its
 * list: as the instance would give it, with the total of the first chunk and whether it has more.
 */
export function pageAfter(field: FieldNode, values: readonly Json[], after: readonly [string, string] | undefined, first: number): Json {
  const cursors = values.flatMap(cursorsIn);
  const start = startAfter(cursors, after);
  const end = Math.min(start + first, cursors.length);
  const more = end < cursors.length || hasMore(values.at(-1));
  const page: Json = {};
  for (const selected of fieldsOf(field.selectionSet)) {
    const key = responseKey(selected);
    if (selected.name.value === 'edges') {
      page[key] = values.flatMap((value) => (value[key] as unknown[] | undefined) ?? []).slice(start, end);
    } else if (selected.name.value === 'pageInfo') {
      const info = (values[0][key] as Json | null | undefined) ?? {};
      page[key] = { ...(page[key] as Json | undefined), ...Object.fromEntries(fieldsOf(selected.selectionSet).map((part) => {
        const partKey = responseKey(part);
        if (part.name.value === 'hasNextPage') return [partKey, more];
        if (part.name.value === 'endCursor') return [partKey, end > start ? cursors[end - 1] : null];
        return [partKey, info[partKey] ?? null];
      })) };
    } else {
      // The total and type name are the same in every chunk.
      page[key] = values[0][key];
    }
  }
  return page;
}
