import {
  Kind, visit, valueFromASTUntyped,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionNode,
  type SelectionSetNode, type GraphQLSchema,
} from 'graphql';

/** Replaces named fragment spreads by inline fragments, so every selection can be read in place. */
export function inlineFragments(document: DocumentNode): DocumentNode {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  if (fragments.size === 0) return document;
  const inline = (selectionSet: SelectionSetNode): SelectionSetNode => ({
    ...selectionSet,
    selections: selectionSet.selections.map((selection): SelectionNode => {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value)!;
        return { kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, directives: selection.directives,
          selectionSet: inline(fragment.selectionSet) };
      }
      return selection.selectionSet ? { ...selection, selectionSet: inline(selection.selectionSet) } as SelectionNode : selection;
    }),
  });
  return {
    ...document,
    definitions: document.definitions
      .filter((d) => d.kind !== Kind.FRAGMENT_DEFINITION)
      .map((d) => (d.kind === Kind.OPERATION_DEFINITION ? { ...d, selectionSet: inline(d.selectionSet) } : d)),
  };
}

export function operationOf(document: DocumentNode, operationName?: string | null): OperationDefinitionNode {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operations.find((o) => !operationName || o.name?.value === operationName) ?? operations[0];
}

/** The fields of a selection set, with inline fragments flattened (the subgraph queries here are concrete). */
export function fieldsOf(selectionSet: SelectionSetNode | undefined): FieldNode[] {
  if (!selectionSet) return [];
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet);
    return [];
  });
}

export const responseKey = (field: FieldNode) => field.alias?.value ?? field.name.value;

/** An argument's value with variables substituted, or undefined when absent. */
export function argumentValue(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const argument = field.arguments?.find((a) => a.name.value === name);
  return argument ? valueFromASTUntyped(argument.value, variables) : undefined;
}

/** A copy of the operation that selects only `selections` at its root, declaring only the variables they use. */
export function operationWith(operation: OperationDefinitionNode, selections: readonly SelectionNode[]): DocumentNode {
  const selectionSet: SelectionSetNode = { kind: Kind.SELECTION_SET, selections };
  const used = new Set<string>();
  visit(selectionSet, { Variable: (node) => { used.add(node.name.value); } });
  return {
    kind: Kind.DOCUMENT,
    definitions: [{
      ...operation,
      variableDefinitions: operation.variableDefinitions?.filter((v) => used.has(v.variable.name.value)),
      selectionSet,
    }],
  };
}

const field = (name: string, alias?: string, selections?: FieldNode[]): FieldNode => ({
  kind: Kind.FIELD,
  name: { kind: Kind.NAME, value: name },
  ...(alias ? { alias: { kind: Kind.NAME, value: alias } } : {}),
  ...(selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
});

/** Response keys of the fields merging adds to a fanned-out connection, and strips again. */
export const PAGING = { total: '__hub_total', edges: '__hub_edges', cursor: '__hub_cursor', more: '__hub_more', pageInfo: '__hub_page' } as const;

/** Whether a connection field asks for its total: counting reads every matching row of each instance. */
export const asksTotal = (connection: FieldNode): boolean => fieldsOf(connection.selectionSet).some((f) => f.name.value === 'totalCount');

/**
 * A connection field that also selects what merging needs whatever the client asked: every
 * edge's cursor (it carries the sort key), whether an instance has more, and the total where
 * `total` (the client asks for it: merged, it is the sum of the instances' totals).
 */
export function withPagingFields(connection: FieldNode, total = asksTotal(connection)): FieldNode {
  const extra = [
    ...(total ? [field('totalCount', PAGING.total)] : []),
    field('edges', PAGING.edges, [field('cursor', PAGING.cursor)]),
    field('pageInfo', PAGING.pageInfo, [field('hasNextPage', PAGING.more)]),
  ];
  return { ...connection, selectionSet: { kind: Kind.SELECTION_SET, selections: [...(connection.selectionSet?.selections ?? []), ...extra] } };
}

/**
 * Whether a connection field asks for nothing but keys: totals, page info, cursors and each
 * node's id (as when its records are read apart, page-records.ts). Every instance can then be
 * asked for the whole page at once: the page costs each no more than its sort keys would.
 */
export function asksOnlyKeys(connection: FieldNode): boolean {
  const plain = (field: FieldNode) => !field.selectionSet;
  return fieldsOf(connection.selectionSet).every((field) => {
    if (field.name.value !== 'edges') return field.name.value === 'totalCount' || field.name.value === 'pageInfo' || field.name.value === '__typename';
    return fieldsOf(field.selectionSet).every((edge) => (edge.name.value === 'node'
      ? fieldsOf(edge.selectionSet).every((n) => plain(n) && (n.name.value === 'id' || n.name.value === '__typename'))
      : plain(edge)));
  });
}

/** The connection field asking only for what merging needs: cursors, whether there is more, and the total if the client asks for it. */
export function cursorsOnly(connection: FieldNode): FieldNode {
  return withPagingFields({ ...connection, selectionSet: { kind: Kind.SELECTION_SET, selections: [] } }, asksTotal(connection));
}

/** The field with its `first` argument set to `n`. */
export function withFirst(field: FieldNode, n: number): FieldNode {
  const first = { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'first' }, value: { kind: Kind.INT, value: String(n) } } as const;
  return { ...field, arguments: [...(field.arguments ?? []).filter((a) => a.name.value !== 'first'), first] };
}

/** The value at a dotted argument path (`filter.regions`), with variables substituted. */
export function argumentAt(field: FieldNode, path: string, variables: Record<string, unknown>): unknown {
  const [name, ...rest] = path.split('.');
  let value = argumentValue(field, name, variables);
  for (const key of rest) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** The default of a root field's `first` argument, if it has one. */
export function defaultFirst(schema: GraphQLSchema, fieldName: string): number | undefined {
  const argument = schema.getQueryType()?.getFields()[fieldName]?.args.find((a) => a.name === 'first');
  return typeof argument?.defaultValue === 'number' ? argument.defaultValue : undefined;
}

/** The operation's variables with the defaults of those the request left out. */
export function withDefaults(operation: OperationDefinitionNode, variables: Record<string, unknown>): Record<string, unknown> {
  const defaults = (operation.variableDefinitions ?? [])
    .filter((definition) => definition.defaultValue && !(definition.variable.name.value in variables))
    .map((definition) => [definition.variable.name.value, valueFromASTUntyped(definition.defaultValue!)] as const);
  return defaults.length ? { ...variables, ...Object.fromEntries(defaults) } : variables;
}
