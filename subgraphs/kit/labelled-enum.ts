import { registerEnumType } from 'type-graphql';

/** Registers a GraphQL enum whose values carry their German labels as descriptions. */
export function registerLabelledEnum<E extends Record<string, string>>(
  enumObject: E, name: string, description: string, labels: Record<keyof E, string>,
): void {
  registerEnumType(enumObject, {
    name,
    description,
    valuesConfig: Object.fromEntries(Object.entries(labels).map(([key, label]) => [key, { description: label }])) as never,
  });
}
