import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { MemoPer } from './memo.js';
import {
  GraphQLError, Kind, TypeInfo, getNullableType, isInputObjectType, isListType, validate, valueFromASTUntyped, visit, visitWithTypeInfo, BREAK,
  type ArgumentNode, type DocumentNode, type FieldNode, type GraphQLArgument, type GraphQLFormattedError, type GraphQLInputType,
  type GraphQLSchema, type OperationDefinitionNode, type TypeNode, type ValidationRule, type ValueNode,
} from 'graphql';

export interface HardeningOptions<TContext extends BaseContext> {
  maxCost: number;
  /** Most values one list argument or input field may hold in a query. */
  maxListValues: number;
  /** The same in a mutation, whose imports send up to 1,000 rows in one list. */
  maxWriteListValues: number;
  /** Told the cost of every operation within the limits, before it runs; it refuses the operation by throwing. */
  onCost?: (cost: number, context: TContext) => Promise<void>;
}

/**
 * What graphql-armor leaves open, closed for the gateway before any subgraph is asked:
 * - the cost limit counts page sizes written in the query only: here every `first`/`last` counts
 *   with the value the subgraph will use (sent variable, else the variable's default, else the
 *   argument's default in the schema);
 * - list arguments are bounded, also in variables: the subgraphs bound them too, but only after
 *   the gateway has parsed, planned and fanned out whatever it was sent;
 * - an operation that cannot be chosen (several without `operationName`, or an unknown name) is
 *   a client error (400), as without a gateway.
 */
export function hardeningPlugin<TContext extends BaseContext>(options: HardeningOptions<TContext>): ApolloServerPlugin<TContext> {
  const verdicts = new VerdictMemo(options.maxListValues);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema, contextValue }) {
          if (!operation) {
            throw new GraphQLError(request.operationName
              ? `Unknown operation named "${request.operationName}".`
              : 'Must provide operation name if query contains multiple operations.', {
              extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } },
            });
          }
          const variables = request.variables ?? {};
          const verdict = verdicts.get(schema, document, operation, variables,
            () => judge(schema, document, operation, variables, options), () => costVerdict(schema, document, operation, variables, options.maxCost));
          if ('refusal' in verdict) {
            throw new GraphQLError(verdict.refusal, { extensions: { code: 'BAD_USER_INPUT', ...verdict.extensions, http: { status: 400 } } });
          }
          await options.onCost?.(verdict.cost, contextValue);
        },
      };
    },
  };
}

/** The limits' answer for one operation and its variables: its cost, or why it is refused. */
type Verdict = { cost: number } | { refusal: string; extensions?: Record<string, unknown> };

function judge<TContext extends BaseContext>(
  schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>,
  options: HardeningOptions<TContext>,
): Verdict {
  const max = operation.operation === 'mutation' ? options.maxWriteListValues : options.maxListValues;
  const long = overlongList(schema, document, operation, variables, max);
  if (long) {
    return { refusal: `${long.path} of ${long.field} holds ${long.count} values; a list may hold at most ${max} in a ${operation.operation}`, extensions: { field: long.path } };
  }
  return costVerdict(schema, document, operation, variables, options.maxCost);
}

function costVerdict(
  schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, maxCost: number,
): Verdict {
  const cost = operationCost(schema, document, operation, variables, maxCost);
  return typeof cost === 'string' ? { refusal: cost } : { cost };
}

/**
 * Verdicts of queries kept per parsed operation (Apollo keeps one parsed document per query text
 * and schema), so a repeated query is not walked three times again:
 * - the lists: an operation whose literals and defaults hold no overlong list, sent variables
 *   that hold none either, passes without a walk (any array found too long, or variables too
 *   large to look through, and the operation is judged in full);
 * - the cost: kept per operation and the values of its integer variables, the only ones that can
 *   change it (page sizes), so searches for any text or dashboards of any regions share one.
 * Mutations are judged every time: an import's variables hold up to 1,000 rows.
 */
class VerdictMemo {
  private readonly schemas = new WeakMap<GraphQLSchema, MemoPer<OperationDefinitionNode, string, Verdict>>();
  /** What each operation's text alone decides: its integer variables, and whether its literals and defaults hold no overlong list. */
  private readonly written = new WeakMap<OperationDefinitionNode, { costVariables: string[]; listsShort: boolean }>();

  constructor(private readonly maxListValues: number) {}

  get(
    schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>,
    judge: () => Verdict, cost: () => Verdict,
  ): Verdict {
    if (operation.operation !== 'query') return judge();
    let written = this.written.get(operation);
    if (!written) {
      this.written.set(operation, written = {
        costVariables: costVariables(schema, operation),
        listsShort: overlongList(schema, document, operation, {}, this.maxListValues) === undefined,
      });
    }
    if (!written.listsShort || !arraysWithin(variables, this.maxListValues)) return judge();
    const key = costKey(written.costVariables, variables);
    if (key === undefined) return judge();
    let kept = this.schemas.get(schema);
    if (!kept) this.schemas.set(schema, kept = new MemoPer(32));
    return kept.get(operation, key, cost);
  }

}

/** The integer variables' values as a key (a variable sent as null and one not sent differ: only the latter takes its default). */
function costKey(names: string[], variables: Record<string, unknown>): string | undefined {
  try {
    const key = JSON.stringify(names.filter((name) => Object.hasOwn(variables, name)).map((name) => [name, variables[name]]));
    return key.length <= 4_096 ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The variables whose values can change an operation's cost: integers (page sizes are `Int`) and
 * any type the schema does not know. An id, a text, an enum or a list of regions cannot.
 */
export function costVariables(schema: GraphQLSchema, operation: OperationDefinitionNode): string[] {
  const deciding = (type: TypeNode): boolean => {
    if (type.kind === Kind.LIST_TYPE) return false;
    if (type.kind === Kind.NON_NULL_TYPE) return deciding(type.type);
    const named = schema.getType(type.name.value);
    return named === undefined || named === null || named.name === 'Int';
  };
  return (operation.variableDefinitions ?? []).filter((d) => deciding(d.type)).map((d) => d.variable.name.value);
}

/**
 * Whether no array in the values holds more than `max` entries: true only after looking at every
 * value, at most 10,000 of them (more, or too deep to matter, and the caller judges in full).
 */
function arraysWithin(values: Record<string, unknown>, max: number): boolean {
  const queue: unknown[] = [values];
  let budget = 10_000;
  for (let value = queue.pop(); value !== undefined || queue.length > 0; value = queue.pop()) {
    if (value === null || typeof value !== 'object') continue;
    if (--budget < 0) return false;
    if (Array.isArray(value)) {
      if (value.length > max) return false;
      queue.push(...value);
    } else {
      queue.push(...Object.values(value));
    }
  }
  return true;
}

/**
 * graphql-armor's cost of the operation with every page size as the subgraph will use it, or
 * graphql-armor's refusal (the same message as for page sizes written in the query) above `maxCost`.
 */
export function operationCost(
  schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, maxCost: number,
): number | string {
  let cost = 0;
  let refusal: string | undefined;
  const rule = costLimitRule({
    maxCost, propagateOnRejection: false,
    onAccept: [(_context, { n }) => { cost = n; }],
    onReject: [(_context, error) => { refusal = error.message; }],
  });
  validate(schema, withPageSizes(schema, document, operation, variables), [rule]);
  return refusal ?? cost;
}

/** The document with only this of its operations, and the fragments. */
const only = (document: DocumentNode, operation: OperationDefinitionNode): DocumentNode => ({
  ...document, definitions: document.definitions.filter((d) => d === operation || d.kind === Kind.FRAGMENT_DEFINITION),
});

const variableDefaults = (operation: OperationDefinitionNode): Map<string, ValueNode | undefined> =>
  new Map((operation.variableDefinitions ?? []).map((d) => [d.variable.name.value, d.defaultValue]));

const isInt32 = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2 ** 31 - 1;

/**
 * The operation (and the fragments) with one literal `first` on every field that takes a page
 * size: the larger of its `first` and `last` as sent, else as the variable's default, else as the
 * schema's default. graphql-armor reads page sizes from integer literals only.
 */
function withPageSizes(
  schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>,
): DocumentNode {
  const defaults = variableDefaults(operation);
  const sizeOf = (definition: GraphQLArgument, argument: ArgumentNode | undefined): number | undefined => {
    const value = argument?.value;
    if (value?.kind === Kind.INT) return Number.parseInt(value.value, 10);
    if (value?.kind === Kind.VARIABLE) {
      const sent = variables[value.name.value];
      if (isInt32(sent)) return sent;
      // Values that are not 32-bit integers are left to variable coercion, which refuses them.
      if (sent !== undefined && sent !== null) return undefined;
      const fallback = defaults.get(value.name.value);
      if (fallback?.kind === Kind.INT) return Number.parseInt(fallback.value, 10);
    }
    return isInt32(definition.defaultValue) ? definition.defaultValue : undefined;
  };
  const typeInfo = new TypeInfo(schema);
  return visit(only(document, operation), visitWithTypeInfo(typeInfo, {
    Field(node: FieldNode): FieldNode | undefined {
      const definitions = typeInfo.getFieldDef()?.args.filter((a) => a.name === 'first' || a.name === 'last') ?? [];
      if (!node.selectionSet || definitions.length === 0) return undefined;
      const sizes = definitions.map((d) => sizeOf(d, node.arguments?.find((a) => a.name.value === d.name)))
        .filter((size): size is number => size !== undefined);
      if (sizes.length === 0) return undefined;
      const others = (node.arguments ?? []).filter((a) => a.name.value !== 'first' && a.name.value !== 'last');
      const first: ArgumentNode = {
        kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'first' }, value: { kind: Kind.INT, value: String(Math.max(...sizes)) },
      };
      return { ...node, arguments: [...others, first] };
    },
  }));
}

/** A list argument or input field holding more than `max` values. */
export interface OverlongList {
  /** The field it is an argument of. */
  field: string;
  /** Its path from the argument, e.g. `filter.regions` or `input.rows[3].fieldsOfAction`. */
  path: string;
  count: number;
}

/**
 * The first list in the operation's arguments, written in the query or sent as (part of) a
 * variable, that holds more than `max` values. A longer list is only counted, never looked into,
 * and values are walked with a queue instead of recursion: deep values take no stack.
 */
export function overlongList(
  schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, max: number,
): OverlongList | undefined {
  const defaults = variableDefaults(operation);
  type Item = { type: GraphQLInputType; path: string } & ({ node: ValueNode } | { value: unknown });
  const inspect = (first: Item): { path: string; count: number } | undefined => {
    const queue: Item[] = [first];
    for (let item = queue.pop(); item; item = queue.pop()) {
      const type = getNullableType(item.type);
      if ('node' in item) {
        const node = item.node;
        if (node.kind === Kind.VARIABLE) {
          const name = node.name.value;
          const fallback = defaults.get(name);
          const value = Object.hasOwn(variables, name) ? variables[name] : fallback && valueFromASTUntyped(fallback);
          queue.push({ type: item.type, path: item.path, value });
        } else if (isListType(type) && node.kind === Kind.LIST) {
          if (node.values.length > max) return { path: item.path, count: node.values.length };
          node.values.forEach((child, index) => queue.push({ type: type.ofType, path: `${item!.path}[${index}]`, node: child }));
        } else if (isListType(type)) {
          queue.push({ type: type.ofType, path: item.path, node });
        } else if (isInputObjectType(type) && node.kind === Kind.OBJECT) {
          const fields = type.getFields();
          for (const field of node.fields) {
            const definition = fields[field.name.value];
            if (definition) queue.push({ type: definition.type, path: `${item.path}.${field.name.value}`, node: field.value });
          }
        }
      } else {
        const value = item.value;
        if (isListType(type) && Array.isArray(value)) {
          if (value.length > max) return { path: item.path, count: value.length };
          value.forEach((child, index) => queue.push({ type: type.ofType, path: `${item!.path}[${index}]`, value: child }));
        } else if (isListType(type)) {
          queue.push({ type: type.ofType, path: item.path, value });
        } else if (isInputObjectType(type) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
          for (const [name, definition] of Object.entries(type.getFields())) {
            if (Object.hasOwn(value, name)) queue.push({ type: definition.type, path: `${item.path}.${name}`, value: (value as Record<string, unknown>)[name] });
          }
        }
      }
    }
    return undefined;
  };
  const typeInfo = new TypeInfo(schema);
  let found: OverlongList | undefined;
  visit(only(document, operation), visitWithTypeInfo(typeInfo, {
    Argument(node) {
      const definition = typeInfo.getArgument();
      if (!definition) return undefined;
      const long = inspect({ type: definition.type, path: node.name.value, node: node.value });
      if (!long) return undefined;
      found = { field: typeInfo.getFieldDef()?.name ?? `@${typeInfo.getDirective()?.name}`, ...long };
      return BREAK;
    },
  }));
  return found;
}

/**
 * Aliases beginning with `__` are refused: such names belong to GraphQL (`__typename`) and to the
 * gateway, which adds `__hub_…` fields of its own to the queries it fans out and merges; a
 * client's field under one of them would be taken for the gateway's.
 */
export const reservedAliasesRule: ValidationRule = (context) => ({
  Field(node) {
    const alias = node.alias?.value;
    if (alias?.startsWith('__')) {
      context.reportError(new GraphQLError(`The alias "${alias}" is reserved: aliases must not begin with "__".`, { nodes: node.alias }));
    }
  },
});

/** In production, no hints at the schema in error messages ("Did you mean …?" for fields, enum values, types). */
export function withoutSuggestions(error: GraphQLFormattedError): GraphQLFormattedError {
  return { ...error, message: error.message.replace(/ ?Did you mean .*\?$/, '') };
}
