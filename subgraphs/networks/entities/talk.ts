import { Field, ObjectType } from 'type-graphql';
import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { RegionalEntity } from '../../kit/index.js';
import { Meeting } from './meeting.js';

@ObjectType({ description: 'A talk or contribution at a meeting.' })
@Entity({ tableName: 'talk' })
@Unique({ properties: ['meeting', 'position'] })
export class Talk extends RegionalEntity {
  @ManyToOne({ entity: () => Meeting, deleteRule: 'cascade' })
  meeting: Meeting;

  /** Order within the meeting's programme, from 1. */
  @Property({ type: 'integer' })
  position: number;

  @Field(() => String)
  @Property({ type: 'string', length: 500 })
  title: string;

  /** The speaker (people subgraph), when the source names one. */
  @Index()
  @Property({ type: 'string', length: 120, nullable: true })
  speakerId?: string | null;

  /** The organisation (alliances subgraph) the talk was given for. */
  @Index()
  @Property({ type: 'string', length: 120, nullable: true })
  organizationId?: string | null;
}
