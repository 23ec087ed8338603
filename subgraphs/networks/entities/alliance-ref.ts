import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * An alliance owned by the alliances subgraph. Resolvable here so the gateway can ask this
 * subgraph for the networks an alliance belongs to.
 */
@ObjectType('Alliance')
@Directive('@key(fields: "id")')
export class AllianceRef {
  @Field(() => ID) id: string;
}

export const allianceRef = (id: string): AllianceRef => ({ id });
