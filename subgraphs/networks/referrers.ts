import type { ReferrerColumns } from '../kit/index.js';
import { Network } from './entities/network.js';
import { NetworkMember } from './entities/network-member.js';
import { NetworkPartner } from './entities/network-partner.js';
import { Talk } from './entities/talk.js';

/**
 * The columns of this subgraph that name records of other subgraphs, for deletes. A member or
 * partner row exists only for its reference, so removing the reference deletes the row; a talk
 * stays part of its meeting without the speaker or organisation.
 */
export const networkReferrers: ReferrerColumns = {
  Alliance: [{ entity: NetworkMember, property: 'allianceId', referrer: 'Network', referrerId: 'network', field: 'memberAlliances', onRemove: 'delete' }],
  Organization: [
    { entity: NetworkPartner, property: 'organizationId', referrer: 'Network', referrerId: 'network', field: 'partners', onRemove: 'delete' },
    { entity: Network, property: 'coordinatingBodyId', referrer: 'Network', field: 'coordinatingBody', onRemove: 'clear' },
    { entity: Talk, property: 'organizationId', referrer: 'Meeting', referrerId: 'meeting', field: 'talks.organization', onRemove: 'clear' },
  ],
  Person: [{ entity: Talk, property: 'speakerId', referrer: 'Meeting', referrerId: 'meeting', field: 'talks.speaker', onRemove: 'clear' }],
};
