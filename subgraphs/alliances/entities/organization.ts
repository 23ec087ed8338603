import { Directive, Field, ObjectType } from 'type-graphql';
import { BeforeCreate, BeforeUpdate, Entity, Enum, Property, Unique } from '@mikro-orm/decorators/legacy';
import { RegionalEntity, SearchColumn, SortKeyColumn, sortKeyOf } from '../../kit/index.js';
import { OrganizationKind } from '../enums.js';

/** Declared so the schema generator knows the trigger (the migration creates it). */
const WITHOUT_LOCAL_MEMBERSHIPS = `create function "organization_without_local_memberships"() returns trigger language plpgsql as $$
begin
  if exists (select 1 from "membership" where "organization_id" = old.id and "region" = old.region) then
    raise exception using errcode = 'foreign_key_violation', constraint = 'organization_without_local_memberships',
      message = format('organization %s is still named by memberships of its region', old.id);
  end if;
  return old;
end $$;
create trigger "organization_without_local_memberships" before delete on "organization"
  for each row execute function "organization_without_local_memberships"();`;

@ObjectType({ description: 'An organisation that is a member or partner of alliances and networks.' })
@Directive('@key(fields: "id")')
@Entity({
  tableName: 'organization',
  // Not deleted while memberships of its own region name it (see the migration of 2026-12-01).
  triggers: [{ name: 'organization_without_local_memberships', timing: 'before', events: ['delete'], expression: WITHOUT_LOCAL_MEMBERSHIPS }],
})
// One name per region, compared by the sort key (as the search compares names).
@Unique({ properties: ['region', 'sortKey'] })
export class Organization extends RegionalEntity {
  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  name: string;

  @SortKeyColumn()
  sortKey: string;

  @Field(() => OrganizationKind)
  @Enum({ items: () => OrganizationKind, type: 'string' })
  kind: OrganizationKind;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 500, nullable: true })
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'The organisation\'s own public address (not a person\'s).' })
  @Property({ type: 'string', length: 254, nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'The organisation\'s own public number (not a person\'s).' })
  @Property({ type: 'string', length: 40, nullable: true })
  phone?: string | null;

  @SearchColumn(['name'])
  search?: string;

  @BeforeCreate()
  @BeforeUpdate()
  protected updateSortKey(): void {
    this.sortKey = sortKeyOf(this.name);
  }
}
