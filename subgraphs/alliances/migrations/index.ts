import { Migration20260101000000TextSearch, Migration20261125010000, Migration20261201000000AuditLogRead } from '../../kit/index.js';
import { Migration20261125000000 } from './Migration20261125000000.js';
import { Migration20261201100000CrossRegionMembership } from './Migration20261201100000CrossRegionMembership.js';
import { Migration20261201102000UniqueNames } from './Migration20261201102000UniqueNames.js';

/** In the order they run. */
export const migrations = [Migration20260101000000TextSearch, Migration20261125000000, Migration20261125010000, Migration20261201000000AuditLogRead,
  Migration20261201100000CrossRegionMembership, Migration20261201102000UniqueNames];
