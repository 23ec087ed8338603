import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000000 extends Migration {

  override name = 'Migration20261125000000';

  override up(): void | Promise<void> {
    this.addSql(`create table "person" ("id" varchar(120) collate "C" not null, "region" text not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "given_name" varchar(200) null, "family_name" varchar(200) not null, "sort_key" varchar(200) collate "C" not null, "consent_public_listing" boolean not null default false, "consent_recorded_on" varchar(10) null, "consent_source" varchar(500) null, "contact_email" varchar(254) null, "contact_phone" varchar(40) null, "contact_address" varchar(500) null, "search" tsvector generated always as (to_tsvector('hub_german', coalesce(given_name, '') || ' ' || coalesce(family_name, ''))) stored null, primary key ("id"));`);
    this.addSql(`create index "person_sort_key_index" on "person" ("sort_key");`);
    this.addSql(`create index "person_search_index" on "public"."person" using gin("search");`);

    this.addSql(`create table "role" ("id" varchar(120) collate "C" not null, "region" text not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "person_id" varchar(120) collate "C" not null, "kind" text not null, "title" text null, "alliance_id" varchar(120) null, "network_id" varchar(120) null, "organization_id" varchar(120) null, "since" varchar(10) null, "until" varchar(10) null, primary key ("id"));`);
    this.addSql(`create index "role_person_id_index" on "role" ("person_id");`);
    this.addSql(`create index "role_alliance_id_index" on "role" ("alliance_id");`);
    this.addSql(`create index "role_network_id_index" on "role" ("network_id");`);
    this.addSql(`create index "role_organization_id_index" on "role" ("organization_id");`);

    this.addSql(`alter table "person" add constraint "person_region_check" check ("region" in ('BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH', 'DE'));`);

    this.addSql(`alter table "role" add constraint "role_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`);
    this.addSql(`alter table "role" add constraint "role_region_check" check ("region" in ('BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH', 'DE'));`);
    this.addSql(`alter table "role" add constraint "role_kind_check" check ("kind" in ('COORDINATOR', 'REPRESENTATIVE', 'SPEAKER', 'MENTOR', 'CONTACT'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "role" drop constraint "role_person_id_foreign";`);

    this.addSql(`drop table if exists "person" cascade;`);
    this.addSql(`drop table if exists "role" cascade;`);
  }

}
