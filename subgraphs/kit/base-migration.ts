import { Migration } from '@mikro-orm/migrations';
import { TEXT_SEARCH_SETUP_SQL } from './text-search.js';
import { sortKeyOf } from '../shared/sort-key.js';

/** Runs first in every subgraph: the German text-search configuration the search columns use. */
export class Migration20260101000000TextSearch extends Migration {
  override name = 'Migration20260101000000TextSearch';

  override up(): void {
    for (const sql of TEXT_SEARCH_SETUP_SQL) this.addSql(sql);
  }
}

/** Every subgraph's audit log (see audit.ts): the same table everywhere. */
export class Migration20261125010000 extends Migration {
  override name = 'Migration20261125010000';

  override up(): void {
    this.addSql(`create table "audit_log" ("id" uuid not null, "at" timestamptz not null, "actor" varchar(200) not null, "action" varchar(10) not null, "entity" varchar(60) not null, "entity_id" varchar(120) not null, "region" varchar(2) not null, "fields" text[] not null, primary key ("id"));`);
    this.addSql(`create index "audit_log_at_index" on "audit_log" ("at");`);
    this.addSql(`create index "audit_log_entity_id_index" on "audit_log" ("entity_id");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "audit_log" cascade;`);
  }
}

/**
 * The audit log read through the API: times in milliseconds (what a cursor carries, so paging
 * compares exact values) and an index for one region's entries, newest first.
 */
export class Migration20261201000000AuditLogRead extends Migration {
  override name = 'Migration20261201000000AuditLogRead';

  override up(): void {
    this.addSql(`alter table "audit_log" alter column "at" type timestamptz(3) using ("at"::timestamptz(3));`);
    this.addSql(`create index "audit_log_region_at_index" on "audit_log" ("region", "at");`);
  }

  override down(): void {
    this.addSql(`drop index "audit_log_region_at_index";`);
    this.addSql(`alter table "audit_log" alter column "at" type timestamptz(6);`);
  }
}

/** The kit's migrations, listed by every subgraph among its own in the order of their timestamps. */
export const KIT_MIGRATIONS = [Migration20260101000000TextSearch, Migration20261125010000, Migration20261201000000AuditLogRead];

/**
 * Recomputes a table's stored sort keys with the current `sortKeyOf`, for a migration that follows
 * a change of the normalisation: lists are ordered (and names held unique) by the stored key, and
 * the gateway merges instances' lists by the same function, so no row may keep an old key.
 * `source` gives the text the entity builds its key from, in SQL. Only changed rows are written.
 */
export async function refreshSortKeys(migration: Migration, table: string, source: string): Promise<void> {
  const rows = await migration.execute(`select "id", ${source} as "text", "sort_key" from "${table}"`) as { id: string; text: string; sort_key: string }[];
  const changed = rows.map((row) => ({ id: row.id, key: sortKeyOf(row.text) })).filter((row, i) => row.key !== rows[i].sort_key);
  for (let start = 0; start < changed.length; start += 5000) {
    const batch = changed.slice(start, start + 5000);
    await migration.execute(
      `update "${table}" set "sort_key" = v.key from json_to_recordset(?::json) as v(id text, key text) where "${table}"."id" = v.id`,
      [JSON.stringify(batch)],
    );
  }
}
