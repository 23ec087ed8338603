import { Migration } from '@mikro-orm/migrations';
import { TEXT_SEARCH_SETUP_SQL } from './text-search.js';

/** Runs first in every subgraph: the German text-search configuration the search columns use. */
export class Migration20260101000000TextSearch extends Migration {
  override name = 'Migration20260101000000TextSearch';

  override up(): void {
    for (const sql of TEXT_SEARCH_SETUP_SQL) this.addSql(sql);
  }
}
