import { Directive, Field, ObjectType } from 'type-graphql';
import { Entity, ManyToOne, Property, Unique, Index } from '@mikro-orm/decorators/legacy';
import { PartialDate, RegionalEntity } from '../../kit/index.js';
import { Alliance } from './alliance.js';
import { Organization } from './organization.js';

@ObjectType({ description: 'An organisation\'s membership in an alliance.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'membership' })
@Unique({ properties: ['alliance', 'organization'] })
export class Membership extends RegionalEntity {
  @ManyToOne({ entity: () => Alliance, deleteRule: 'cascade' })
  alliance: Alliance;

  @Index()
  @ManyToOne({ entity: () => Organization })
  organization: Organization;

  @Field(() => PartialDate, { nullable: true })
  @Property({ type: 'string', length: 10, nullable: true })
  joinedOn?: string | null;

  @Field(() => PartialDate, { nullable: true })
  @Property({ type: 'string', length: 10, nullable: true })
  leftOn?: string | null;

  @Field(() => PartialDate, { nullable: true, description: 'When the membership certificate (Mitgliedsurkunde) was handed over.' })
  @Property({ type: 'string', length: 10, nullable: true })
  certificateHandedOverOn?: string | null;

  /** A person in the people subgraph who represents the organisation in the alliance. */
  @Index()
  @Property({ type: 'string', length: 120, nullable: true })
  representativeId?: string | null;
}
