import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, parse, print, visit, type FieldNode, type GraphQLFormattedError } from 'graphql';
import type { Order } from '../../subgraphs/shared/routing.js';
import { regionOfId } from '../../subgraphs/shared/ids.js';
import { type Region } from '../../subgraphs/shared/region.js';
import {
  InstanceUnavailable, ask, regionNotServedError, unavailableErrors, type Json, type OutgoingRequest, type Route,
} from './instance-client.js';
import { Memo } from '../memo.js';
import type { RoutingTable } from './declarations.js';
import { argumentValue, responseKey } from './operation.js';
import { comparatorFor, mergeSorted, withOrderFields, withPaths } from './order.js';
import { sameRecord } from './ownership.js';
import type { Instance } from './topology.js';

/**
 * `_entities` fetches. A type the subgraph stores: the representations are split by the region of
 * their id, one request per owning instance in parallel, and answers and errors go back to the
 * original order. A type the subgraph only adds fields to (e.g. `Alliance.networks` in networks):
 * every instance is asked, since a network of any region may list the alliance, and the answers
 * for each representation are joined.
 */
export async function fetchEntities(
  route: Route, routing: RoutingTable, query: string, operationName: string | null | undefined,
  field: FieldNode, variables: Json,
): Promise<GatewayGraphQLResponse> {
  const key = responseKey(field);
  const argument = field.arguments?.find((a) => a.name.value === 'representations');
  const variableName = argument?.value.kind === Kind.VARIABLE ? argument.value.name.value : 'representations';
  const representations = (argumentValue(field, 'representations', variables) as Json[] | undefined) ?? [];
  if (representations.every((r) => !routing.storesEntity(String(r.__typename)))) {
    return fetchExtensionEntities(route, routing, query, operationName, key, variableName, representations, variables);
  }
  const results: unknown[] = representations.map(() => null);
  const errors: GraphQLFormattedError[] = [];
  const groups = new Map<Instance, number[]>();
  const unowned = new Map<string, number[]>();
  representations.forEach((representation, index) => {
    const region = regionOfRepresentation(representation);
    const instance = region ? route.registry.owner(route.subgraph, region) : route.registry.instances(route.subgraph)[0];
    if (instance) groups.set(instance, [...(groups.get(instance) ?? []), index]);
    else unowned.set(region!, [...(unowned.get(region!) ?? []), index]);
  });
  for (const [region, indexes] of unowned) errors.push(regionNotServedError(route.subgraph, region, [key, indexes[0]]));

  // Each answer must be the record asked for, of the instance's own region: its id is asked too.
  const checked = rewrittenEntities(routing, query).query;
  await Promise.all([...groups].map(async ([instance, indexes]) => {
    try {
      const answer = await route.send(instance, subsetRequest(checked, operationName, variables, variableName, representations, indexes));
      const list = (answer.data?.[key] as unknown[] | undefined) ?? [];
      indexes.forEach((original, local) => {
        const refusal = sameRecord(instance, representations[original], list[local], [key, original]);
        if (refusal) errors.push(refusal);
        results[original] = refusal ? null : list[local] ?? null;
      });
      errors.push(...repointed(answer.errors, key, indexes));
    } catch (error) {
      if (!(error instanceof InstanceUnavailable)) throw error;
      // Each record left without an answer has its own error: the answer cache hands the records
      // of one request to several fetches (answer-cache.ts), and one without an error of its own
      // would look deleted, or be kept.
      for (const index of indexes) {
        errors.push(...unavailableErrors(route.subgraph, error, [regionOfRepresentation(representations[index]) ?? '?'], [key, index]));
      }
    }
  }));
  return { data: { [key]: results }, ...(errors.length ? { errors } : {}) };
}

/**
 * Fields added to another subgraph's entity: each instance is asked about the representations of
 * its own regions and of the regions it refers to (all of them while that is unknown, see
 * references.ts), and the answers are joined per representation. So every representation gets
 * at least one answer, and an instance with nothing to say is not asked.
 */
async function fetchExtensionEntities(
  route: Route, routing: RoutingTable, query: string, operationName: string | null | undefined, key: string, variableName: string,
  representations: Json[], variables: Json,
): Promise<GatewayGraphQLResponse> {
  // Representations grouped once by type and region (undefined: an id without one).
  const groups = new Map<string, { type: string; region?: Region; indexes: number[] }>();
  representations.forEach((representation, index) => {
    const type = String(representation.__typename);
    const region = regionOfRepresentation(representation);
    const groupKey = `${type}\n${region ?? ''}`;
    let group = groups.get(groupKey);
    if (!group) groups.set(groupKey, group = { type, region, indexes: [] });
    group.indexes.push(index);
  });
  const asked = route.registry.instances(route.subgraph).flatMap((instance) => {
    const chosen = [...groups.values()].filter((group) => isAsked(route, instance, group.type, group.region));
    const indexes = chosen.length === groups.size ? representations.map((_, index) => index)
      : chosen.flatMap((group) => group.indexes).sort((a, b) => a - b);
    return indexes.length ? [{ instance, indexes }] : [];
  });
  // Answers from several instances are merged in each list's declared order, which needs its values.
  const ordered = asked.length > 1 ? rewrittenEntities(routing, query) : { query, lists: new Map<string, Order>() };
  const outcomes = await Promise.all(asked.map(({ instance, indexes }) =>
    ask(route.send, instance, subsetRequest(ordered.query, operationName, variables, variableName, representations, indexes))));
  const parts: (Json | null)[][] = representations.map(() => []);
  const errors: GraphQLFormattedError[] = [];
  outcomes.forEach((outcome, n) => {
    const { indexes } = asked[n];
    const list = (outcome.answer?.data?.[key] as (Json | null)[] | undefined) ?? [];
    indexes.forEach((original, local) => parts[original].push(list[local] ?? null));
    // Each record the instance may have added to has its own error, as above: the region of the
    // record where the instance owns it, else the instance's regions (it was asked for its references).
    if (outcome.failure) {
      for (const index of indexes) {
        const region = regionOfRepresentation(representations[index]);
        const regions = region && outcome.instance.regions.includes(region) ? [region] : outcome.instance.regions;
        errors.push(...unavailableErrors(route.subgraph, outcome.failure, regions, [key, index]));
      }
    }
    errors.push(...repointed(outcome.answer?.errors, key, indexes));
  });
  const results = parts.map((part, index) => joinEntity(part, ordered.lists, String(representations[index].__typename)));
  return { data: { [key]: results }, ...(errors.length ? { errors } : {}) };
}

const regionOfRepresentation = (representation: Json): Region | undefined =>
  (typeof representation.id === 'string' ? regionOfId(representation.id) : undefined);

/** The `_entities` request for some of the representations (`indexes` into them); all of them: unchanged. */
function subsetRequest(
  query: string, operationName: string | null | undefined, variables: Json, variableName: string, representations: Json[], indexes: number[],
): OutgoingRequest {
  return {
    query, operationName,
    variables: indexes.length === representations.length ? variables : { ...variables, [variableName]: indexes.map((i) => representations[i]) },
  };
}

/** An instance's errors with their `_entities` index pointed back at the original representation. */
function repointed(errors: readonly GraphQLFormattedError[] | undefined, key: string, indexes: number[]): GraphQLFormattedError[] {
  return (errors ?? []).map((error) => {
    const path = error.path ? [...error.path] : undefined;
    if (path && path[0] === key && typeof path[1] === 'number') path[1] = indexes[path[1]];
    return { ...error, path };
  });
}

/** Whether the instance is to be asked about a representation: it owns its region or may refer to it. */
function isAsked(route: Route, instance: Instance, type: string, region: Region | undefined): boolean {
  if (!region || instance.regions.includes(region)) return true;
  const regions = route.registry.references.regionsOf(instance, type);
  return !regions || regions.has(region) || !route.registry.owner(route.subgraph, region);
}

/** One representation's answers from several instances: lists merged in their declared order, other values the first non-null. */
function joinEntity(parts: (Json | null)[], orders: Map<string, Order>, type: string): Json | null {
  const present = parts.filter((p): p is Json => p !== null);
  if (present.length <= 1) return present[0] ?? null;
  const joined: Json = {};
  for (const name of new Set(present.flatMap((part) => Object.keys(part)))) {
    const values = present.map((part) => part[name]).filter((value) => value !== undefined && value !== null);
    const order = orders.get(`${type}\n${name}`);
    joined[name] = values.length && values.every(Array.isArray)
      ? (order ? mergeSorted(values as unknown[][], comparatorFor(order)) : (values as unknown[][]).flat())
      : values[0] ?? null;
  }
  return joined;
}

/**
 * The `_entities` query as the instances are asked it: the id of every stored type's record (to
 * check it is the one asked for) and the values each declared extension list is ordered by added
 * to the selection; and those lists by type and response key. Cached, as plans repeat queries.
 */
function rewrittenEntities(routing: RoutingTable, query: string): { query: string; lists: Map<string, Order> } {
  return orderedQueries.get(`${routing.subgraph}\n${query}`, () => rewriteEntities(routing, query));
}
const orderedQueries = new Memo<string, { query: string; lists: Map<string, Order> }>(1_000);

function rewriteEntities(routing: RoutingTable, query: string): { query: string; lists: Map<string, Order> } {
  const lists = new Map<string, Order>();
  let changed = false;
  const document = visit(parse(query), {
    InlineFragment(fragment) {
      const type = fragment.typeCondition?.name.value;
      if (!type) return undefined;
      const selections = fragment.selectionSet.selections.map((selection) => {
        const order = selection.kind === Kind.FIELD ? routing.extensionOrder(type, selection.name.value) : undefined;
        if (!order || selection.kind !== Kind.FIELD) return selection;
        lists.set(`${type}\n${responseKey(selection)}`, order);
        return withOrderFields(selection, order);
      });
      const selectionSet = { ...fragment.selectionSet, selections };
      changed = true;
      return { ...fragment, selectionSet: routing.storesEntity(type) ? withPaths(selectionSet, ['id']) : selectionSet };
    },
  });
  return { query: changed ? print(document) : query, lists };
}
