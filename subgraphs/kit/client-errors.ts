import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { OVERLOAD_RETRY_AFTER_SECONDS } from './connections.js';
import { serviceLogger } from './observability.js';

// What every service (the gateway included) needs of errors, without the ORM's or type-graphql's
// exception classes, which only the subgraphs' `toClientError` (errors.ts) recognises.

const errorLogger = serviceLogger('errors');

/** Stable error codes clients may branch on (`extensions.code`). */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** No database connection became free in time: retry later (HTTP 503 with Retry-After when nothing was served). */
  SERVICE_OVERLOADED: 'SERVICE_OVERLOADED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function badInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) } });
}

export function notFound(kind: string, id: string): GraphQLError {
  return new GraphQLError(`${kind} "${id}" does not exist`, { extensions: { code: ErrorCode.NOT_FOUND, id } });
}

export function conflict(message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT, ...extra } });
}

export function overloaded(): GraphQLError {
  return new GraphQLError(`The service is overloaded; retry in ${OVERLOAD_RETRY_AFTER_SECONDS} s`, {
    extensions: { code: ErrorCode.SERVICE_OVERLOADED },
  });
}

/** A thrown value the client may see as it is: a GraphQL error that carries a code. */
export function codedError(error: unknown): GraphQLError | undefined {
  return error instanceof GraphQLError && error.extensions?.code ? error : undefined;
}

/**
 * An Apollo `formatError`: GraphQL syntax/validation errors pass through, errors `toClientError`
 * knows keep their code, anything unexpected becomes a masked INTERNAL_SERVER_ERROR (logged, never
 * sent with a stack).
 */
export const formatErrorWith = (toClientError: (error: unknown) => GraphQLError | undefined) =>
  (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const known = toClientError(original);
  if (known) {
    // `http` sets the answer's status (Apollo reads it before formatting); it is not for the client.
    const { http: _http, ...extensions } = known.extensions;
    return { message: known.message, locations: formatted.locations, path: formatted.path, extensions };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  errorLogger.error({ err: original }, 'internal error, masked for the client');
  return { message: 'Internal server error', locations: formatted.locations, path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
};
