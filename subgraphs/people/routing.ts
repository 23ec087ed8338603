import { AUDIT_LOG, type Order, type RoutingDeclarations } from '../shared/routing.js';

/** A role names an alliance, a network and/or an organisation. */
const ROLE_REFERENCES = {
  'input.roles.allianceId': 'Alliance', 'input.roles.networkId': 'Network', 'input.roles.organizationId': 'Organization',
} as const;

/** People are listed by family and given name (one sort key of both), then the id. */
const BY_FAMILY_NAME: Order = [{ field: ['familyName', 'givenName'], sortKey: true }, { field: 'id' }];

/** How the gateway routes and merges the people subgraph across regional instances. */
export const peopleRouting: RoutingDeclarations = {
  entities: ['AuditEntry', 'Person'],
  query: {
    people: { regions: 'filter.regions', merge: { kind: 'connection', order: BY_FAMILY_NAME } },
    person: { owner: 'id', merge: { kind: 'single' } },
    peopleAuditLog: AUDIT_LOG,
  },
  mutation: {
    createPerson: { owner: 'input.region', references: ROLE_REFERENCES },
    updatePerson: { owner: 'input.id', references: ROLE_REFERENCES },
    deletePerson: { owner: 'id', deletes: 'id' },
    forgetPersonInPeople: { owner: 'personId' },
    importPeople: { owner: 'input.region' },
  },
  extensions: {
    Alliance: { contacts: BY_FAMILY_NAME },
  },
};
