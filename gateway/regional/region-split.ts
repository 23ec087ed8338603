import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  astFromValue, print, visit,
  type FieldNode, type GraphQLInputType, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';
import { isRegion, type Region } from '../../subgraphs/shared/region.js';
import type { Merge } from '../../subgraphs/shared/routing.js';
import { MemoPer } from '../memo.js';
import type { RoutingTable } from './declarations.js';
import { distinctErrors, type Json } from './instance-client.js';
import { fieldForMerge, mergeAggregate } from './merge.js';
import { argumentAt, argumentValue, fieldsOf, operationWith, responseKey, withDefaults } from './operation.js';

/**
 * Statistics over a list of regions read one region at a time. An aggregate root field with a
 * declared region list sums what each region holds (routing.ts), so with the answer cache on the
 * gateway asks for each listed region apart and adds the answers up: every region's figures are
 * kept on their own, and a dashboard over any other choice of regions costs no subgraph work for
 * the regions read before. Used only with the answer cache: without it, it would only add requests.
 */
export interface RegionSplit {
  readonly regions: readonly Region[];
  /** The fetch for one region: every root field narrowed to it, with what the merge reads. */
  request(region: Region): { query: string; variables: Json };
  /** The fetch's answer from each region's, in `regions` order (undefined: that region's fetch failed outright). */
  merge(answers: GatewayGraphQLResponse[]): GatewayGraphQLResponse;
}

type AggregateMerge = Extract<Merge, { kind: 'aggregate' }>;

const narrowedRequests = new MemoPer<OperationDefinitionNode, string, { query: string; variables: Json }>(500);

/**
 * The split of a root query fetch, or undefined unless all its root fields are statistics over one
 * list of two or more regions (`given`: the request's variables; their defaults are read only then).
 */
export function splitByRegion(
  schema: GraphQLSchema, routing: RoutingTable, operation: OperationDefinitionNode, given: Json,
): RegionSplit | undefined {
  if (operation.operation !== 'query') return undefined;
  const fields: { field: FieldNode; merge: AggregateMerge; path: string }[] = [];
  for (const field of fieldsOf(operation.selectionSet)) {
    if (field.name.value === '__typename') continue;
    const route = routing.query(field.name.value) as ReturnType<RoutingTable['query']> | undefined;
    if (route?.merge.kind !== 'aggregate' || route.regions === undefined) return undefined;
    fields.push({ field, merge: route.merge, path: route.regions });
  }
  if (fields.length === 0) return undefined;
  const variables = withDefaults(operation, given) as Json;
  let listed: Region[] | undefined;
  for (const { field, path } of fields) {
    const value = argumentAt(field, path, variables);
    if (!Array.isArray(value) || !value.every((r) => typeof r === 'string' && isRegion(r))) return undefined;
    const regions = [...new Set(value as Region[])].sort();
    if (listed && regions.join() !== listed.join()) return undefined;
    listed = regions;
  }
  if (!listed || listed.length < 2) return undefined;
  const queryType = schema.getQueryType()!;
  /** The fetch for one region: every root field narrowed to it, with what the merge reads. */
  const narrow = (region: Region): { query: string; variables: Json } => {
    const narrowed = fields.map(({ field, merge, path }) => {
      const [name, ...rest] = path.split('.');
      const argument = queryType.getFields()[field.name.value].args.find((a) => a.name === name)!;
      const value = structuredClone(argumentValue(field, name, variables)) as Json | unknown[];
      const inner = rest.slice(0, -1).reduce<Json>((object, key) => object[key] as Json, value as Json);
      if (rest.length) inner[rest.at(-1)!] = [region];
      const literal = astFromValue(rest.length ? value : [region], argument.type as GraphQLInputType)!;
      const args = (field.arguments ?? []).map((a) => (a.name.value === name ? { ...a, value: literal } : a));
      return fieldForMerge({ ...field, arguments: args }, merge);
    });
    const query = operationWith(operation, narrowed);
    const used = new Set((query.definitions[0] as OperationDefinitionNode).variableDefinitions?.map((v) => v.variable.name.value));
    return { query: print(query), variables: Object.fromEntries(Object.entries(variables).filter(([name]) => used.has(name))) };
  };
  // What a region's request depends on: every argument with the region list narrowed, and the variables the selections use.
  const selectionVariables = new Set<string>();
  for (const { field } of fields) visit(field.selectionSet!, { Variable: (node) => { selectionVariables.add(node.name.value); } });
  let common: string | undefined;
  const keyOf = (region: Region) => `${region}\n${common ??= JSON.stringify([
    fields.map(({ field, path }) => (field.arguments ?? []).map((a) => (a.name.value === path.split('.')[0]
      ? withoutLast(argumentValue(field, a.name.value, variables), path) : argumentValue(field, a.name.value, variables)))),
    [...selectionVariables].map((name) => variables[name]),
  ])}`;
  return {
    regions: listed,
    request(region) {
      // Dashboards repeat: each region's request is made once per query and choice of the other filters.
      return narrowedRequests.get(operation, keyOf(region), () => narrow(region));
    },
    merge(answers) {
      const data: Json = {};
      const errors = distinctErrors(answers.flatMap((answer) => answer.errors ?? []));
      for (const { field, merge } of fields) {
        const key = responseKey(field);
        const values = answers.map((answer) => answer.data?.[key] as Json | null | undefined).filter((v): v is Json => v !== null && v !== undefined);
        data[key] = values.length ? mergeAggregate(field, merge, values) : null;
      }
      return { data, ...(errors.length ? { errors } : {}) };
    },
  };
}

/** The argument's value without the region list at `path` (its first segment names the argument). */
function withoutLast(value: unknown, path: string): unknown {
  const rest = path.split('.').slice(1);
  if (rest.length === 0 || value === null || typeof value !== 'object') return null;
  const copy = structuredClone(value) as Json;
  const inner = rest.slice(0, -1).reduce<Json | undefined>((object, key) => object?.[key] as Json | undefined, copy);
  if (inner) delete inner[rest.at(-1)!];
  return copy;
}
