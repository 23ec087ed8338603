import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { PartialDate, RegionalEntity } from '../../kit/index.js';
import { Network } from './network.js';

@ObjectType({ description: 'A meeting of a network, e.g. a Landesnetzwerktreffen or a Fachtag.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'meeting' })
// Postgres lets several rows share a null number, so only numbered meetings must differ.
@Unique({ properties: ['network', 'number'] })
export class Meeting extends RegionalEntity {
  @ManyToOne({ entity: () => Network, deleteRule: 'cascade' })
  network: Network;

  @Field(() => Int, { nullable: true, description: 'The running number, e.g. 16 for the 16. Landesnetzwerktreffen.' })
  @Property({ type: 'integer', nullable: true })
  number?: number | null;

  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  title: string;

  @Field(() => PartialDate, { nullable: true })
  @Property({ type: 'string', length: 10, nullable: true })
  date?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 200, nullable: true })
  place?: string | null;

  @Field(() => [String])
  @Property({ type: 'text[]' })
  topics: string[] = [];
}
