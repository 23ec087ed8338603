import { AUDIT_LOG, breakdownBy, type Order, type RoutingDeclarations } from '../shared/routing.js';

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
        sum: ['total'],
        breakdowns: {
          byRegion: breakdownBy('region'),
          byFieldOfAction: breakdownBy('fieldOfAction'),
          byStatus: breakdownBy('status'),
          byFundingProgramme: breakdownBy('programme'),
          byYear: breakdownBy('year'),
        },
      },
    },
    projectsAuditLog: AUDIT_LOG,
  },
  mutation: {
    createProject: { owner: 'input.region' },
    updateProject: { owner: 'input.id' },
    deleteProject: { owner: 'id' },
    forgetPersonInProjects: { owner: 'personId' },
    importProjects: { owner: 'input.region' },
  },
  extensions: {
    Alliance: { projects: BY_TITLE },
  },
};
