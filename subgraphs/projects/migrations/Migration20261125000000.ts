import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000000 extends Migration {

  override name = 'Migration20261125000000';

  override up(): void | Promise<void> {
    this.addSql(`create table "project" ("id" varchar(120) collate "C" not null, "region" text not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "title" varchar(300) not null, "sort_key" varchar(200) collate "C" not null, "summary" text null, "fields_of_action" text[] not null, "status" text null, "funding_programme" text null, "starts_on" varchar(10) null, "ends_on" varchar(10) null, "website" varchar(500) null, "lead_alliance_id" varchar(120) null, "partner_alliance_ids" text[] not null, "partner_organization_ids" text[] not null, "contact_ids" text[] not null, "search" tsvector generated always as (to_tsvector('hub_german', coalesce(title, '') || ' ' || coalesce(summary, ''))) stored null, primary key ("id"));`);
    this.addSql(`create index "project_sort_key_index" on "project" ("sort_key");`);
    this.addSql(`create index "project_lead_alliance_id_index" on "project" ("lead_alliance_id");`);
    this.addSql(`create index "project_partner_alliance_ids_index" on "project" using gin ("partner_alliance_ids");`);
    this.addSql(`create index "project_partner_organization_ids_index" on "project" using gin ("partner_organization_ids");`);
    this.addSql(`create index "project_contact_ids_index" on "project" using gin ("contact_ids");`);
    this.addSql(`create index "project_search_index" on "public"."project" using gin("search");`);

    this.addSql(`alter table "project" add constraint "project_region_check" check ("region" in ('BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH', 'DE'));`);
    this.addSql(`alter table "project" add constraint "project_fields_of_action_check" check ("fields_of_action" <@ array['WORK_LIFE_BALANCE'::text, 'CHILDCARE'::text, 'CARE'::text, 'FAMILY_EDUCATION'::text, 'HEALTH'::text, 'LIVING_ENVIRONMENT'::text, 'SCHOOL_AND_EDUCATION'::text, 'GENERATIONS'::text, 'INTEGRATION'::text, 'POVERTY_PREVENTION'::text, 'CIVIC_ENGAGEMENT'::text, 'FAMILY_SERVICES'::text, 'FAMILY_FRIENDLY_EMPLOYERS'::text]);`);
    this.addSql(`alter table "project" add constraint "project_status_check" check ("status" in ('PLANNED', 'ACTIVE', 'COMPLETED'));`);
    this.addSql(`alter table "project" add constraint "project_funding_programme_check" check ("funding_programme" in ('LEADER', 'ESF', 'FEDERAL', 'STATE', 'MUNICIPAL', 'FOUNDATION', 'COMPANY', 'OTHER'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "project" cascade;`);
  }

}
