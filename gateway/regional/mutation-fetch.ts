import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { print, type FieldNode, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';
import { writeRefusal, type Viewer } from '../../subgraphs/kit/auth.js';
import { regionOfId } from '../../subgraphs/shared/ids.js';
import { isRegion, type Region } from '../../subgraphs/shared/region.js';
import { InstanceUnavailable, regionNotServedError, unavailableErrors, type Json, type Route } from './instance-client.js';
import type { RoutingTable } from './declarations.js';
import type { IntegrityGuard, IntegritySend } from './integrity.js';
import { argumentAt, operationWith, responseKey } from './operation.js';

/**
 * Mutations run in order, each as its own request to the instance of the region its declared
 * owner argument names (an id or a Region); a region nobody owns is refused (after who may write it, so callers learn nothing more).
 */
export async function fetchMutations(
  route: Route, routing: RoutingTable, viewer: Viewer, operation: OperationDefinitionNode, roots: FieldNode[], variables: Json,
  integrity?: { guard: IntegrityGuard; send: IntegritySend },
): Promise<GatewayGraphQLResponse> {
  const data: Json = {};
  const errors: GraphQLFormattedError[] = [];
  // Mutations run in order, each on its own: every one may belong to another region.
  for (const field of roots) {
    const key = responseKey(field);
    if (field.name.value === '__typename') {
      data[key] = 'Mutation';
      continue;
    }
    const region = mutationRegion(field, routing.mutation(field.name.value).owner, variables);
    const instances = route.registry.instances(route.subgraph);
    const instance = region ? route.registry.owner(route.subgraph, region) : instances.length === 1 ? instances[0] : undefined;
    data[key] = null;
    if (!instance) {
      // Who may write comes before where: a caller without the right learns nothing about the topology.
      const refused = region && writeRefusal(viewer, region);
      if (refused) {
        errors.push({ message: refused.message, path: [key], extensions: refused.extensions });
        continue;
      }
      errors.push(region ? regionNotServedError(route.subgraph, region, [key]) : {
        message: `${field.name.value} names no region (its ${routing.mutation(field.name.value).owner} is missing or malformed), so no instance can be chosen`,
        path: [key], extensions: { code: 'BAD_USER_INPUT' },
      });
      continue;
    }
    // Records it names must exist, and a delete must leave nothing dangling: checked just before it runs, after the ones before it.
    const declared = routing.mutation(field.name.value);
    if (integrity?.guard.guards(declared)) {
      const refused = await integrity.guard.check(route.subgraph, declared, field, variables, viewer, key, integrity.send, region);
      if (refused.length) {
        errors.push(...refused);
        continue;
      }
    }
    try {
      const answer = await route.send(instance, { query: print(operationWith(operation, [field])), variables });
      data[key] = answer.data?.[key] ?? null;
      errors.push(...(answer.errors ?? []));
    } catch (error) {
      if (!(error instanceof InstanceUnavailable)) throw error;
      errors.push(...unavailableErrors(route.subgraph, error, [region ?? instance.regions[0]], [key]));
    }
  }
  return { data, ...(errors.length ? { errors } : {}) };
}

/** The region a mutation writes to: that of the id or `Region` at its declared owner argument. */
export function mutationRegion(field: FieldNode, owner: string, variables: Json): Region | undefined {
  const value = argumentAt(field, owner, variables);
  if (typeof value !== 'string') return undefined;
  return isRegion(value) ? value : regionOfId(value);
}
