import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { OVERLOAD_RETRY_AFTER_SECONDS } from './connections.js';
import { ErrorCode } from './client-errors.js';

/**
 * Whether an answer served nothing because of load: it has errors, all SERVICE_OVERLOADED, and no
 * data (none, or every root field null).
 */
export function onlyOverloaded(data: Record<string, unknown> | null | undefined, errors: readonly GraphQLFormattedError[] | undefined): boolean {
  if (!errors?.length || !errors.every((e) => e.extensions?.code === ErrorCode.SERVICE_OVERLOADED)) return false;
  return !data || Object.values(data).every((value) => value === null);
}

/**
 * An answer that served nothing because of load is HTTP 503 with Retry-After, so that clients and
 * proxies back off; one with any data stays 200 with its errors, the refused parts marked
 * SERVICE_OVERLOADED. The same rule for a subgraph instance and for the gateway.
 */
export function overloadPlugin<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (!onlyOverloaded(data, errors)) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(OVERLOAD_RETRY_AFTER_SECONDS));
        },
      };
    },
  };
}
