import { AUDIT_LOG, BY_NAME, breakdownBy, type RoutingDeclarations } from '../shared/routing.js';

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
    createMeeting: { owner: 'input.networkId' },
    updateMeeting: { owner: 'input.id' },
    deleteMeeting: { owner: 'id' },
    createNetwork: { owner: 'input.region' },
    updateNetwork: { owner: 'input.id' },
    deleteNetwork: { owner: 'id' },
    forgetPersonInNetworks: { owner: 'personId' },
  },
  extensions: {
    Alliance: { networks: BY_NAME },
  },
};
