import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A network owned by the networks subgraph; only the key is known here. */
@ObjectType('Network')
@Directive('@key(fields: "id", resolvable: false)')
export class NetworkRef {
  @Field(() => ID) id: string;
}

export const networkRef = (id: string | null | undefined): NetworkRef | null => (id ? { id } : null);
