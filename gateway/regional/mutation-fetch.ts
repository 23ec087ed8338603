import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { print, type FieldNode, type GraphQLError, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';
import { assertCanWrite, canWrite, isRegion, regionOfId, type Region, type Viewer } from '../../subgraphs/kit/index.js';
import { InstanceUnavailable, regionNotServedError, unavailableErrors, type Json, type Route } from './instance-client.js';
import { argumentValue, operationWith, responseKey } from './operation.js';

/**
 * Mutations run in order, each as its own request to the instance of the region its id or input
 * names; a region nobody owns is refused (after who may write it, so callers learn nothing more).
 */
export async function fetchMutations(
  route: Route, viewer: Viewer, operation: OperationDefinitionNode, roots: FieldNode[], variables: Json,
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
    const region = mutationRegion(field, variables);
    const instances = route.registry.instances(route.subgraph);
    const instance = region ? route.registry.owner(route.subgraph, region) : instances.length === 1 ? instances[0] : undefined;
    data[key] = null;
    if (!instance) {
      // Who may write comes before where: a caller without the right learns nothing about the topology.
      if (region && !canWrite(viewer, region)) {
        errors.push(writeRefusal(viewer, region, [key]));
        continue;
      }
      errors.push(region ? regionNotServedError(route.subgraph, region, [key]) : {
        message: `${field.name.value} names no region (an id or input.region), so no instance can be chosen`,
        path: [key], extensions: { code: 'BAD_USER_INPUT' },
      });
      continue;
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

/** The error a subgraph would give for a write the viewer may not make (UNAUTHENTICATED or FORBIDDEN). */
function writeRefusal(viewer: Viewer, region: Region, path: (string | number)[]): GraphQLFormattedError {
  try {
    assertCanWrite(viewer, region);
  } catch (error) {
    const refusal = error as GraphQLError;
    return { message: refusal.message, path, extensions: refusal.extensions };
  }
  throw new Error(`${viewer.subject} may write ${region}`);
}

/** The region a mutation writes to: that of its `id`, `input.id`, `input.region` or the first `input.…Id`. */
export function mutationRegion(field: FieldNode, variables: Json): Region | undefined {
  const id = argumentValue(field, 'id', variables);
  if (typeof id === 'string') return regionOfId(id);
  const input = argumentValue(field, 'input', variables) as Json | undefined;
  if (!input || typeof input !== 'object') return undefined;
  if (typeof input.id === 'string') return regionOfId(input.id);
  if (typeof input.region === 'string' && isRegion(input.region)) return input.region;
  for (const [name, value] of Object.entries(input)) {
    if (name.endsWith('Id') && typeof value === 'string' && regionOfId(value)) return regionOfId(value);
  }
  return undefined;
}
