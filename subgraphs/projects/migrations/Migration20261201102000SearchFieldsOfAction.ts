import { Migration } from '@mikro-orm/migrations';
import { FIELD_OF_ACTION_LABELS_FUNCTION, fieldOfActionLabelsFunctionSql, refreshSortKeys } from '../../kit/index.js';

/** Fields of action searchable by their German labels; sort keys recomputed ("ue" now folds into "u"). */
export class Migration20261201102000SearchFieldsOfAction extends Migration {
  override name = 'Migration20261201102000SearchFieldsOfAction';

  override async up(): Promise<void> {
    await refreshSortKeys(this, 'project', '"title"');
    this.addSql(fieldOfActionLabelsFunctionSql());
    this.addSql(`alter table "project" alter column "search" set expression as (to_tsvector('hub_german', coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(${FIELD_OF_ACTION_LABELS_FUNCTION}(fields_of_action), '')));`);
  }

  override down(): void {
    this.addSql(`alter table "project" alter column "search" set expression as (to_tsvector('hub_german', coalesce(title, '') || ' ' || coalesce(summary, '')));`);
  }
}
