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
  /** Another record of the region already has the name (compared as the search compares names); `existingId` names it. */
  DUPLICATE_NAME: 'DUPLICATE_NAME',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** No database connection became free in time: retry later (HTTP 503 with Retry-After when nothing was served). */
  SERVICE_OVERLOADED: 'SERVICE_OVERLOADED',
  /** A delete refused because other records refer to the record; `referrers` lists them, `referrerCount` counts all. */
  REFERENCED: 'REFERENCED',
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

/** A record that refers to another: its type, id, and the field holding the reference. */
export interface Referrer { type: string; id: string; field: string }

/**
 * A delete refused because records refer to the one deleted: the first `listed` of them (never a
 * list without end), how many there are in all, and how to delete anyway.
 */
export function referenced(id: string, referrers: readonly Referrer[], count: number, listed = referrers.length): GraphQLError {
  const shown = referrers.slice(0, listed);
  const names = shown.slice(0, 3).map((r) => `${r.type} ${r.id} (${r.field})`).join(', ');
  return new GraphQLError(
    `"${id}" is referred to by ${count} record(s), e.g. ${names}; remove those references, or delete with references: REMOVE to remove them everywhere`,
    { extensions: { code: ErrorCode.REFERENCED, id, referrerCount: count, referrers: shown } },
  );
}

/** The name is taken in the region: by `existing` when known (a record's id and name). */
export function duplicateName(kind: string, existing?: { id: string; name: string }, field = 'name'): GraphQLError {
  const holder = existing ? `${kind} "${existing.id}" is already named "${existing.name}"` : `another ${kind} of the region has that name`;
  return new GraphQLError(
    `${field}: ${holder}; names must differ in more than case, umlauts (ü, ue), ß/ss, spaces and punctuation within a region`,
    { extensions: { code: ErrorCode.DUPLICATE_NAME, field, ...(existing ? { existingId: existing.id } : {}) } },
  );
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
