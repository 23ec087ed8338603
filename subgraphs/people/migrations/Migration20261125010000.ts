import { Migration } from '@mikro-orm/migrations';

export class Migration20261125010000 extends Migration {

  override name = 'Migration20261125010000';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_log" ("id" uuid not null, "at" timestamptz not null, "actor" varchar(200) not null, "action" varchar(10) not null, "entity" varchar(60) not null, "entity_id" varchar(120) not null, "region" varchar(2) not null, "fields" text[] not null, primary key ("id"));`);
    this.addSql(`create index "audit_log_at_index" on "audit_log" ("at");`);
    this.addSql(`create index "audit_log_entity_id_index" on "audit_log" ("entity_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "audit_log" cascade;`);
  }

}
