import { Migration } from '@mikro-orm/migrations';
import { refreshSortKeys } from '../../kit/index.js';

/** Sort keys recomputed: the normalisation now folds "ae", "oe", "ue" into "a", "o", "u", as the search does. */
export class Migration20261201102000SortKeys extends Migration {
  override name = 'Migration20261201102000SortKeys';

  override async up(): Promise<void> {
    await refreshSortKeys(this, 'network', `"name"`);
  }
}
