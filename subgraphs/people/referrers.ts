import type { ReferrerColumns } from '../kit/index.js';
import { Role } from './entities/role.js';

/**
 * The columns of this subgraph that name records of other subgraphs, for deletes. A role stays
 * with its person (kind, title and dates are still true) without the alliance, network or
 * organisation that was deleted.
 */
export const personReferrers: ReferrerColumns = {
  Alliance: [{ entity: Role, property: 'allianceId', referrer: 'Person', referrerId: 'person', field: 'roles.alliance', onRemove: 'clear' }],
  Network: [{ entity: Role, property: 'networkId', referrer: 'Person', referrerId: 'person', field: 'roles.network', onRemove: 'clear' }],
  Organization: [{ entity: Role, property: 'organizationId', referrer: 'Person', referrerId: 'person', field: 'roles.organization', onRemove: 'clear' }],
};
