import { AuditLogResolver, RegionalEntity, defineSubgraph, referenceById } from '../kit/index.js';
import { Alliance } from './entities/alliance.js';
import { Membership } from './entities/membership.js';
import { Organization } from './entities/organization.js';
import { migrations } from './migrations/index.js';
import { AllianceResolver } from './resolvers/alliance.resolver.js';
import { MembershipResolver } from './resolvers/membership.resolver.js';
import { OrganizationResolver } from './resolvers/organization.resolver.js';
import { AllianceStatisticsResolver } from './resolvers/statistics.resolver.js';
import { AllianceErasureResolver } from './resolvers/erasure.resolver.js';
import { seedAlliances } from './seed.js';
import { AllianceImportResolver } from './resolvers/import.resolver.js';

/** Alliances, their member organisations and memberships, with the dashboard statistics. */
export const alliancesSubgraph = defineSubgraph({
  name: 'alliances',
  entities: [RegionalEntity, Alliance, Organization, Membership],
  migrations,
  resolvers: [
    AllianceResolver, OrganizationResolver, MembershipResolver, AllianceStatisticsResolver, AllianceErasureResolver, AllianceImportResolver,
    AuditLogResolver('alliances'),
  ],
  referenceResolvers: {
    Alliance: referenceById(Alliance),
    Organization: referenceById(Organization),
    Membership: referenceById(Membership),
  },
  seed: seedAlliances,
});
