import {
  getNamedType, getNullableType, isInputObjectType, isListType, isNonNullType, isObjectType,
  type GraphQLField, type GraphQLInputType, type GraphQLNamedType, type GraphQLOutputType, type GraphQLSchema,
} from 'graphql';
import {
  REFERENCES_ARGUMENT, integrityFields, type CrossRegionField, type Merge, type MutationRoute, type Order, type Path, type QueryRoute, type RoutingDeclarations,
} from '../../subgraphs/shared/routing.js';

/** Root fields every federated subgraph has, which the gateway routes itself. */
const FEDERATION_FIELDS = new Set(['_service', '_entities']);

/**
 * A subgraph's routing declarations, checked against its schema: every root field and mutation
 * is declared, and every path names an argument or field that exists with a fitting type.
 */
export class RoutingTable {
  private constructor(readonly subgraph: string, private readonly declarations: RoutingDeclarations) {}

  /** The table, or the problems that make the declarations unusable for this schema. */
  static build(subgraph: string, declarations: RoutingDeclarations | undefined, schema: GraphQLSchema): RoutingTable | string[] {
    if (!declarations) return [`${subgraph} declares no routing (subgraphs/${subgraph}/routing.ts)`];
    const problems = checkDeclarations(subgraph, declarations, schema).map((problem) => `${subgraph}: ${problem}`);
    return problems.length ? problems : new RoutingTable(subgraph, declarations);
  }

  query(name: string): QueryRoute {
    return this.declarations.query[name];
  }

  mutation(name: string): MutationRoute {
    return this.declarations.mutation[name];
  }

  /** The entity types its mutations name in their inputs. */
  referencedTypes(): string[] {
    return [...new Set(Object.values(this.declarations.mutation).flatMap((route) => Object.values(route.references ?? {})))];
  }

  /** The entity types this subgraph stores. */
  entityTypes(): readonly string[] {
    return this.declarations.entities;
  }

  /** Whether the subgraph stores entities of this type (rather than adding fields to another's). */
  storesEntity(type: string): boolean {
    return this.declarations.entities.includes(type);
  }

  /** Whether the subgraph declares fields whose record another region's instance may hold. */
  hasCrossRegionFields(): boolean {
    return Object.keys(this.declarations.crossRegion ?? {}).length + Object.keys(this.declarations.crossRegionLists ?? {}).length > 0;
  }

  /** The order of a list whose items other regions' instances may hold too, if it is one. */
  crossRegionList(type: string, field: string): Order | undefined {
    return this.declarations.crossRegionLists?.[type]?.[field];
  }

  /** The declaration of a field whose record another region's instance may hold, if it is one. */
  crossRegionField(type: string, field: string): CrossRegionField | undefined {
    return this.declarations.crossRegion?.[type]?.[field];
  }

  /** The order of a list this subgraph adds to another's entity, if it declares one. */
  extensionOrder(type: string, field: string): Order | undefined {
    return this.declarations.extensions[type]?.[field];
  }
}

function checkDeclarations(subgraph: string, declarations: RoutingDeclarations, schema: GraphQLSchema): string[] {
  const problems: string[] = [];
  // The integrity fields are the gateway's own to call, on every instance (like _entities).
  const own = new Set([...FEDERATION_FIELDS, ...Object.values(integrityFields(subgraph))]);
  const queryFields = schema.getQueryType()?.getFields() ?? {};
  for (const [name, field] of Object.entries(queryFields)) {
    if (own.has(name)) continue;
    const route = declarations.query[name];
    if (!route) {
      problems.push(`query field ${name} has no routing declaration`);
      continue;
    }
    if (route.owner) problems.push(...checkArgument(field, route.owner, 'owner'));
    if (route.regions) problems.push(...checkArgument(field, route.regions, 'regions'));
    problems.push(...checkMerge(name, field.type, route.merge));
  }
  for (const name of Object.keys(declarations.query)) {
    if (!queryFields[name]) problems.push(`query field ${name} is declared but not in the schema`);
  }
  const mutationFields = schema.getMutationType()?.getFields() ?? {};
  for (const [name, field] of Object.entries(mutationFields)) {
    if (own.has(name)) continue;
    const route = declarations.mutation[name];
    if (!route) problems.push(`mutation ${name} has no routing declaration`);
    else problems.push(...checkArgument(field, route.owner, 'owner'), ...checkReferences(field, route));
  }
  for (const name of Object.keys(declarations.mutation)) {
    if (!mutationFields[name]) problems.push(`mutation ${name} is declared but not in the schema`);
  }
  for (const typeName of declarations.entities) {
    if (!isObjectType(schema.getType(typeName))) problems.push(`entity type ${typeName} is not in the schema`);
  }
  for (const [typeName, fields] of Object.entries(declarations.crossRegion ?? {})) {
    const type = schema.getType(typeName);
    for (const [fieldName, declared] of Object.entries(fields)) {
      const where = `cross-region field ${typeName}.${fieldName}`;
      const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
      const idField = isObjectType(type) ? type.getFields()[declared.id] : undefined;
      if (!field) problems.push(`${where} is not a field of the schema`);
      else if (isNonNullType(field.type) || isListType(field.type) || getNamedType(field.type).name !== declared.type) {
        problems.push(`${where} must be a nullable ${declared.type} (null while its region cannot be reached)`);
      }
      if (!declarations.entities.includes(declared.type)) problems.push(`${where}: ${declared.type} is not among the stored entities`);
      if (!idField || !['ID', 'String'].includes(getNamedType(idField.type).name) || isListType(getNullableType(idField.type))) {
        problems.push(`${where}: ${typeName}.${declared.id} is not an id field of the schema`);
      }
    }
  }
  for (const [typeName, lists] of Object.entries(declarations.crossRegionLists ?? {})) {
    const type = schema.getType(typeName);
    if (!declarations.entities.includes(typeName)) problems.push(`cross-region list type ${typeName} is not among the stored entities`);
    for (const [fieldName, order] of Object.entries(lists)) {
      const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
      if (!field || !isListType(getNullableType(field.type))) {
        problems.push(`cross-region list ${typeName}.${fieldName} is not a list field of the schema`);
        continue;
      }
      problems.push(...checkOrder(`${typeName}.${fieldName}`, getNamedType(field.type), order));
    }
  }
  for (const [typeName, lists] of Object.entries(declarations.extensions)) {
    const type = schema.getType(typeName);
    for (const [fieldName, order] of Object.entries(lists)) {
      const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
      if (!field || !isListType(getNullableType(field.type))) {
        problems.push(`extension list ${typeName}.${fieldName} is not a list field of the schema`);
        continue;
      }
      problems.push(...checkOrder(`${typeName}.${fieldName}`, getNamedType(field.type), order));
    }
  }
  return problems;
}

/**
 * Every declared input reference is an id or a list of ids (through lists of input objects at any
 * depth); a delete names its id argument and has the `references` argument.
 */
function checkReferences(field: GraphQLField<unknown, unknown>, route: MutationRoute): string[] {
  const problems: string[] = [];
  for (const path of Object.keys(route.references ?? {})) {
    const [argumentName, ...rest] = path.split('.');
    let type: GraphQLInputType | undefined = field.args.find((a) => a.name === argumentName)?.type;
    for (const name of rest) {
      const named = type && getNamedType(type);
      type = isInputObjectType(named) ? named.getFields()[name]?.type : undefined;
    }
    if (!type) problems.push(`${field.name}: reference ${path} does not exist`);
    else if (!['ID', 'String'].includes(getNamedType(type).name)) problems.push(`${field.name}: reference ${path} is ${String(type)}, not an id`);
  }
  if (route.deletes) {
    problems.push(...checkArgument(field, route.deletes, 'owner').map((p) => p.replace('owner', 'deletes')));
    if (getNamedType(field.args.find((a) => a.name === REFERENCES_ARGUMENT)?.type ?? field.type).name !== 'ReferenceAction') {
      problems.push(`${field.name}: a delete needs the argument ${REFERENCES_ARGUMENT}: ReferenceAction`);
    }
  }
  return problems;
}

/** An owner path must end in an ID, String or Region; a regions path in a list of Region. */
function checkArgument(field: GraphQLField<unknown, unknown>, path: Path, role: 'owner' | 'regions'): string[] {
  const [argumentName, ...rest] = path.split('.');
  let type: GraphQLInputType | undefined = field.args.find((a) => a.name === argumentName)?.type;
  for (const name of rest) {
    const named = type && getNamedType(type);
    type = isInputObjectType(named) ? named.getFields()[name]?.type : undefined;
  }
  if (!type) return [`${field.name}: ${role} argument ${path} does not exist`];
  const list = isListType(getNullableType(type));
  const leaf = getNamedType(type).name;
  const fits = role === 'owner' ? !list && ['ID', 'String', 'Region'].includes(leaf) : list && leaf === 'Region';
  return fits ? [] : [`${field.name}: ${role} argument ${path} is ${String(type)}, not ${role === 'owner' ? 'an id or a Region' : 'a list of Region'}`];
}

function checkMerge(name: string, type: GraphQLOutputType, merge: Merge): string[] {
  const nullable = getNullableType(type);
  const named = getNamedType(type);
  switch (merge.kind) {
    case 'single':
      return isListType(nullable) ? [`${name} is a list: declare how its lists merge`] : [];
    case 'list':
      return isListType(nullable) ? checkOrder(name, named, merge.order) : [`${name} is declared a list but is not one`];
    case 'connection': {
      const fields = isObjectType(named) ? named.getFields() : {};
      const edge = fields.edges ? getNamedType(fields.edges.type) : undefined;
      const node = isObjectType(edge) ? edge.getFields().node : undefined;
      if (!node || !fields.pageInfo || !fields.totalCount) return [`${name} is declared a connection but has no edges { node }, pageInfo and totalCount`];
      return checkOrder(name, getNamedType(node.type), merge.order);
    }
    case 'aggregate': {
      if (!isObjectType(named)) return [`${name} is declared an aggregate but is not an object`];
      const fields = named.getFields();
      const problems = merge.sum.filter((f) => getNamedType(fields[f]?.type ?? named).name !== 'Int').map((f) => `${name}.${f} is summed but is not an Int field`);
      for (const [breakdownName, breakdown] of Object.entries(merge.breakdowns)) {
        const field = fields[breakdownName];
        if (!field || !isListType(getNullableType(field.type))) {
          problems.push(`${name}.${breakdownName} is declared a breakdown but is not a list`);
          continue;
        }
        const row = getNamedType(field.type);
        problems.push(...[...breakdown.key, breakdown.count].flatMap((path) => checkPath(`${name}.${breakdownName}`, row, path)));
        problems.push(...checkOrder(`${name}.${breakdownName}`, row, breakdown.order));
      }
      for (const fieldName of Object.keys(fields)) {
        if (!merge.sum.includes(fieldName) && !merge.breakdowns[fieldName]) problems.push(`${name}.${fieldName} is neither summed nor a breakdown`);
      }
      return problems;
    }
  }
}

function checkOrder(owner: string, item: GraphQLNamedType, order: Order): string[] {
  if (order.length === 0) return [`${owner}: an order needs at least one term`];
  return order.flatMap((term) => (typeof term.field === 'string' ? [term.field] : [...term.field]).flatMap((path) => checkPath(owner, item, path)));
}

/** A result path must name fields of the subgraph's own types, ending in a scalar or enum. */
function checkPath(owner: string, item: GraphQLNamedType, path: Path): string[] {
  let type: GraphQLNamedType = item;
  for (const name of path.split('.')) {
    const field = isObjectType(type) ? type.getFields()[name] : undefined;
    if (!field) return [`${owner}: ${path} is not a field path of ${item.name}`];
    type = getNamedType(field.type);
  }
  return isObjectType(type) ? [`${owner}: ${path} ends in an object, not a value`] : [];
}
