import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { serviceLogger } from './observability.js';
import { OVERLOAD_RETRY_AFTER_SECONDS, isDatabaseOverload } from './connections.js';

const errorLogger = serviceLogger('errors');
import { ArgumentValidationError } from 'type-graphql';
import { OptimisticLockError } from '@mikro-orm/core';
import {
  ForeignKeyConstraintViolationException, NotNullConstraintViolationException,
  UniqueConstraintViolationException, CheckConstraintViolationException,
} from '@mikro-orm/core';

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

interface NestedValidationError { property: string; constraints?: Record<string, string>; children?: NestedValidationError[] }

/** class-validator's tree as a flat list whose fields are paths such as `contact.email` or `talks.0.title`. */
function flattenValidationErrors(errors: NestedValidationError[], prefix = ''): { field: string; messages: string[] }[] {
  return errors.flatMap((error) => {
    const field = `${prefix}${error.property}`;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], `${field}.`)];
  });
}

/** Turns a thrown value into a client-safe error: known failures keep a code, the rest is masked. */
export function toClientError(error: unknown): GraphQLError | undefined {
  if (error instanceof ArgumentValidationError) {
    const details = flattenValidationErrors(error.extensions.validationErrors as NestedValidationError[] ?? []);
    const text = details.map((d) => `${d.field}: ${d.messages.join(', ')}`).join('; ');
    return new GraphQLError(`Invalid input: ${text}`, {
      extensions: { code: ErrorCode.BAD_USER_INPUT, validationErrors: details },
    });
  }
  if (error instanceof GraphQLError && error.extensions?.code) return error;
  // A full queue, a wait past the acquire timeout, a server without connections (53300): load, not a fault.
  if (isDatabaseOverload(error)) return overloaded();
  if (error instanceof OptimisticLockError) {
    return conflict('The record was changed by someone else; reload it and apply the change to its current version');
  }
  if (error instanceof UniqueConstraintViolationException) {
    return conflict('A record with the same unique values already exists');
  }
  if (error instanceof ForeignKeyConstraintViolationException) {
    return conflict('The change would break a reference between records');
  }
  if (error instanceof NotNullConstraintViolationException || error instanceof CheckConstraintViolationException) {
    return badInput('Invalid input: a required value is missing or a value is out of range');
  }
  return undefined;
}

/**
 * Apollo `formatError`: GraphQL syntax/validation errors pass through, our coded errors keep their
 * code, anything unexpected becomes a masked INTERNAL_SERVER_ERROR (logged, never sent with a stack).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
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
}
