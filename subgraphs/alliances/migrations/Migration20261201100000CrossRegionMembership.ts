import { Migration } from '@mikro-orm/migrations';

/**
 * A membership may name an organisation of any region: one held by another region's instance is
 * not in this database, so the foreign key to `organization` goes. Where the organisation is of
 * the membership's own region it is always held here, and two triggers keep the old guarantee for
 * exactly those: it must exist (locked against a concurrent delete, as a foreign key would), and it
 * cannot be deleted while such a membership names it.
 */
export class Migration20261201100000CrossRegionMembership extends Migration {
  override name = 'Migration20261201100000CrossRegionMembership';

  override up(): void {
    this.addSql(`alter table "membership" drop constraint "membership_organization_id_foreign";`);
    this.addSql(`create function "membership_local_organization_exists"() returns trigger language plpgsql as $$
begin
  if left(new.organization_id, 2) = new.region
    and not exists (select 1 from "organization" where "id" = new.organization_id for key share) then
    raise exception using errcode = 'foreign_key_violation', constraint = 'membership_local_organization_exists',
      message = format('membership %s names organization %s of its own region, which does not exist', new.id, new.organization_id);
  end if;
  return new;
end $$;`);
    this.addSql(`create trigger "membership_local_organization_exists" before insert or update of "organization_id", "region" on "membership"
  for each row execute function "membership_local_organization_exists"();`);
    this.addSql(`create function "organization_without_local_memberships"() returns trigger language plpgsql as $$
begin
  if exists (select 1 from "membership" where "organization_id" = old.id and "region" = old.region) then
    raise exception using errcode = 'foreign_key_violation', constraint = 'organization_without_local_memberships',
      message = format('organization %s is still named by memberships of its region', old.id);
  end if;
  return old;
end $$;`);
    this.addSql(`create trigger "organization_without_local_memberships" before delete on "organization"
  for each row execute function "organization_without_local_memberships"();`);
  }

  override down(): void {
    this.addSql(`drop trigger "organization_without_local_memberships" on "organization";`);
    this.addSql(`drop function "organization_without_local_memberships"();`);
    this.addSql(`drop trigger "membership_local_organization_exists" on "membership";`);
    this.addSql(`drop function "membership_local_organization_exists"();`);
    this.addSql(`alter table "membership" add constraint "membership_organization_id_foreign" foreign key ("organization_id") references "organization" ("id");`);
  }
}
