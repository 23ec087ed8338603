import { Directive, Field, ObjectType } from 'type-graphql';
import { Collection } from '@mikro-orm/core';
import {
  BeforeCreate, BeforeUpdate, Unique, Embeddable, Embedded, Entity, Enum, OneToMany, Property,
} from '@mikro-orm/decorators/legacy';
import { FIELD_OF_ACTION_LABELS_FUNCTION, FieldOfAction, PartialDate, RegionalEntity, SearchColumn, SortKeyColumn, sortKeyOf } from '../../kit/index.js';
import { LegalForm } from '../enums.js';
import { Membership } from './membership.js';

@ObjectType({ description: 'The municipality or district an alliance works in.' })
@Embeddable()
export class Municipality {
  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name: string;

  @Field(() => String, { nullable: true, description: 'Amtlicher Gemeindeschlüssel (2, 3, 5 or 8 digits).' })
  @Property({ type: 'string', length: 8, nullable: true })
  ags?: string | null;
}

@ObjectType({ description: 'A standing working group of an alliance (Arbeitsgruppe).' })
@Embeddable()
export class WorkingGroup {
  @Field(() => String)
  @Property({ type: 'string' })
  name: string;

  @Field(() => FieldOfAction, { nullable: true })
  @Enum({ items: () => FieldOfAction, type: 'string', nullable: true })
  fieldOfAction?: FieldOfAction | null;
}

@ObjectType({ description: 'A Lokales Bündnis für Familie.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'alliance' })
// One name per region, compared by the sort key (as the search compares names).
@Unique({ properties: ['region', 'sortKey'] })
export class Alliance extends RegionalEntity {
  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  name: string;

  @SortKeyColumn()
  sortKey: string;

  @Field(() => Municipality, { nullable: true })
  @Embedded({ entity: () => Municipality, prefix: 'municipality_', nullable: true })
  municipality?: Municipality | null;

  @Field(() => PartialDate, { nullable: true, description: 'Founding date, as precise as known.' })
  @Property({ type: 'string', length: 10, nullable: true })
  foundedOn?: string | null;

  @Field(() => LegalForm, { nullable: true })
  @Enum({ items: () => LegalForm, type: 'string', nullable: true })
  legalForm?: LegalForm | null;

  @Field(() => String, { nullable: true, description: 'What the alliance sets out to do.' })
  @Property({ type: 'text', nullable: true })
  goals?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 500, nullable: true })
  website?: string | null;

  @Field(() => [FieldOfAction])
  @Enum({ items: () => FieldOfAction, array: true, type: 'text[]' })
  fieldsOfAction: FieldOfAction[] = [];

  @Field(() => [WorkingGroup])
  @Embedded({ entity: () => WorkingGroup, array: true })
  workingGroups: WorkingGroup[] = [];

  @OneToMany({ entity: () => Membership, mappedBy: 'alliance', orphanRemoval: true })
  memberships = new Collection<Membership>(this);

  // Fields of action by their German labels, so "Kinderbetreuung" finds the alliances working in it.
  @SearchColumn(['name', 'goals', 'municipality_name', `${FIELD_OF_ACTION_LABELS_FUNCTION}(fields_of_action)`])
  search?: string;

  @BeforeCreate()
  @BeforeUpdate()
  protected updateSortKey(): void {
    this.sortKey = sortKeyOf(this.name);
  }
}
