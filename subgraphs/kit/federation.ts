import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { validateArgument } from './validation.js';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", ' +
  'import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible"])';

/** `__resolveReference` per entity type: receives the representation, returns the object or null. */
export type ReferenceResolvers = Record<string, (reference: { id: string }, context: any) => unknown>;

export interface FederatedSchemaOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  referenceResolvers?: ReferenceResolvers;
}

/** Prints the type-graphql schema as a Federation 2 subgraph SDL. */
export async function buildSubgraphTypeDefs(options: FederatedSchemaOptions): Promise<{ sdl: string; schema: GraphQLSchema }> {
  const schema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes,
    validate: { forbidUnknownValues: false },
    validateFn: validateArgument,
    skipCheck: true,
  });
  return { sdl: `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`, schema };
}

/** type-graphql classes → a Federation 2 subgraph schema with reference resolvers attached. */
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<{ sdl: string; schema: GraphQLSchema }> {
  const { sdl, schema } = await buildSubgraphTypeDefs(options);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, resolveReference] of Object.entries(options.referenceResolvers ?? {})) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), __resolveReference: resolveReference } as never;
  }
  return { sdl, schema: buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers }]) };
}

/** The usual `__resolveReference`: a batched lookup by id (null for an id that is not here). */
export function referenceById<T extends { id: string }>(entity: import('@mikro-orm/core').EntityClass<T>) {
  return (reference: { id: string }, context: import('./context.js').SubgraphContext) =>
    context.loaders.byId(entity).load(reference.id);
}
