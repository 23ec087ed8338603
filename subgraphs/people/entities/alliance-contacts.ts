import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The alliances subgraph's Alliance, extended here with its contact people. Named apart from any
 * Alliance class so the two never clash in code; the schema knows it as Alliance.
 */
@ObjectType('Alliance')
@Directive('@key(fields: "id")')
export class AllianceContacts {
  @Field(() => ID) id: string;
}

export const allianceRef = (id: string | null | undefined): AllianceContacts | null => (id ? { id } : null);
