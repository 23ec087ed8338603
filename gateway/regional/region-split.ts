import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  Kind, astFromValue, print, visit,
  type DocumentNode, type FieldNode, type GraphQLFormattedError, type GraphQLInputType, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';
import { isRegion, type Region } from '../../subgraphs/shared/region.js';
import type { Merge } from '../../subgraphs/shared/routing.js';
import type { RoutingTable } from './declarations.js';
import type { Json } from './instance-client.js';
import { fieldForMerge, mergeAggregate } from './merge.js';
import { argumentAt, argumentValue, fieldsOf, responseKey } from './operation.js';

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

const narrowedRequests = new WeakMap<OperationDefinitionNode, Map<string, { query: string; variables: Json }>>();

/** The split of a root query fetch, or undefined unless all its root fields are statistics over one list of two or more regions. */
export function splitByRegion(
  schema: GraphQLSchema, routing: RoutingTable, document: DocumentNode, operation: OperationDefinitionNode, variables: Json,
): RegionSplit | undefined {
  if (operation.operation !== 'query') return undefined;
  const roots = fieldsOf(operation.selectionSet).filter((field) => field.name.value !== '__typename');
  if (roots.length === 0) return undefined;
  let listed: Region[] | undefined;
  const fields: { field: FieldNode; merge: AggregateMerge; path: string }[] = [];
  for (const field of roots) {
    const route = routing.query(field.name.value) as ReturnType<RoutingTable['query']> | undefined;
    if (route?.merge.kind !== 'aggregate' || route.regions === undefined) return undefined;
    const value = argumentAt(field, route.regions, variables);
    if (!Array.isArray(value) || !value.every((r) => typeof r === 'string' && isRegion(r))) return undefined;
    const regions = [...new Set(value as Region[])].sort();
    if (listed && regions.join() !== listed.join()) return undefined;
    listed = regions;
    fields.push({ field, merge: route.merge, path: route.regions });
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
    const used = new Set<string>();
    visit({ kind: Kind.SELECTION_SET, selections: narrowed }, { Variable: (node) => { used.add(node.name.value); } });
    const narrowedOperation: OperationDefinitionNode = {
      ...operation,
      variableDefinitions: operation.variableDefinitions?.filter((v) => used.has(v.variable.name.value)),
      selectionSet: { kind: Kind.SELECTION_SET, selections: narrowed },
    };
    return {
      query: print({ ...document, definitions: [narrowedOperation] }),
      variables: Object.fromEntries(Object.entries(variables).filter(([name]) => used.has(name))),
    };
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
      let known = narrowedRequests.get(operation);
      if (!known) narrowedRequests.set(operation, known = new Map());
      const key = keyOf(region);
      let made = known.get(key);
      if (!made) {
        if (known.size > 500) known.clear();
        known.set(key, made = narrow(region));
      }
      return made;
    },
    merge(answers) {
      const data: Json = {};
      const errors: GraphQLFormattedError[] = [];
      const seen = new Set<string>();
      for (const answer of answers) {
        for (const error of answer.errors ?? []) {
          const identity = JSON.stringify([error.message, error.path, error.extensions?.code]);
          if (!seen.has(identity)) errors.push(error);
          seen.add(identity);
        }
      }
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
