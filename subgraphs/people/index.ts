import { AuditLogResolver, IntegrityResolver, RegionalEntity, defineSubgraph, referenceById } from '../kit/index.js';
import { personReferrers } from './referrers.js';
import { Person } from './entities/person.js';
import { Role } from './entities/role.js';
import { migrations } from './migrations/index.js';
import { AllianceContactsResolver } from './resolvers/alliance-contacts.resolver.js';
import { PersonMutationResolver } from './resolvers/person-mutation.resolver.js';
import { PersonResolver } from './resolvers/person.resolver.js';
import { RoleResolver } from './resolvers/role.resolver.js';
import { PersonErasureResolver } from './resolvers/erasure.resolver.js';
import { seedPeople } from './seed.js';
import { PersonImportResolver } from './resolvers/import.resolver.js';

/** People, their roles in alliances, networks and organisations, and their consent-guarded contact details. */
export const peopleSubgraph = defineSubgraph({
  name: 'people',
  entities: [RegionalEntity, Person, Role],
  migrations,
  resolvers: [
    PersonResolver, PersonMutationResolver, RoleResolver, AllianceContactsResolver, PersonErasureResolver, PersonImportResolver,
    AuditLogResolver('people'), IntegrityResolver('people', personReferrers),
  ],
  referenceResolvers: {
    Person: referenceById(Person),
    Alliance: (reference) => ({ id: reference.id }),
  },
  references: { Alliance: [{ entity: Role, property: 'allianceId' }] },
  seed: seedPeople,
});
