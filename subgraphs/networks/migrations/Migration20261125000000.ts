import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000000 extends Migration {

  override name = 'Migration20261125000000';

  override up(): void | Promise<void> {
    this.addSql(`create table "network" ("id" varchar(120) collate "C" not null, "region" text not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(300) not null, "sort_key" varchar(200) collate "C" not null, "kind" text not null, "description" text null, "website" varchar(500) null, "coordinating_body_id" varchar(120) null, "search" tsvector generated always as (to_tsvector('hub_german', coalesce(name, '') || ' ' || coalesce(description, ''))) stored null, primary key ("id"));`);
    this.addSql(`create index "network_sort_key_index" on "network" ("sort_key");`);
    this.addSql(`create index "network_coordinating_body_id_index" on "network" ("coordinating_body_id");`);
    this.addSql(`create index "network_search_index" on "public"."network" using gin("search");`);

    this.addSql(`create table "meeting" ("id" varchar(120) collate "C" not null, "region" text not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "network_id" varchar(120) collate "C" not null, "number" int null, "title" varchar(300) not null, "date" varchar(10) null, "place" varchar(200) null, "topics" text[] not null, primary key ("id"));`);
    this.addSql(`alter table "meeting" add constraint "meeting_network_id_number_unique" unique ("network_id", "number");`);

    this.addSql(`create table "network_member" ("id" varchar(120) collate "C" not null, "region" text not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "network_id" varchar(120) collate "C" not null, "alliance_id" varchar(120) not null, "since" varchar(10) null, "until" varchar(10) null, primary key ("id"));`);
    this.addSql(`create index "network_member_alliance_id_index" on "network_member" ("alliance_id");`);
    this.addSql(`alter table "network_member" add constraint "network_member_network_id_alliance_id_unique" unique ("network_id", "alliance_id");`);

    this.addSql(`create table "network_partner" ("id" varchar(120) collate "C" not null, "region" text not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "network_id" varchar(120) collate "C" not null, "organization_id" varchar(120) not null, "role" text null, "since" varchar(10) null, primary key ("id"));`);
    this.addSql(`create index "network_partner_network_id_index" on "network_partner" ("network_id");`);
    this.addSql(`create index "network_partner_organization_id_index" on "network_partner" ("organization_id");`);

    this.addSql(`create table "talk" ("id" varchar(120) collate "C" not null, "region" text not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "meeting_id" varchar(120) collate "C" not null, "position" int not null, "title" varchar(500) not null, "speaker_id" varchar(120) null, "organization_id" varchar(120) null, primary key ("id"));`);
    this.addSql(`create index "talk_speaker_id_index" on "talk" ("speaker_id");`);
    this.addSql(`create index "talk_organization_id_index" on "talk" ("organization_id");`);
    this.addSql(`alter table "talk" add constraint "talk_meeting_id_position_unique" unique ("meeting_id", "position");`);

    this.addSql(`alter table "network" add constraint "network_region_check" check ("region" in ('BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH', 'DE'));`);
    this.addSql(`alter table "network" add constraint "network_kind_check" check ("kind" in ('ARGE', 'LANDESNETZWERK', 'REGIONAL_COOPERATION', 'FEDERAL'));`);

    this.addSql(`alter table "meeting" add constraint "meeting_network_id_foreign" foreign key ("network_id") references "network" ("id") on delete cascade;`);
    this.addSql(`alter table "meeting" add constraint "meeting_region_check" check ("region" in ('BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH', 'DE'));`);

    this.addSql(`alter table "network_member" add constraint "network_member_network_id_foreign" foreign key ("network_id") references "network" ("id") on delete cascade;`);
    this.addSql(`alter table "network_member" add constraint "network_member_region_check" check ("region" in ('BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH', 'DE'));`);

    this.addSql(`alter table "network_partner" add constraint "network_partner_network_id_foreign" foreign key ("network_id") references "network" ("id") on delete cascade;`);
    this.addSql(`alter table "network_partner" add constraint "network_partner_region_check" check ("region" in ('BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH', 'DE'));`);

    this.addSql(`alter table "talk" add constraint "talk_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on delete cascade;`);
    this.addSql(`alter table "talk" add constraint "talk_region_check" check ("region" in ('BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH', 'DE'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "meeting" drop constraint "meeting_network_id_foreign";`);
    this.addSql(`alter table "network_member" drop constraint "network_member_network_id_foreign";`);
    this.addSql(`alter table "network_partner" drop constraint "network_partner_network_id_foreign";`);
    this.addSql(`alter table "talk" drop constraint "talk_meeting_id_foreign";`);

    this.addSql(`drop table if exists "network" cascade;`);
    this.addSql(`drop table if exists "meeting" cascade;`);
    this.addSql(`drop table if exists "network_member" cascade;`);
    this.addSql(`drop table if exists "network_partner" cascade;`);
    this.addSql(`drop table if exists "talk" cascade;`);
  }

}
