import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { Kind, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { badInput } from './client-errors.js';
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

/**
 * type-graphql classes → a Federation 2 subgraph schema with reference resolvers attached. Every
 * entity type (a type with `@key`, whether stored here or only given fields here) first checks
 * each representation's key: one without a usable `id` gets BAD_USER_INPUT at its place in
 * `_entities`, instead of reaching a loader or a field resolver with no id.
 */
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<{ sdl: string; schema: GraphQLSchema }> {
  const { sdl, schema } = await buildSubgraphTypeDefs(options);
  const typeDefs = parse(sdl);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const typeName of entityTypeNames(typeDefs)) {
    const resolveReference = options.referenceResolvers?.[typeName];
    resolvers[typeName] = {
      ...(resolvers[typeName] as object),
      __resolveReference: (reference: Record<string, unknown>, context: unknown) => {
        // A rejection, not a throw: the error stays at this representation's place and the others are answered.
        if (!hasKey(reference)) return Promise.reject(badInput(`A representation of ${typeName} needs its id: a string of 1 to ${MAX_REPRESENTED_ID} characters`, 'representations'));
        return resolveReference ? resolveReference(reference, context) : reference;
      },
    } as never;
  }
  return { sdl, schema: buildSubgraphSchema([{ typeDefs, resolvers }]) };
}

/** The longest id a representation may name: longer than any id the hub makes (shared/ids.ts). */
const MAX_REPRESENTED_ID = 200;

/** Whether the representation names an `id` a record could have. */
const hasKey = (reference: Record<string, unknown>): reference is { id: string } =>
  typeof reference.id === 'string' && reference.id.length > 0 && reference.id.length <= MAX_REPRESENTED_ID;

/** The object types the SDL gives a `@key`: the subgraph's entities. */
function entityTypeNames(typeDefs: DocumentNode): string[] {
  return typeDefs.definitions.flatMap((definition) => ((definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION)
    && definition.directives?.some((directive) => directive.name.value === 'key') ? [definition.name.value] : []));
}

/** The usual `__resolveReference`: a batched lookup by id (null for an id that is not here). */
export function referenceById<T extends { id: string }>(entity: import('@mikro-orm/core').EntityClass<T>) {
  return (reference: { id: string }, context: import('./context.js').SubgraphContext) =>
    context.loaders.byId(entity).load(reference.id);
}
