import type { ReferrerColumns } from '../kit/index.js';
import { Membership } from './entities/membership.js';

/**
 * The columns of this subgraph that name records a delete must look at. A membership's alliance
 * is not among them: memberships are part of their alliance and go with it. A membership's
 * organisation may live in another region's instance; this instance finds memberships naming it
 * wherever the organisation lives, and removing them deletes the memberships.
 */
export const allianceReferrers: ReferrerColumns = {
  Organization: [{ entity: Membership, property: 'organizationId', referrer: 'Membership', field: 'organization', onRemove: 'delete' }],
  Person: [{ entity: Membership, property: 'representativeId', referrer: 'Membership', field: 'representative', onRemove: 'clear' }],
};
