import {
  AuditLogResolver, IntegrityResolver, RegionalEntity, defineSubgraph, referenceById, servesId, type SubgraphContext,
} from '../kit/index.js';
import { allianceReferrers } from './referrers.js';
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
    AuditLogResolver('alliances'), IntegrityResolver('alliances', allianceReferrers),
  ],
  referenceResolvers: {
    Alliance: referenceById(Alliance),
    // Another region's organisation is asked here only for the memberships held here (routing.ts, crossRegionLists).
    Organization: (reference: { id: string }, context: SubgraphContext) => (servesId(context.regions, reference.id)
      ? context.loaders.byId(Organization).load(reference.id) : { id: reference.id }),
    Membership: referenceById(Membership),
  },
  // The regions of the organisations its memberships name: the gateway asks it for their memberships (routing.ts).
  references: { Organization: [{ entity: Membership, property: 'organizationId' }] },
  seed: seedAlliances,
});
