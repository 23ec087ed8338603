import { AuditLogResolver, IntegrityResolver, RegionalEntity, defineSubgraph, referenceById } from '../kit/index.js';
import { networkReferrers } from './referrers.js';
import { Meeting } from './entities/meeting.js';
import { Network } from './entities/network.js';
import { NetworkMember } from './entities/network-member.js';
import { NetworkPartner } from './entities/network-partner.js';
import { Talk } from './entities/talk.js';
import { migrations } from './migrations/index.js';
import { AllianceNetworksResolver } from './resolvers/alliance.resolver.js';
import { MeetingResolver } from './resolvers/meeting.resolver.js';
import { NetworkMemberResolver, NetworkPartnerResolver } from './resolvers/network-member.resolver.js';
import { NetworkResolver } from './resolvers/network.resolver.js';
import { NetworkMemberCountResolver, NetworkStatisticsResolver } from './resolvers/statistics.resolver.js';
import { TalkResolver } from './resolvers/talk.resolver.js';
import { NetworkErasureResolver } from './resolvers/erasure.resolver.js';
import { seedNetworks } from './seed.js';

/** State and regional networks of alliances, their members, partners and meetings with talks, with the dashboard statistics. */
export const networksSubgraph = defineSubgraph({
  name: 'networks',
  entities: [RegionalEntity, Network, NetworkMember, NetworkPartner, Meeting, Talk],
  migrations,
  resolvers: [
    NetworkResolver, NetworkMemberResolver, NetworkPartnerResolver, MeetingResolver, TalkResolver, AllianceNetworksResolver,
    NetworkStatisticsResolver, NetworkMemberCountResolver, NetworkErasureResolver, AuditLogResolver('networks'), IntegrityResolver('networks', networkReferrers),
  ],
  referenceResolvers: {
    Network: referenceById(Network),
    Meeting: referenceById(Meeting),
    // Only the key is needed: Alliance.networks resolves from it.
    Alliance: (reference) => ({ id: reference.id }),
  },
  references: {
    Alliance: [{ entity: NetworkMember, property: 'allianceId' }],
  },
  seed: seedNetworks,
});
