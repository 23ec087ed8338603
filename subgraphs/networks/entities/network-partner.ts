import { Field, ObjectType } from 'type-graphql';
import { Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { PartialDate, RegionalEntity } from '../../kit/index.js';
import { Network } from './network.js';

@ObjectType({ description: 'An organisation that works with a network without being a local alliance.' })
@Entity({ tableName: 'network_partner' })
export class NetworkPartner extends RegionalEntity {
  @Index()
  @ManyToOne({ entity: () => Network, deleteRule: 'cascade' })
  network: Network;

  /** The partner organisation (alliances subgraph). */
  @Index()
  @Property({ type: 'string', length: 120 })
  organizationId: string;

  @Field(() => String, { nullable: true, description: 'The partner\'s part in the network, e.g. "Veranstalter".' })
  @Property({ type: 'text', nullable: true })
  role?: string | null;

  @Field(() => PartialDate, { nullable: true })
  @Property({ type: 'string', length: 10, nullable: true })
  since?: string | null;
}
