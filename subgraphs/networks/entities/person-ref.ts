import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A person owned by the people subgraph; only the key is known here. */
@ObjectType('Person')
@Directive('@key(fields: "id", resolvable: false)')
export class PersonRef {
  @Field(() => ID) id: string;
}

export const personRef = (id: string | null | undefined): PersonRef | null => (id ? { id } : null);
