import { AUDIT_LOG, breakdownBy, type Order, type RoutingDeclarations } from '../shared/routing.js';

/** The records a project names. */
const PROJECT_REFERENCES = {
  'input.leadAllianceId': 'Alliance', 'input.partnerAllianceIds': 'Alliance', 'input.partnerOrganizationIds': 'Organization', 'input.contactIds': 'Person',
} as const;

/** Projects are listed by title: its sort key, then the id (what the cursors carry). */
const BY_TITLE: Order = [{ field: 'title', sortKey: true }, { field: 'id' }];

/** How the gateway routes and merges the projects subgraph across regional instances. */
export const projectsRouting: RoutingDeclarations = {
  entities: ['AuditEntry', 'Project'],
  query: {
    projects: { regions: 'filter.regions', merge: { kind: 'connection', order: BY_TITLE } },
    project: { owner: 'id', merge: { kind: 'single' } },
    projectStatistics: {
      regions: 'filter.regions',
      merge: {
        kind: 'aggregate',
        sum: ['total', 'fundingLines', 'linesWithoutAmount'],
        breakdowns: {
          byRegion: breakdownBy('region'),
          byFieldOfAction: breakdownBy('fieldOfAction'),
          byStatus: breakdownBy('status'),
          byFundingProgramme: breakdownBy('programme'),
          byYear: breakdownBy('year'),
          amountByProgramme: breakdownBy('programme', 'amountCents'),
          amountByRegion: breakdownBy('region', 'amountCents'),
          amountByYear: breakdownBy('year', 'amountCents'),
          linesWithoutAmountByProgramme: breakdownBy('programme'),
          linesWithoutAmountByRegion: breakdownBy('region'),
          linesWithoutAmountByYear: breakdownBy('year'),
        },
      },
    },
    projectsAuditLog: AUDIT_LOG,
  },
  mutation: {
    createProject: { owner: 'input.region', references: PROJECT_REFERENCES },
    updateProject: { owner: 'input.id', references: PROJECT_REFERENCES },
    deleteProject: { owner: 'id' },
    forgetPersonInProjects: { owner: 'personId' },
    importProjects: {
      owner: 'input.region',
      references: {
        'input.rows.leadAllianceId': 'Alliance', 'input.rows.partnerAllianceIds': 'Alliance',
        'input.rows.partnerOrganizationIds': 'Organization', 'input.rows.contactIds': 'Person',
      },
    },
  },
  extensions: {
    Alliance: { projects: BY_TITLE },
  },
};
