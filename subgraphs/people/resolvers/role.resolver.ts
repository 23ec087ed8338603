import { FieldResolver, Resolver, Root } from 'type-graphql';
import { AllianceContacts, allianceRef } from '../entities/alliance-contacts.js';
import { NetworkRef, networkRef } from '../entities/network-ref.js';
import { OrganizationRef, organizationRef } from '../entities/organization-ref.js';
import { Role } from '../entities/role.js';

/** The places a role belongs to, as references the gateway completes from their own subgraphs. */
@Resolver(() => Role)
export class RoleResolver {
  @FieldResolver(() => AllianceContacts, { nullable: true })
  alliance(@Root() role: Role) {
    return allianceRef(role.allianceId);
  }

  @FieldResolver(() => NetworkRef, { nullable: true })
  network(@Root() role: Role) {
    return networkRef(role.networkId);
  }

  @FieldResolver(() => OrganizationRef, { nullable: true })
  organization(@Root() role: Role) {
    return organizationRef(role.organizationId);
  }
}
