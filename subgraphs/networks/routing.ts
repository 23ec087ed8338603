import { AUDIT_LOG, BY_NAME, breakdownBy, type RoutingDeclarations } from '../shared/routing.js';

/** Talks name their speaker and organisation. */
const TALK_REFERENCES = { 'input.talks.speakerId': 'Person', 'input.talks.organizationId': 'Organization' } as const;
/** A network names its coordinating body, member alliances (of any region) and partners. */
const NETWORK_REFERENCES = {
  'input.coordinatingBodyId': 'Organization', 'input.memberAlliances.allianceId': 'Alliance', 'input.partners.organizationId': 'Organization',
} as const;

/** How the gateway routes and merges the networks subgraph across regional instances. */
export const networksRouting: RoutingDeclarations = {
  entities: ['AuditEntry', 'Meeting', 'Network'],
  query: {
    meeting: { owner: 'id', merge: { kind: 'single' } },
    networks: { owner: 'region', merge: { kind: 'list', order: BY_NAME } },
    network: { owner: 'id', merge: { kind: 'single' } },
    networkStatistics: {
      regions: 'filter.regions',
      merge: {
        kind: 'aggregate',
        sum: ['total'],
        breakdowns: {
          byKind: breakdownBy('kind'),
          byRegion: breakdownBy('region'),
          // Most members first, then by the network's name, as each instance orders them.
          memberCounts: {
            key: ['network.id'],
            count: 'members',
            order: [{ field: 'members', direction: 'desc' }, { field: 'network.name', sortKey: true }, { field: 'network.id' }],
          },
          meetingsByYear: breakdownBy('year'),
        },
      },
    },
    networksAuditLog: AUDIT_LOG,
  },
  mutation: {
    createMeeting: { owner: 'input.networkId', references: { 'input.networkId': 'Network', ...TALK_REFERENCES } },
    updateMeeting: { owner: 'input.id', references: TALK_REFERENCES },
    deleteMeeting: { owner: 'id' },
    createNetwork: { owner: 'input.region', references: NETWORK_REFERENCES },
    updateNetwork: { owner: 'input.id', references: NETWORK_REFERENCES },
    deleteNetwork: { owner: 'id', deletes: 'id' },
    forgetPersonInNetworks: { owner: 'personId' },
  },
  extensions: {
    Alliance: { networks: BY_NAME },
  },
};
