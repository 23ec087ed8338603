import type { ApolloServerPlugin } from '@apollo/server';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { GraphQLError, Kind, validate, visit, type DocumentNode, type GraphQLFormattedError } from 'graphql';

/**
 * What graphql-armor leaves open, closed for the gateway:
 * - the cost limit counts page sizes written in the query only: here `first`/`last` passed as
 *   variables are put into the document and the cost is checked again;
 * - an operation that cannot be chosen (several without `operationName`, or an unknown name) is
 *   a client error (400), as without a gateway.
 */
export function hardeningPlugin(maxCost: number): ApolloServerPlugin {
  const costRule = costLimitRule({ maxCost });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema }) {
          if (!operation) {
            throw new GraphQLError(request.operationName
              ? `Unknown operation named "${request.operationName}".`
              : 'Must provide operation name if query contains multiple operations.', {
              extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } },
            });
          }
          const inlined = withPageSizes(document, request.variables ?? {});
          if (inlined === document) return;
          let refusal: string | undefined;
          try {
            refusal = validate(schema, inlined, [costRule])[0]?.message;
          } catch (error) {
            // The rule throws its refusal instead of reporting it.
            refusal = (error as Error).message;
          }
          if (refusal) throw new GraphQLError(refusal, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
        },
      };
    },
  };
}

/** The document with page-size variables replaced by their values (the same document when there are none). */
function withPageSizes(document: DocumentNode, variables: Record<string, unknown>): DocumentNode {
  let changed = false;
  const result = visit(document, {
    Argument(node) {
      if ((node.name.value !== 'first' && node.name.value !== 'last') || node.value.kind !== Kind.VARIABLE) return undefined;
      const value = variables[node.value.name.value];
      // Values that are not 32-bit integers are left to variable coercion, which refuses them.
      if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 2 ** 31 - 1) return undefined;
      changed = true;
      return { ...node, value: { kind: Kind.INT, value: String(value) } };
    },
  });
  return changed ? result : document;
}

/** In production, no hints at the schema in error messages ("Did you mean …?" for fields, enum values, types). */
export function withoutSuggestions(error: GraphQLFormattedError): GraphQLFormattedError {
  return { ...error, message: error.message.replace(/ ?Did you mean .*\?$/, '') };
}
