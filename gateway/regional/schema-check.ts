import { Supergraph, buildSubgraph } from '@apollo/federation-internals';
import type { RequestSigner } from '../../subgraphs/kit/signing.js';
import { fetchInstance, type Addressee } from './signed-fetch.js';
import { INTERNAL_OPERATIONS } from '../../subgraphs/shared/limits.js';
import {
  isEnumType, isInputObjectType, isInterfaceType, isObjectType, isSpecifiedScalarType, isUnionType,
  type GraphQLNamedType, type GraphQLSchema,
} from 'graphql';

/** What each subgraph of the supergraph must look like, as GraphQL schemas. */
export function expectedSubgraphSchemas(supergraphSdl: string): Map<string, GraphQLSchema> {
  const schemas = new Map<string, GraphQLSchema>();
  for (const subgraph of Supergraph.build(supergraphSdl).subgraphs()) {
    schemas.set(subgraph.name, subgraph.schema.toGraphQLJSSchema());
  }
  return schemas;
}

const INTERNAL = /^(__|_Service$|_Entity$|_Any$|_FieldSet$|federation__|link__|join__)/;

/** A type as comparable lines: fields with arguments and types, enum values, union members. Descriptions and directives do not count. */
function signature(type: GraphQLNamedType): string[] {
  if (isObjectType(type) || isInterfaceType(type)) {
    return Object.values(type.getFields()).map((field) => {
      const args = field.args.length ? `(${field.args.map((arg) => `${arg.name}: ${arg.type}`).join(', ')})` : '';
      return `${field.name}${args}: ${field.type}`;
    });
  }
  if (isInputObjectType(type)) return Object.values(type.getFields()).map((field) => `${field.name}: ${field.type}`);
  if (isEnumType(type)) return type.getValues().map((value) => value.name);
  if (isUnionType(type)) return type.getTypes().map((member) => member.name);
  return ['scalar'];
}

/** The differences of an instance's schema from the expected one, each as a short sentence (empty: same). */
export function schemaDifferences(expected: GraphQLSchema, actual: GraphQLSchema): string[] {
  const differences: string[] = [];
  const names = (schema: GraphQLSchema) => Object.values(schema.getTypeMap())
    .filter((type) => !INTERNAL.test(type.name) && !isSpecifiedScalarType(type)).map((type) => type.name);
  const actualNames = new Set(names(actual));
  for (const name of names(expected)) {
    if (!actualNames.has(name)) {
      differences.push(`type ${name} is missing`);
      continue;
    }
    const want = new Set(signature(expected.getType(name)!));
    const have = new Set(signature(actual.getType(name)!));
    for (const line of want) if (!have.has(line)) differences.push(`${name}.${line} is missing`);
    for (const line of have) if (!want.has(line)) differences.push(`${name}.${line} is not in the hub's schema`);
  }
  const expectedNames = new Set(names(expected));
  for (const name of actualNames) if (!expectedNames.has(name)) differences.push(`type ${name} is not in the hub's schema`);
  return differences;
}

/** Asks an instance for its subgraph SDL (`_service { sdl }`) and builds it as the gateway would. */
export async function fetchInstanceSchema(instance: Addressee, timeoutMs: number, signer: RequestSigner): Promise<GraphQLSchema> {
  const response = await fetchInstance(signer, instance, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(INTERNAL_OPERATIONS.schemaCheck),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = JSON.parse(response.text) as { data?: { _service?: { sdl?: string } }; errors?: { extensions?: { reason?: unknown } }[] };
  const sdl = body.data?._service?.sdl;
  if (!sdl) {
    // A refused signature says why (e.g. AUDIENCE_MISMATCH: the instance runs under another name than the topology's).
    const reason = body.errors?.[0]?.extensions?.reason;
    throw new Error(`answered HTTP ${response.status}${typeof reason === 'string' ? ` (${reason})` : ''} without a subgraph schema`);
  }
  return buildSubgraph(instance.name, instance.url, sdl).schema.toGraphQLJSSchema();
}
