import { Field, ObjectType } from 'type-graphql';
import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { PartialDate, RegionalEntity } from '../../kit/index.js';
import { Network } from './network.js';

@ObjectType({ description: 'A local alliance\'s membership in a network; the alliance may be in another region.' })
@Entity({ tableName: 'network_member' })
@Unique({ properties: ['network', 'allianceId'] })
export class NetworkMember extends RegionalEntity {
  @ManyToOne({ entity: () => Network, deleteRule: 'cascade' })
  network: Network;

  /** The member alliance (alliances subgraph). */
  @Index()
  @Property({ type: 'string', length: 120 })
  allianceId: string;

  @Field(() => PartialDate, { nullable: true })
  @Property({ type: 'string', length: 10, nullable: true })
  since?: string | null;

  @Field(() => PartialDate, { nullable: true, description: 'When the alliance left; null while it is a member.' })
  @Property({ type: 'string', length: 10, nullable: true })
  until?: string | null;
}
