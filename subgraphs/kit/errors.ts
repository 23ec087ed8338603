import { GraphQLError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import {
  CheckConstraintViolationException, ForeignKeyConstraintViolationException, NotNullConstraintViolationException, OptimisticLockError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { isDatabaseOverload } from './connections.js';
import { ErrorCode, badInput, conflict, formatErrorWith, overloaded } from './client-errors.js';
import { duplicateNameOf } from './unique-names.js';

export { ErrorCode, badInput, codedError, conflict, formatErrorWith, notFound, overloaded, referenced, type Referrer } from './client-errors.js';

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
    return duplicateNameOf(error) ?? conflict('A record with the same unique values already exists');
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
 * Apollo `formatError` for the subgraphs: GraphQL syntax/validation errors pass through, our coded
 * errors and the ORM's known failures keep a code, anything unexpected becomes a masked
 * INTERNAL_SERVER_ERROR (logged, never sent with a stack).
 */
export const formatError = formatErrorWith(toClientError);
