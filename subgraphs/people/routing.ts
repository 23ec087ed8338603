import { AUDIT_LOG, type Order, type RoutingDeclarations } from '../shared/routing.js';

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
    createPerson: { owner: 'input.region' },
    updatePerson: { owner: 'input.id' },
    deletePerson: { owner: 'id' },
    forgetPersonInPeople: { owner: 'personId' },
    importPeople: { owner: 'input.region' },
  },
  extensions: {
    Alliance: { contacts: BY_FAMILY_NAME },
  },
};
