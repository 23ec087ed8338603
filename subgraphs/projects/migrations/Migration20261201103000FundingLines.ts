import { Migration } from '@mikro-orm/migrations';

/**
 * Funding as lines of a project (programme, funder, amount, share, period, grant reference). Each
 * project's programme becomes its one line, with every other detail unknown; the project keeps the
 * programme as the one of its main line.
 */
export class Migration20261201103000FundingLines extends Migration {

  override name = 'Migration20261201103000FundingLines';

  override up(): void | Promise<void> {
    this.addSql(`create table "funding_line" ("id" varchar(120) collate "C" not null, "region" text not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "project_id" varchar(120) collate "C" not null, "position" int not null, "programme" text not null, "funder" varchar(300) null, "amount_cents" bigint null, "share" numeric(5,2) null, "starts_on" varchar(10) null, "ends_on" varchar(10) null, "grant_reference" varchar(100) null, primary key ("id"));`);
    this.addSql(`create index "funding_line_project_id_index" on "funding_line" ("project_id");`);
    this.addSql(`alter table "funding_line" add constraint "funding_line_project_id_foreign" foreign key ("project_id") references "project" ("id") on delete cascade;`);
    this.addSql(`alter table "funding_line" add constraint "funding_line_region_check" check ("region" in ('BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH', 'DE'));`);
    this.addSql(`alter table "funding_line" add constraint "funding_line_programme_check" check ("programme" in ('LEADER', 'ESF', 'FEDERAL', 'STATE', 'MUNICIPAL', 'FOUNDATION', 'COMPANY', 'OTHER'));`);
    // A line takes its project's region, like every child row, so the project lives on one instance.
    this.addSql(`insert into "funding_line" ("id", "region", "created_at", "updated_at", "project_id", "position", "programme")
      select "region" || ':fundingLine:' || gen_random_uuid(), "region", now(), now(), "id", 0, "funding_programme"
      from "project" where "funding_programme" is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "funding_line" cascade;`);
  }

}
