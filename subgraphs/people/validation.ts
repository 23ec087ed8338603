import { validate, type ValidationError } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';

/** Nested errors as one flat list whose properties are paths such as `contact.email` or `roles.0.until`. */
function flatten(errors: ValidationError[], prefix = ''): ValidationError[] {
  return errors.flatMap((error) => {
    const property = `${prefix}${error.property}`;
    const own = error.constraints ? [{ ...error, property, children: [] }] : [];
    return [...own, ...flatten(error.children ?? [], `${property}.`)];
  });
}

/**
 * An argument validator for inputs with nested inputs. The kit reports only top-level
 * properties, so a bad `contact.email` would otherwise surface as an empty error on `contact`.
 * Options match type-graphql's own validation.
 */
export async function validateNestedInput(value: unknown): Promise<void> {
  if (value === null || typeof value !== 'object') return;
  const errors = await validate(value as object, { skipMissingProperties: true, forbidUnknownValues: false });
  if (errors.length) throw new ArgumentValidationError(flatten(errors));
}
