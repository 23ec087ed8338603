import { AUDIT_LOG, BY_NAME, breakdownBy, type Order, type RoutingDeclarations } from '../shared/routing.js';

/** A membership's representative; its organisation may live in another region (another alliances instance). */
const MEMBERSHIP_REFERENCES = { 'input.representativeId': 'Person' } as const;

/** Memberships by the date they began (undated last), then by id: as the resolvers list them. */
const EARLIEST_FIRST: Order = [{ field: 'joinedOn' }, { field: 'id' }];

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
    deleteAlliance: { owner: 'id', deletes: 'id' },
    // A membership lives with its alliance.
    createMembership: {
      owner: 'input.allianceId',
      references: { 'input.allianceId': 'Alliance', 'input.organizationId': 'Organization', ...MEMBERSHIP_REFERENCES },
    },
    updateMembership: { owner: 'input.id', references: MEMBERSHIP_REFERENCES },
    deleteMembership: { owner: 'id' },
    createOrganization: { owner: 'input.region' },
    updateOrganization: { owner: 'input.id' },
    deleteOrganization: { owner: 'id', deletes: 'id' },
    forgetPersonInAlliances: { owner: 'personId' },
    importAlliances: { owner: 'input.region' },
    importOrganizations: { owner: 'input.region' },
    importMemberships: {
      owner: 'input.region', references: { 'input.rows.representativeId': 'Person', 'input.rows.organizationId': 'Organization' },
    },
  },
  extensions: {},
  // A membership lives with its alliance; its organisation with its own region, maybe on another instance.
  crossRegion: {
    Membership: { organization: { type: 'Organization', id: 'organizationId' } },
  },
  // An organisation's memberships are held with their alliances, in every region that names it.
  crossRegionLists: {
    Organization: { memberships: EARLIEST_FIRST },
  },
};
