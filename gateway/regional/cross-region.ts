import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  Kind, OperationTypeNode, isObjectType, getNamedType, print, visit,
  type DocumentNode, type FieldNode, type GraphQLFormattedError, type GraphQLObjectType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionNode, type SelectionSetNode,
} from 'graphql';
import { regionOfId } from '../../subgraphs/shared/ids.js';
import type { CrossRegionField, Order } from '../../subgraphs/shared/routing.js';
import type { RoutingTable } from './declarations.js';
import { fetchEntities } from './entity-fetch.js';
import { ask, unavailableErrors, type Json, type Route } from './instance-client.js';
import { responseKey } from './operation.js';
import { comparatorFor, mergeAlias, mergeSorted, withOrderFields } from './order.js';
import { foreignRecordError } from './ownership.js';

/** Where each item of a cross-region list carries its id (an order ends with it). */
const RECORD_ID = mergeAlias('id');

/**
 * Fields whose record may be held by another region's instance than the object they belong to
 * (`Membership.organization`: a membership lives with its alliance, its organisation with its own
 * region). The planner sees one subgraph and makes no entity fetch for them, so the regional layer
 * does: every request asks for the record's id beside the field (`withCrossRegionIds`); an
 * instance answers the field for records of its own regions and null for others; each record left
 * null is then fetched from the instance of its region through `_entities` (batched per instance,
 * one round per level of nesting), and put in place (`completeCrossRegion`). The other way round,
 * a list whose items other regions' instances hold too (`Organization.memberships`) gets their
 * parts from them in the same rounds, merged in its declared order. Declared per subgraph in
 * routing.ts (`crossRegion`, `crossRegionLists`), never inferred.
 */

/** The response key under which the id beside a cross-region field is asked (`__hub_…` keys are the gateway's own). */
const idKey = (key: string) => `__hub_xr_${key}`;

/** The response key of the id of an object whose cross-region lists are asked. */
const OBJECT_ID = '__hub_xr_id';

const idField = (alias: string, name: string): FieldNode => ({
  kind: Kind.FIELD, alias: { kind: Kind.NAME, value: alias }, name: { kind: Kind.NAME, value: name },
});

const rewritten = new WeakMap<DocumentNode, DocumentNode>();

/** The document with the id asked beside every declared cross-region field it selects (the same document when it selects none). */
export function withCrossRegionIds(schema: GraphQLSchema, routing: RoutingTable, document: DocumentNode): DocumentNode {
  if (!routing.hasCrossRegionFields()) return document;
  let known = rewritten.get(document);
  if (known) return known;
  let changed = false;
  const rewrite = (selectionSet: SelectionSetNode, type: GraphQLObjectType | undefined): SelectionSetNode => {
    let listed = false;
    const selections = selectionSet.selections.flatMap((selection): SelectionNode[] => {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inner = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        return [{ ...selection, selectionSet: rewrite(selection.selectionSet, isObjectType(inner) ? inner : undefined) }];
      }
      if (selection.kind !== Kind.FIELD || !selection.selectionSet) return [selection];
      const definition = type?.getFields()[selection.name.value];
      const child = definition && getNamedType(definition.type);
      const field = { ...selection, selectionSet: rewrite(selection.selectionSet, isObjectType(child) ? child : undefined) };
      const order = type && routing.crossRegionList(type.name, selection.name.value);
      if (order) {
        // Other instances' parts are merged in the declared order, and each item is checked to be theirs: both need values.
        changed = listed = true;
        return [withOrderFields(field, order)];
      }
      const declared = type && routing.crossRegionField(type.name, selection.name.value);
      if (!declared) return [field];
      changed = true;
      // Under the field's own directives (@include/@skip), so the id is there exactly when the field is.
      return [field, { ...idField(idKey(responseKey(selection)), declared.id), directives: selection.directives }];
    });
    // The object's id, to ask other instances for their part of its lists.
    return { ...selectionSet, selections: listed ? [...selections, idField(OBJECT_ID, 'id')] : selections };
  };
  const definitions = document.definitions.map((definition) => {
    if (definition.kind !== Kind.OPERATION_DEFINITION) return definition;
    const root = definition.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
    return { ...definition, selectionSet: rewrite(definition.selectionSet, root ?? undefined) };
  });
  known = changed ? { ...document, definitions } : document;
  rewritten.set(document, known);
  return known;
}

/** A cross-region field an instance left null: where it is, the record it names and what is selected of it. */
interface Gap {
  holder: Json;
  key: string;
  id: string;
  declared: CrossRegionField;
  field: FieldNode;
  path: (string | number)[];
}

/** A cross-region list: the part the object's own instance answered, to be joined by the other instances' parts. */
interface Part {
  holder: Json;
  key: string;
  /** The object's id. */
  id: string;
  type: GraphQLObjectType;
  field: FieldNode;
  order: Order;
  path: (string | number)[];
}

interface Work { gaps: Gap[]; parts: Part[] }

/**
 * Fills in every cross-region field an answer left null with the record from the instance of its
 * region, and joins the other instances' parts to every cross-region list, level by level; removes
 * the ids asked beside the fields. `representations` types the items of an `_entities` answer.
 * Errors of the fetches are pointed at the field they fill.
 */
export async function completeCrossRegion(
  route: Route, routing: RoutingTable, schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Json,
  response: GatewayGraphQLResponse, representations?: Json[],
): Promise<GatewayGraphQLResponse> {
  if (!routing.hasCrossRegionFields() || !response.data) return response;
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  const work: Work = { gaps: [], parts: [] };
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const key = responseKey(selection);
    const value = (response.data as Json)[key];
    if (selection.name.value === '_entities' && Array.isArray(value)) {
      value.forEach((item, index) => {
        const type = schema.getType(String(representations?.[index]?.__typename));
        if (item && isObjectType(type) && holdsCrossRegion(routing, selection.selectionSet!, type)) {
          findWork(routing, schema, selection.selectionSet!, type, item as Json, [key, index], work);
        }
      });
    } else if (selection.selectionSet && value !== null && value !== undefined) {
      const definition = root?.getFields()[selection.name.value];
      const type = definition && getNamedType(definition.type);
      if (isObjectType(type) && holdsCrossRegion(routing, selection.selectionSet, type)) {
        eachObject(value, [key], (item, path) => findWork(routing, schema, selection.selectionSet!, type, item, path, work));
      }
    }
  }
  const errors = [...(response.errors ?? [])];
  await fill(route, routing, schema, operation, variables, work, errors);
  return { ...response, ...(errors.length ? { errors } : {}) };
}

/**
 * One level: the records of the gaps (one `_entities` request per selection and owning instance)
 * and the other instances' parts of the lists, at the same time; then the next level, which their
 * answers bring.
 */
async function fill(
  route: Route, routing: RoutingTable, schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Json,
  work: Work, errors: GraphQLFormattedError[],
): Promise<void> {
  if (work.gaps.length === 0 && work.parts.length === 0) return;
  const next: Work = { gaps: [], parts: [] };
  await Promise.all([
    ...grouped(work.gaps, (gap) => `${gap.declared.type}\n${print(gap.field.selectionSet!)}`)
      .map((group) => fillGaps(route, routing, schema, operation, variables, group, next, errors)),
    ...grouped(work.parts, (part) => `${part.type.name}\n${print(part.field)}`)
      .map((group) => joinParts(route, routing, schema, operation, variables, group, next, errors)),
  ]);
  await fill(route, routing, schema, operation, variables, next, errors);
}

function grouped<T>(items: T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return [...groups.values()];
}

/** Gaps asking the same selection of the same type: their records, each from the instance of its region. */
async function fillGaps(
  route: Route, routing: RoutingTable, schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Json,
  group: Gap[], next: Work, errors: GraphQLFormattedError[],
): Promise<void> {
  const { declared, field } = group[0];
  const request = entitiesRequest(operation, declared.type, field.selectionSet!, variables);
  const representations = group.map((gap) => ({ __typename: declared.type, id: gap.id }));
  const query = print(request.document);
  const read = (subset: unknown[]) => fetchEntities(route, routing, query, undefined, request.field, { ...request.variables, [request.variableName]: subset });
  // Kept per record where answers are kept: an organisation of another region, member of many alliances, is read once.
  const answer = route.records && request.variableName === 'representations'
    ? await route.records(query, request.variables, representations, read)
    : await read(representations);
  const list = ((answer.data as Json | null | undefined)?._entities as (Json | null)[] | undefined) ?? [];
  const type = schema.getType(declared.type) as GraphQLObjectType;
  group.forEach((gap, index) => {
    const record = list[index] ?? null;
    gap.holder[gap.key] = record;
    if (record) findWork(routing, schema, field.selectionSet!, type, record, gap.path, next);
  });
  for (const error of answer.errors ?? []) {
    const path = error.path ? [...error.path] : [];
    const gap = path[0] === '_entities' && typeof path[1] === 'number' ? group[path[1]] : undefined;
    errors.push({ ...error, path: gap ? [...gap.path, ...path.slice(2)] : group[0].path });
  }
}

/**
 * Lists asking the same selection: every instance but the one of the object's region is asked,
 * once, for its part of the lists of the objects of regions it refers to (all while that is
 * unknown); only items of its own regions count; the parts are merged in the declared order.
 */
async function joinParts(
  route: Route, routing: RoutingTable, schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Json,
  group: Part[], next: Work, errors: GraphQLFormattedError[],
): Promise<void> {
  const { type, field, order, key } = group[0];
  const request = entitiesRequest(operation, type.name, { kind: Kind.SELECTION_SET, selections: [field] }, variables);
  const query = print(request.document);
  const itemType = getNamedType(type.getFields()[field.name.value].type) as GraphQLObjectType;
  const ids = [...new Set(group.map((part) => part.id))];
  const asked = route.registry.instances(route.subgraph).flatMap((instance) => {
    const mine = ids.filter((id) => {
      const region = regionOfId(id);
      if (!region || route.registry.owner(route.subgraph, region) === instance) return false;
      const referred = route.registry.references.regionsOf(instance, type.name);
      return !referred || referred.has(region);
    });
    return mine.length ? [{ instance, ids: mine }] : [];
  });
  const extra = new Map<string, Json[][]>(ids.map((id) => [id, []]));
  await Promise.all(asked.map(async ({ instance, ids: mine }) => {
    const outcome = await ask(route.send, instance, {
      query, variables: { ...request.variables, [request.variableName]: mine.map((id) => ({ __typename: type.name, id })) },
    });
    const first = group.find((part) => mine.includes(part.id))!;
    if (outcome.failure) errors.push(...unavailableErrors(route.subgraph, outcome.failure, instance.regions, first.path));
    const list = ((outcome.answer?.data as Json | null | undefined)?._entities as (Json | null)[] | undefined) ?? [];
    mine.forEach((id, index) => {
      const items = ((list[index]?.[key] ?? []) as (Json | null)[]).filter((item): item is Json => item !== null);
      // An instance is trusted only with records of its own regions.
      const own = items.filter((item) => {
        const itemId = String(item[RECORD_ID]);
        const region = regionOfId(itemId);
        if (region && instance.regions.includes(region)) return true;
        errors.push(foreignRecordError(instance, itemId, group.find((part) => part.id === id)!.path));
        return false;
      });
      extra.get(id)!.push(own);
    });
    for (const error of outcome.answer?.errors ?? []) {
      const path = error.path ? [...error.path] : [];
      const part = path[0] === '_entities' && typeof path[1] === 'number' ? group.find((p) => p.id === mine[path[1] as number]) : undefined;
      errors.push({ ...error, path: part ? [...part.path, ...path.slice(3)] : first.path });
    }
  }));
  for (const part of group) {
    const parts = extra.get(part.id)!.filter((items) => items.length);
    if (!parts.length) continue;
    const own = (part.holder[part.key] ?? []) as Json[];
    const added = new Set(parts.flat());
    const merged = mergeSorted([own, ...parts], comparatorFor(order));
    part.holder[part.key] = merged;
    merged.forEach((item, index) => {
      if (added.has(item)) findWork(routing, schema, field.selectionSet!, itemType, item, [...part.path, index], next);
    });
  }
}

/**
 * The cross-region fields under one object that its instance left null, and its cross-region
 * lists; removes the ids asked beside the fields.
 */
/**
 * Whether a selection of `type` holds a field declared cross-region at any depth: only then can
 * an answer to it have gaps or parts to complete (or ids to take out), and need walking.
 */
const holding = new WeakMap<SelectionSetNode, Map<string, boolean>>();
function holdsCrossRegion(routing: RoutingTable, selectionSet: SelectionSetNode, type: GraphQLObjectType): boolean {
  let known = holding.get(selectionSet);
  if (!known) holding.set(selectionSet, known = new Map());
  let holds = known.get(type.name);
  if (holds === undefined) {
    holds = selectionSet.selections.some((selection) => {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value;
        return (!condition || condition === type.name) && holdsCrossRegion(routing, selection.selectionSet, type);
      }
      if (selection.kind !== Kind.FIELD || !selection.selectionSet) return false;
      if (routing.crossRegionField(type.name, selection.name.value) || routing.crossRegionList(type.name, selection.name.value)) return true;
      const definition = type.getFields()[selection.name.value];
      const child = definition && getNamedType(definition.type);
      return isObjectType(child) && holdsCrossRegion(routing, selection.selectionSet, child);
    });
    known.set(type.name, holds);
  }
  return holds;
}

function findWork(
  routing: RoutingTable, schema: GraphQLSchema, selectionSet: SelectionSetNode, type: GraphQLObjectType, value: Json,
  path: (string | number)[], work: Work,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition?.name.value;
      if (!condition || condition === type.name) findWork(routing, schema, selection.selectionSet, type, value, path, work);
      continue;
    }
    if (selection.kind !== Kind.FIELD || !selection.selectionSet) continue;
    const key = responseKey(selection);
    const declared = routing.crossRegionField(type.name, selection.name.value);
    if (declared) {
      const id = value[idKey(key)];
      delete value[idKey(key)];
      if ((value[key] === null || value[key] === undefined) && typeof id === 'string' && key in value) {
        work.gaps.push({ holder: value, key, id, declared, field: selection, path: [...path, key] });
        continue;
      }
    }
    const order = routing.crossRegionList(type.name, selection.name.value);
    if (order && Array.isArray(value[key]) && typeof value[OBJECT_ID] === 'string') {
      work.parts.push({ holder: value, key, id: value[OBJECT_ID] as string, type, field: selection, order, path: [...path, key] });
    }
    const definition = type.getFields()[selection.name.value];
    const child = definition && getNamedType(definition.type);
    if (!isObjectType(child)) continue;
    eachObject(value[key], [...path, key], (item, itemPath) => findWork(routing, schema, selection.selectionSet!, child, item, itemPath, work));
  }
}

/** Calls `visit` for the object, or each object of a (nested) list, with its path. */
function eachObject(value: unknown, path: (string | number)[], visitor: (item: Json, path: (string | number)[]) => void): void {
  if (Array.isArray(value)) value.forEach((item, index) => eachObject(item, [...path, index], visitor));
  else if (value !== null && typeof value === 'object') visitor(value as Json, path);
}

/** `_entities` asking `selectionSet` of `type`, with the operation's variables it uses. */
function entitiesRequest(operation: OperationDefinitionNode, type: string, selectionSet: SelectionSetNode, variables: Json): {
  document: DocumentNode; field: FieldNode; variables: Json; variableName: string;
} {
  const used = new Set<string>();
  visit(selectionSet, { Variable: (node) => { used.add(node.name.value); } });
  let variableName = 'representations';
  while (used.has(variableName)) variableName = `_${variableName}`;
  const name = (value: string) => ({ kind: Kind.NAME, value } as const);
  const field: FieldNode = {
    kind: Kind.FIELD, name: name('_entities'),
    arguments: [{ kind: Kind.ARGUMENT, name: name('representations'), value: { kind: Kind.VARIABLE, name: name(variableName) } }],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [{
      kind: Kind.INLINE_FRAGMENT, typeCondition: { kind: Kind.NAMED_TYPE, name: name(type) }, selectionSet,
    }] },
  };
  const representationsType = {
    kind: Kind.NON_NULL_TYPE,
    type: { kind: Kind.LIST_TYPE, type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: name('_Any') } } },
  } as const;
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [{
      kind: Kind.OPERATION_DEFINITION, operation: OperationTypeNode.QUERY,
      variableDefinitions: [
        { kind: Kind.VARIABLE_DEFINITION, variable: { kind: Kind.VARIABLE, name: name(variableName) }, type: representationsType },
        ...(operation.variableDefinitions ?? []).filter((v) => used.has(v.variable.name.value)),
      ],
      selectionSet: { kind: Kind.SELECTION_SET, selections: [field] },
    }],
  };
  const kept = Object.fromEntries(Object.entries(variables).filter(([key]) => used.has(key)));
  return { document, field, variables: kept, variableName };
}
