import { Migration } from '@mikro-orm/migrations';
import { FIELD_OF_ACTION_LABELS_FUNCTION, fieldOfActionLabelsFunctionSql, refreshSortKeys, serviceLogger, sortKeyOf } from '../../kit/index.js';

const logger = serviceLogger('migrations');

/**
 * Names unique per region (compared by the sort key, whose normalisation now also folds "ue" into
 * "u" as the search does), and fields of action searchable by their German labels.
 *
 * Records that already share a name keep it where it is oldest; every later one is renamed to
 * "<name> (doppelt, <id>)" and listed in the log. Stopping the migration instead would keep the
 * whole service down until someone edits the database by hand; merging would guess which record
 * is right. The suffix says what happened, loses nothing and is undone by renaming in the app.
 */
export class Migration20261201102000UniqueNames extends Migration {
  override name = 'Migration20261201102000UniqueNames';

  override async up(): Promise<void> {
    for (const table of ['alliance', 'organization']) {
      await refreshSortKeys(this, table, '"name"');
      await this.renameDuplicates(table);
      this.addSql(`alter table "${table}" add constraint "${table}_region_sort_key_unique" unique ("region", "sort_key");`);
    }
    this.addSql(fieldOfActionLabelsFunctionSql());
    this.addSql(`alter table "alliance" alter column "search" set expression as (to_tsvector('hub_german', coalesce(name, '') || ' ' || coalesce(goals, '') || ' ' || coalesce(municipality_name, '') || ' ' || coalesce(${FIELD_OF_ACTION_LABELS_FUNCTION}(fields_of_action), '')));`);
  }

  private async renameDuplicates(table: string): Promise<void> {
    const later = await this.execute(
      `select "id", "name" from (select "id", "name", row_number() over (partition by "region", "sort_key" order by "created_at", "id") as "rank" from "${table}") ranked where "rank" > 1 order by "id"`,
    ) as { id: string; name: string }[];
    for (const { id, name } of later) {
      const suffix = ` (doppelt, ${id})`;
      const renamed = `${name.slice(0, 300 - suffix.length)}${suffix}`;
      await this.execute(`update "${table}" set "name" = ?, "sort_key" = ? where "id" = ?`, [renamed, sortKeyOf(renamed), id]);
      logger.warn({ table, id, name, renamed }, 'a name held twice in a region was made unique by a suffix; rename or merge the record');
    }
  }

  override down(): void {
    this.addSql(`alter table "alliance" alter column "search" set expression as (to_tsvector('hub_german', coalesce(name, '') || ' ' || coalesce(goals, '') || ' ' || coalesce(municipality_name, '')));`);
    this.addSql(`alter table "organization" drop constraint "organization_region_sort_key_unique";`);
    this.addSql(`alter table "alliance" drop constraint "alliance_region_sort_key_unique";`);
  }
}
