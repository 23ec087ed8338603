import { FieldResolver, Resolver, Root } from 'type-graphql';
import { AllianceRef, allianceRef } from '../entities/alliance-ref.js';
import { NetworkMember } from '../entities/network-member.js';
import { NetworkPartner } from '../entities/network-partner.js';
import { OrganizationRef, organizationRef } from '../entities/organization-ref.js';

@Resolver(() => NetworkMember)
export class NetworkMemberResolver {
  @FieldResolver(() => AllianceRef, { nullable: true, description: 'The member alliance; null while the owning region cannot be reached.' })
  alliance(@Root() member: NetworkMember) {
    return allianceRef(member.allianceId);
  }
}

@Resolver(() => NetworkPartner)
export class NetworkPartnerResolver {
  @FieldResolver(() => OrganizationRef, { nullable: true, description: 'The partner organisation; null while the owning region cannot be reached.' })
  organization(@Root() partner: NetworkPartner) {
    return organizationRef(partner.organizationId);
  }
}
