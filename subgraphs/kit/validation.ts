import { Field, ID } from 'type-graphql';
import { IsEmail, IsOptional, IsUrl, Matches, MaxLength, ArrayMaxSize } from 'class-validator';
import { allDecorators } from './decorators.js';

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
