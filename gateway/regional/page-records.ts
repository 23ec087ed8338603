import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  Kind, getNamedType, isObjectType, print,
  type FieldNode, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import type { RoutingTable } from './declarations.js';
import type { Json } from './instance-client.js';
import { fieldsOf, operationWith, responseKey } from './operation.js';
import { mergeAlias } from './order.js';

/**
 * Pages of records read as keys, then records. A connection of a stored entity is asked of its
 * instances with each node's id only; the nodes' fields are then read as entities (`_entities`),
 * which the answer cache keeps per record. A record already read for another page, search or
 * lookup costs no subgraph work, and the page itself costs only the keyed query behind it.
 * Used only with the answer cache: without it, the second request would only add work.
 */
export interface PageSplit {
  /** The root fetch with every split node reduced to its id. */
  readonly keys: string;
  readonly sites: readonly NodeSite[];
}

/** One place where a page's nodes are read as entities: root field, edges and node keys, and the `_entities` query for them. */
export interface NodeSite {
  readonly root: string;
  readonly edges: string;
  readonly node: string;
  readonly type: string;
  /** `_entities` over `$representations` with the node's selection, declaring the variables it uses. */
  readonly query: string;
  /** The names of the operation's variables the node's selection uses. */
  readonly variables: readonly string[];
}

const NODE_ID = mergeAlias('id');

const field = (name: string, alias?: string): FieldNode => ({
  kind: Kind.FIELD, name: { kind: Kind.NAME, value: name }, ...(alias ? { alias: { kind: Kind.NAME, value: alias } } : {}),
});

/** The split of a root query fetch, or undefined when none of its root fields pages records with more than their id. */
export function splitPages(schema: GraphQLSchema, routing: RoutingTable, operation: OperationDefinitionNode): PageSplit | undefined {
  if (operation.operation !== 'query') return undefined;
  const sites: NodeSite[] = [];
  const roots = operation.selectionSet.selections.map((selection) => {
    if (selection.kind !== Kind.FIELD || selection.name.value === '__typename' || !selection.selectionSet) return selection;
    // Undeclared root fields (`_service`) have no route.
    const declared = routing.query(selection.name.value) as ReturnType<RoutingTable['query']> | undefined;
    const type = declared?.merge.kind === 'connection' ? nodeTypeOf(schema, selection.name.value) : undefined;
    if (!type || !routing.storesEntity(type)) return selection;
    const root = responseKey(selection);
    const rewritten = mapFields(selection.selectionSet, 'edges', (edges) => ({
      ...edges,
      selectionSet: mapFields(edges.selectionSet!, 'node', (node) => {
        if (!node.selectionSet || fieldsOf(node.selectionSet).every((f) => f.name.value === 'id' || f.name.value === '__typename')) return node;
        sites.push(site(operation, root, responseKey(edges), responseKey(node), type, node.selectionSet));
        return { ...node, selectionSet: { kind: Kind.SELECTION_SET, selections: [field('id', NODE_ID)] } };
      }),
    }));
    return { ...selection, selectionSet: rewritten };
  });
  return sites.length ? { keys: print(operationWith(operation, roots)), sites } : undefined;
}

/** The connection's node type of a root field (`alliances` → `Alliance`). */
function nodeTypeOf(schema: GraphQLSchema, fieldName: string): string | undefined {
  const connection = getNamedType(schema.getQueryType()?.getFields()[fieldName]?.type);
  if (!isObjectType(connection)) return undefined;
  const edge = connection.getFields().edges && getNamedType(connection.getFields().edges.type);
  const node = isObjectType(edge) ? edge.getFields().node : undefined;
  return node ? getNamedType(node.type).name : undefined;
}

/** The selection set with `map` applied to each field of that name (inline fragments of the same type included). */
function mapFields(selectionSet: SelectionSetNode, name: string, map: (field: FieldNode) => FieldNode): SelectionSetNode {
  return {
    ...selectionSet,
    selections: selectionSet.selections.map((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name && selection.selectionSet ? map(selection) : selection;
      if (selection.kind === Kind.INLINE_FRAGMENT) return { ...selection, selectionSet: mapFields(selection.selectionSet, name, map) };
      return selection;
    }),
  };
}

function site(operation: OperationDefinitionNode, root: string, edges: string, node: string, type: string, selection: SelectionSetNode): NodeSite {
  const entities: FieldNode = {
    ...field('_entities'),
    arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'representations' },
      value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: 'representations' } } }],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [{
      kind: Kind.INLINE_FRAGMENT, typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: type } }, selectionSet: selection,
    }] },
  };
  const representations = {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: 'representations' } },
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.LIST_TYPE, type: { kind: Kind.NON_NULL_TYPE,
      type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: '_Any' } } } } },
  } as const;
  // An anonymous query declaring `$representations` and those of the operation's variables the node uses.
  const query = operationWith(
    { kind: Kind.OPERATION_DEFINITION, operation: operation.operation, variableDefinitions: [representations, ...(operation.variableDefinitions ?? [])],
      selectionSet: operation.selectionSet },
    [entities],
  );
  const variables = (query.definitions[0] as OperationDefinitionNode).variableDefinitions!.map((v) => v.variable.name.value).filter((name) => name !== 'representations');
  return { root, edges, node, type, query: print(query), variables };
}

/** The ids of a site's nodes in the keys answer, in page order (null: an edge without a node). */
export function nodeIds(data: Json | undefined, site: NodeSite): (string | null)[] {
  const edges = ((data?.[site.root] as Json | null | undefined)?.[site.edges] as (Json | null)[] | undefined) ?? [];
  return edges.map((edge) => {
    const id = (edge?.[site.node] as Json | null | undefined)?.[NODE_ID];
    return typeof id === 'string' ? id : null;
  });
}

/**
 * The keys answer with each site's nodes replaced by their records (`records`: the `_entities`
 * answer for the ids in page order). Errors of the records are pointed at their nodes.
 */
export function withRecords(answer: GatewayGraphQLResponse, site: NodeSite, records: GatewayGraphQLResponse): GatewayGraphQLResponse {
  const connection = answer.data?.[site.root] as Json | null | undefined;
  const edges = (connection?.[site.edges] as (Json | null)[] | undefined) ?? [];
  const found = (records.data?._entities as unknown[] | undefined) ?? [];
  // Only edges that carry a node were asked about, in order.
  let next = 0;
  const positions: number[] = [];
  const missing: GraphQLFormattedError[] = [];
  const stitched = edges.map((edge, index) => {
    if (!edge || !edge[site.node]) return edge;
    const id = (edge[site.node] as Json)[NODE_ID];
    const record = found[next++] ?? null;
    positions.push(index);
    // Deleted between the page and the record read: the page is not to be trusted.
    if (record === null) missing.push({ message: `${site.type} ${String(id)} changed while its page was read; ask again`, path: [site.root, site.edges, index, site.node], extensions: { code: 'RECORD_CHANGED' } });
    return { ...edge, [site.node]: record };
  });
  const placed: GraphQLFormattedError[] = (records.errors ?? []).map((error) => {
    const [root, local, ...rest] = error.path ?? [];
    if (root !== '_entities' || typeof local !== 'number' || positions[local] === undefined) return { ...error, path: [site.root] };
    return { ...error, path: [site.root, site.edges, positions[local], site.node, ...rest] };
  });
  const errors = placed.length ? placed : missing;
  const data = { ...answer.data, [site.root]: connection && { ...connection, [site.edges]: stitched } };
  const all = [...(answer.errors ?? []), ...errors];
  return { ...answer, data, ...(all.length ? { errors: all } : {}) };
}
