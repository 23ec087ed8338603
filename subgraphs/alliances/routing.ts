import { AUDIT_LOG, BY_NAME, breakdownBy, type RoutingDeclarations } from '../shared/routing.js';

/** How the gateway routes and merges the alliances subgraph across regional instances. */
export const alliancesRouting: RoutingDeclarations = {
  entities: ['Alliance', 'AuditEntry', 'Membership', 'Organization'],
  query: {
    alliances: { regions: 'filter.regions', merge: { kind: 'connection', order: BY_NAME } },
    alliance: { owner: 'id', merge: { kind: 'single' } },
    membership: { owner: 'id', merge: { kind: 'single' } },
    organizations: { regions: 'filter.regions', merge: { kind: 'connection', order: BY_NAME } },
    organization: { owner: 'id', merge: { kind: 'single' } },
    allianceStatistics: {
      regions: 'filter.regions',
      merge: {
        kind: 'aggregate',
        sum: ['total', 'memberships'],
        breakdowns: {
          byRegion: breakdownBy('region'),
          byFoundingYear: breakdownBy('year'),
          byFieldOfAction: breakdownBy('fieldOfAction'),
          // Organisations belong to one instance each, so per-instance distinct counts add up.
          organizationsByKind: breakdownBy('kind'),
          membershipsByYear: breakdownBy('year'),
        },
      },
    },
    alliancesAuditLog: AUDIT_LOG,
  },
  mutation: {
    createAlliance: { owner: 'input.region' },
    updateAlliance: { owner: 'input.id' },
    deleteAlliance: { owner: 'id' },
    // A membership lives with its alliance.
    createMembership: { owner: 'input.allianceId' },
    updateMembership: { owner: 'input.id' },
    deleteMembership: { owner: 'id' },
    createOrganization: { owner: 'input.region' },
    updateOrganization: { owner: 'input.id' },
    deleteOrganization: { owner: 'id' },
    forgetPersonInAlliances: { owner: 'personId' },
    importAlliances: { owner: 'input.region' },
    importOrganizations: { owner: 'input.region' },
    importMemberships: { owner: 'input.region' },
  },
  extensions: {},
};
