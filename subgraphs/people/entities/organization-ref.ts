import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** An organisation owned by the alliances subgraph; only the key is known here. */
@ObjectType('Organization')
@Directive('@key(fields: "id", resolvable: false)')
export class OrganizationRef {
  @Field(() => ID) id: string;
}

export const organizationRef = (id: string | null | undefined): OrganizationRef | null => (id ? { id } : null);
