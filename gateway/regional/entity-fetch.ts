import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, type FieldNode, type GraphQLFormattedError } from 'graphql';
import { regionOfId } from '../../subgraphs/kit/index.js';
import {
  InstanceUnavailable, ask, regionNotServedError, unavailableErrors, type Json, type Route,
} from './instance-client.js';
import { argumentValue, responseKey } from './operation.js';
import type { Instance } from './topology.js';

/**
 * `_entities` fetches. A type the subgraph stores: the representations are split by the region of
 * their id, one request per owning instance in parallel, and answers and errors go back to the
 * original order. A type the subgraph only adds fields to (e.g. `Alliance.networks` in networks):
 * every instance is asked, since a network of any region may list the alliance, and the answers
 * for each representation are joined.
 */
export async function fetchEntities(
  route: Route, ownedTypes: ReadonlySet<string>, query: string, operationName: string | null | undefined, field: FieldNode, variables: Json,
): Promise<GatewayGraphQLResponse> {
  const key = responseKey(field);
  const argument = field.arguments?.find((a) => a.name.value === 'representations');
  const variableName = argument?.value.kind === Kind.VARIABLE ? argument.value.name.value : 'representations';
  const representations = (argumentValue(field, 'representations', variables) as Json[] | undefined) ?? [];
  if (representations.every((r) => !ownedTypes.has(String(r.__typename)))) {
    return fetchExtensionEntities(route, query, operationName, key, variables);
  }
  const results: unknown[] = representations.map(() => null);
  const errors: GraphQLFormattedError[] = [];
  const groups = new Map<Instance, number[]>();
  const unowned = new Map<string, number[]>();
  representations.forEach((representation, index) => {
    const region = typeof representation.id === 'string' ? regionOfId(representation.id) : undefined;
    const instance = region ? route.registry.owner(route.subgraph, region) : route.registry.instances(route.subgraph)[0];
    if (instance) groups.set(instance, [...(groups.get(instance) ?? []), index]);
    else unowned.set(region!, [...(unowned.get(region!) ?? []), index]);
  });
  for (const [region, indexes] of unowned) errors.push(regionNotServedError(route.subgraph, region, [key, indexes[0]]));

  await Promise.all([...groups].map(async ([instance, indexes]) => {
    try {
      const answer = await route.send(instance, {
        query, operationName, variables: { ...variables, [variableName]: indexes.map((i) => representations[i]) },
      });
      const list = (answer.data?.[key] as unknown[] | undefined) ?? [];
      indexes.forEach((original, local) => { results[original] = list[local] ?? null; });
      for (const error of answer.errors ?? []) {
        const path = error.path ? [...error.path] : undefined;
        if (path && path[0] === key && typeof path[1] === 'number') path[1] = indexes[path[1]];
        errors.push({ ...error, path });
      }
    } catch (error) {
      if (!(error instanceof InstanceUnavailable)) throw error;
      const regions = [...new Set(indexes.map((i) => regionOfId(String(representations[i].id)) ?? '?'))];
      errors.push(...unavailableErrors(route.subgraph, error, regions, [key, indexes[0]]));
    }
  }));
  return { data: { [key]: results }, ...(errors.length ? { errors } : {}) };
}

/** Fields added to another subgraph's entity: asked of every instance, joined per representation. */
async function fetchExtensionEntities(
  route: Route, query: string, operationName: string | null | undefined, key: string, variables: Json,
): Promise<GatewayGraphQLResponse> {
  const instances = route.registry.instances(route.subgraph);
  const outcomes = await Promise.all(instances.map((instance) => ask(route.send, instance, { query, operationName, variables })));
  const errors: GraphQLFormattedError[] = [];
  const lists = outcomes.map((o) => (o.answer?.data?.[key] as (Json | null)[] | undefined));
  const count = Math.max(0, ...lists.map((l) => l?.length ?? 0));
  const results = Array.from({ length: count }, (_, index) => joinEntity(lists.map((l) => l?.[index] ?? null)));
  for (const outcome of outcomes) {
    if (outcome.failure) errors.push(...unavailableErrors(route.subgraph, outcome.failure, outcome.instance.regions, [key, 0]));
    errors.push(...(outcome.answer?.errors ?? []));
  }
  return { data: { [key]: results }, ...(errors.length ? { errors } : {}) };
}

/** One representation's answers from several instances: lists concatenated, other values the first non-null. */
function joinEntity(parts: (Json | null)[]): Json | null {
  const present = parts.filter((p): p is Json => p !== null);
  if (present.length === 0) return null;
  const joined: Json = {};
  for (const part of present) {
    for (const [name, value] of Object.entries(part)) {
      const current = joined[name];
      if (Array.isArray(value)) joined[name] = Array.isArray(current) ? [...current, ...value] : value;
      else if (current === undefined || current === null) joined[name] = value;
    }
  }
  return joined;
}
