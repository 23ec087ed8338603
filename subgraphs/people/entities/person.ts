import { Directive, Field, ObjectType } from 'type-graphql';
import { Collection } from '@mikro-orm/core';
import {
  BeforeCreate, BeforeUpdate, Embeddable, Embedded, Entity, OneToMany, Property,
} from '@mikro-orm/decorators/legacy';
import { PartialDate, RegionalEntity, SearchColumn, SortKeyColumn, sortKeyOf } from '../../kit/index.js';
import { Role } from './role.js';

@ObjectType({ description: 'Whether and on what record a person agreed to have their contact details published.' })
@Embeddable()
export class Consent {
  @Field(() => Boolean, { description: 'Contact details are shown only while this is true.' })
  @Property({ type: 'boolean', default: false })
  publicListing: boolean = false;

  @Field(() => PartialDate, { nullable: true, description: 'When the consent (or its withdrawal) was recorded.' })
  @Property({ type: 'string', length: 10, nullable: true })
  recordedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Where the consent is documented.' })
  @Property({ type: 'string', length: 500, nullable: true })
  source?: string | null;
}

@ObjectType({ description: 'How to reach a person; only published with their consent.' })
export class ContactDetails {
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) address?: string | null;
}

@ObjectType({ description: 'A person active in alliances, networks or member organisations.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'person' })
export class Person extends RegionalEntity {
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 200, nullable: true })
  givenName?: string | null;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  familyName: string;

  @SortKeyColumn()
  sortKey: string;

  @Field(() => Consent)
  @Embedded({ entity: () => Consent, prefix: 'consent_' })
  consent: Consent = new Consent();

  // Personal data: deliberately no @Field; only the consent-guarded `contact` field shows them.
  @Property({ type: 'string', length: 254, nullable: true, hidden: true })
  contactEmail?: string | null;

  @Property({ type: 'string', length: 40, nullable: true, hidden: true })
  contactPhone?: string | null;

  @Property({ type: 'string', length: 500, nullable: true, hidden: true })
  contactAddress?: string | null;

  @OneToMany({ entity: () => Role, mappedBy: 'person', orphanRemoval: true })
  roles = new Collection<Role>(this);

  @SearchColumn(['given_name', 'family_name'])
  search?: string;

  @BeforeCreate()
  @BeforeUpdate()
  protected updateSortKey(): void {
    this.sortKey = sortKeyOf(`${this.familyName} ${this.givenName ?? ''}`);
  }
}

export function displayName(person: Person): string {
  return [person.givenName, person.familyName].filter(Boolean).join(' ');
}
