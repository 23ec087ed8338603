import { ArgumentValidationError, Field, ID, getMetadataStorage, type ResolverData } from 'type-graphql';
import { getNamedType } from 'graphql';
import {
  IsEmail, IsOptional, IsUrl, Matches, MaxLength, ArrayMaxSize, ValidateBy, validate, type ValidationArguments,
} from 'class-validator';
import { allDecorators } from './decorators.js';
import { PartialDate, isFuturePartialDate, isPartialDate } from './scalars.js';

type FieldOptions = { nullable?: boolean; description?: string };

const all = allDecorators<string | symbol>;

function optional(nullable: boolean | undefined): PropertyDecorator[] {
  return nullable ? [IsOptional()] : [];
}

/** A free-text input field: not blank, at most `max` characters. */
export function TextField(max: number, options: FieldOptions = {}): PropertyDecorator {
  return all(
    Field(() => String, options),
    ...optional(options.nullable),
    MaxLength(max, { message: `$property must be at most ${max} characters` }),
    Matches(/\S/, { message: '$property must not be blank' }),
  );
}

/** An http(s) address with its scheme. */
export function UrlField(options: FieldOptions = {}): PropertyDecorator {
  return all(
    Field(() => String, options),
    ...optional(options.nullable),
    MaxLength(500),
    IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: '$property must be an http(s) URL such as https://example.org/' }),
  );
}

export function EmailField(options: FieldOptions = {}): PropertyDecorator {
  return all(Field(() => String, options), ...optional(options.nullable), MaxLength(254),
    IsEmail({}, { message: '$property must be an e-mail address' }));
}

export function PhoneField(options: FieldOptions = {}): PropertyDecorator {
  return all(Field(() => String, options), ...optional(options.nullable),
    Matches(/^\+?[0-9][0-9 ()/-]{3,30}$/, { message: '$property must be a phone number such as 06221 141013 or +49 6221 141013' }));
}

/** An id of the given kind, checked for shape here; existence is checked by the resolver. */
export function IdField(kind: string, options: FieldOptions = {}): PropertyDecorator {
  return all(
    Field(() => ID, options),
    ...optional(options.nullable),
    Matches(new RegExp(`^[A-Z]{2}:${kind}:[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`), {
      message: `$property must be a ${kind} id such as SL:${kind}:…`,
    }),
  );
}

/** A list of ids of one kind, at most `max` long. */
export function IdListField(kind: string, max = 200, options: FieldOptions = {}): PropertyDecorator {
  return all(
    Field(() => [ID], options),
    ...optional(options.nullable),
    ArrayMaxSize(max),
    Matches(new RegExp(`^[A-Z]{2}:${kind}:[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`), {
      each: true, message: `each of $property must be a ${kind} id such as SL:${kind}:…`,
    }),
  );
}

/**
 * A partial date not before the date in `startProperty` of the same input, compared by their known
 * part (as `assertNotBefore` does), so the error names this field among the input's other errors.
 */
export function NotBefore(startProperty: string): PropertyDecorator {
  return ValidateBy({
    name: 'notBefore',
    constraints: [startProperty],
    validator: {
      validate(end: unknown, args?: ValidationArguments) {
        const start = (args?.object as Record<string, unknown> | undefined)?.[startProperty];
        if (typeof end !== 'string' || typeof start !== 'string') return true;
        const length = Math.min(end.length, start.length);
        return end.slice(0, length) >= start.slice(0, length);
      },
      defaultMessage: (args?: ValidationArguments) =>
        `$property (${String(args?.value)}) is before ${startProperty} (${String((args?.object as Record<string, unknown>)?.[startProperty])})`,
    },
  });
}

/**
 * A PartialDate input field: YYYY, YYYY-MM or YYYY-MM-DD naming a real date. `past` refuses a
 * date after today for what records an event that has happened (founded, joined, held).
 */
export function PartialDateField(options: FieldOptions & { past?: boolean } = {}): PropertyDecorator {
  const { past, ...fieldOptions } = options;
  return all(
    Field(() => PartialDate, fieldOptions),
    ...optional(options.nullable),
    ValidateBy({
      name: 'isPartialDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isPartialDate(value),
        defaultMessage: (args?: ValidationArguments) =>
          `$property must be YYYY, YYYY-MM or YYYY-MM-DD naming a real date, not ${JSON.stringify(args?.value)}`,
      },
    }),
    ...(past ? [ValidateBy({
      name: 'notInFuture',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !isPartialDate(value) || !isFuturePartialDate(value),
        defaultMessage: (args?: ValidationArguments) => `$property (${String(args?.value)}) is in the future; it records what has happened`,
      },
    })] : []),
  );
}

interface ValidationErrorTree { property: string; constraints?: Record<string, string>; children?: ValidationErrorTree[] }

/** The GraphQL name of an input class, as the schema knows it. */
function inputTypeName(type: unknown): string | undefined {
  return getMetadataStorage().inputTypes.find((input) => input.target === type)?.name;
}

/**
 * type-graphql's argument validation (class-validator, missing properties skipped), with every
 * error placed under the argument it came from, so fields read `input.foundedOn`; an `@Args`
 * class's fields are arguments themselves and keep their names.
 */
export async function validateArgument(value: unknown, type: unknown, { info }: ResolverData<object>): Promise<void> {
  if (value === null || typeof value !== 'object') return;
  const options = { forbidUnknownValues: false, skipMissingProperties: true };
  const items = Array.isArray(value) ? value : [value];
  const perItem = await Promise.all(items.map((item) => (item !== null && typeof item === 'object' ? validate(item, options) : [])));
  const errors = Array.isArray(value)
    ? perItem.flatMap((itemErrors, i) => (itemErrors.length ? [{ property: String(i), children: itemErrors }] : []))
    : perItem[0];
  if (!errors.length) return;
  const typeName = inputTypeName(type);
  const argument = typeName
    ? info.parentType.getFields()[info.fieldName]?.args.find((arg) => getNamedType(arg.type).name === typeName)?.name
    : undefined;
  throw new ArgumentValidationError((argument ? [{ property: argument, children: errors }] : errors) as ValidationErrorTree[] as never);
}
