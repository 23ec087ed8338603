import { Field, ObjectType } from 'type-graphql';
import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { PartialDate, RegionalEntity } from '../../kit/index.js';
import { RoleKind } from '../enums.js';
import { Person } from './person.js';

/** A role a person holds; it names an alliance, a network and/or an organisation of other subgraphs. */
@ObjectType({ description: 'A role a person holds in an alliance, a network or an organisation.' })
@Entity({ tableName: 'role' })
export class Role extends RegionalEntity {
  @Index()
  @ManyToOne({ entity: () => Person, deleteRule: 'cascade' })
  person: Person;

  @Field(() => RoleKind)
  @Enum({ items: () => RoleKind, type: 'string' })
  kind: RoleKind;

  @Field(() => String, { nullable: true, description: 'The position, e.g. "Regionale Geschäftsleitung Süd".' })
  @Property({ type: 'text', nullable: true })
  title?: string | null;

  @Index()
  @Property({ type: 'string', length: 120, nullable: true })
  allianceId?: string | null;

  @Index()
  @Property({ type: 'string', length: 120, nullable: true })
  networkId?: string | null;

  @Index()
  @Property({ type: 'string', length: 120, nullable: true })
  organizationId?: string | null;

  @Field(() => PartialDate, { nullable: true })
  @Property({ type: 'string', length: 10, nullable: true })
  since?: string | null;

  @Field(() => PartialDate, { nullable: true, description: 'Empty while the role is current.' })
  @Property({ type: 'string', length: 10, nullable: true })
  until?: string | null;
}
