import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** An alliance owned by the alliances subgraph; this subgraph adds its `projects`. */
@ObjectType('Alliance')
@Directive('@key(fields: "id")')
export class AllianceRef {
  @Field(() => ID) id: string;
}

export const allianceRef = (id: string | null | undefined): AllianceRef | null => (id ? { id } : null);
export const allianceRefs = (ids: string[]): AllianceRef[] => ids.map((id) => ({ id }));
