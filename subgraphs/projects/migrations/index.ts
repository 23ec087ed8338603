import { Migration20260101000000TextSearch, Migration20261125010000, Migration20261201000000AuditLogRead } from '../../kit/index.js';
import { Migration20261125000000 } from './Migration20261125000000.js';
import { Migration20261201103000FundingLines } from './Migration20261201103000FundingLines.js';
import { Migration20261201102000SearchFieldsOfAction } from './Migration20261201102000SearchFieldsOfAction.js';

/** In the order they run. */
export const migrations = [Migration20260101000000TextSearch, Migration20261125000000, Migration20261125010000, Migration20261201000000AuditLogRead, Migration20261201102000SearchFieldsOfAction, Migration20261201103000FundingLines];
