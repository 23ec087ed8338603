import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000000 extends Migration {

  override name = 'Migration20261125000000';

  override up(): void | Promise<void> {
    this.addSql(`create table "alliance" ("id" varchar(120) collate "C" not null, "region" text not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(300) not null, "sort_key" varchar(200) collate "C" not null, "municipality_name" varchar(200) null, "municipality_ags" varchar(8) null, "founded_on" varchar(10) null, "legal_form" text null, "goals" text null, "website" varchar(500) null, "fields_of_action" text[] not null, "working_groups" jsonb not null, "search" tsvector generated always as (to_tsvector('hub_german', coalesce(name, '') || ' ' || coalesce(goals, '') || ' ' || coalesce(municipality_name, ''))) stored null, primary key ("id"));`);
    this.addSql(`create index "alliance_sort_key_index" on "alliance" ("sort_key");`);
    this.addSql(`create index "alliance_search_index" on "public"."alliance" using gin("search");`);

    this.addSql(`create table "organization" ("id" varchar(120) collate "C" not null, "region" text not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(300) not null, "sort_key" varchar(200) collate "C" not null, "kind" text not null, "website" varchar(500) null, "email" varchar(254) null, "phone" varchar(40) null, "search" tsvector generated always as (to_tsvector('hub_german', coalesce(name, ''))) stored null, primary key ("id"));`);
    this.addSql(`create index "organization_sort_key_index" on "organization" ("sort_key");`);
    this.addSql(`create index "organization_search_index" on "public"."organization" using gin("search");`);

    this.addSql(`create table "membership" ("id" varchar(120) collate "C" not null, "region" text not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "alliance_id" varchar(120) collate "C" not null, "organization_id" varchar(120) collate "C" not null, "joined_on" varchar(10) null, "left_on" varchar(10) null, "certificate_handed_over_on" varchar(10) null, "representative_id" varchar(120) null, primary key ("id"));`);
    this.addSql(`create index "membership_organization_id_index" on "membership" ("organization_id");`);
    this.addSql(`create index "membership_representative_id_index" on "membership" ("representative_id");`);
    this.addSql(`alter table "membership" add constraint "membership_alliance_id_organization_id_unique" unique ("alliance_id", "organization_id");`);

    this.addSql(`alter table "alliance" add constraint "alliance_region_check" check ("region" in ('BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH', 'DE'));`);
    this.addSql(`alter table "alliance" add constraint "alliance_legal_form_check" check ("legal_form" in ('INFORMAL_CIRCLE', 'WORKING_GROUP', 'REGISTERED_ASSOCIATION', 'OTHER'));`);
    this.addSql(`alter table "alliance" add constraint "alliance_fields_of_action_check" check ("fields_of_action" <@ array['WORK_LIFE_BALANCE'::text, 'CHILDCARE'::text, 'CARE'::text, 'FAMILY_EDUCATION'::text, 'HEALTH'::text, 'LIVING_ENVIRONMENT'::text, 'SCHOOL_AND_EDUCATION'::text, 'GENERATIONS'::text, 'INTEGRATION'::text, 'POVERTY_PREVENTION'::text, 'CIVIC_ENGAGEMENT'::text, 'FAMILY_SERVICES'::text, 'FAMILY_FRIENDLY_EMPLOYERS'::text]);`);

    this.addSql(`alter table "organization" add constraint "organization_region_check" check ("region" in ('BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH', 'DE'));`);
    this.addSql(`alter table "organization" add constraint "organization_kind_check" check ("kind" in ('MUNICIPALITY', 'COMPANY', 'EMPLOYMENT_AGENCY', 'JOB_CENTRE', 'CHAMBER', 'CHURCH', 'WELFARE_ASSOCIATION', 'ASSOCIATION', 'EMPLOYERS_ASSOCIATION', 'FOUNDATION', 'UNIVERSITY', 'HOSPITAL', 'MINISTRY', 'PUBLIC_BODY', 'RESEARCH_INSTITUTE', 'CHILDCARE_PROVIDER', 'COUNSELLING_SERVICE', 'FAMILY_CENTRE', 'OTHER'));`);

    this.addSql(`alter table "membership" add constraint "membership_alliance_id_foreign" foreign key ("alliance_id") references "alliance" ("id") on delete cascade;`);
    this.addSql(`alter table "membership" add constraint "membership_organization_id_foreign" foreign key ("organization_id") references "organization" ("id");`);
    this.addSql(`alter table "membership" add constraint "membership_region_check" check ("region" in ('BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH', 'DE'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "membership" drop constraint "membership_alliance_id_foreign";`);
    this.addSql(`alter table "membership" drop constraint "membership_organization_id_foreign";`);

    this.addSql(`drop table if exists "alliance" cascade;`);
    this.addSql(`drop table if exists "organization" cascade;`);
    this.addSql(`drop table if exists "membership" cascade;`);
  }

}
