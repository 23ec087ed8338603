import type { EntityManager } from '@mikro-orm/postgresql';
import { assertNotBefore, badInput, deleteLogged, makeId } from '../../kit/index.js';
import type { Network } from '../entities/network.js';
import { NetworkMember } from '../entities/network-member.js';
import { NetworkPartner } from '../entities/network-partner.js';
import type { NetworkMemberInput, NetworkPartnerInput } from '../inputs/network.inputs.js';

/** Refuses a member list that names an alliance twice or ends a membership before it began. */
export function checkMembers(members: NetworkMemberInput[] | null | undefined): void {
  const seen = new Set<string>();
  (members ?? []).forEach((member, index) => {
    if (seen.has(member.allianceId)) {
      throw badInput(`Alliance "${member.allianceId}" is listed twice`, `memberAlliances[${index}].allianceId`);
    }
    seen.add(member.allianceId);
    assertNotBefore(member.until, member.since, `memberAlliances[${index}].until`);
  });
}

/** Child rows take the network's region, so the whole network lives on one instance. */
export function addMembers(em: EntityManager, network: Network, members: NetworkMemberInput[]): void {
  for (const member of members) {
    em.create(NetworkMember, {
      id: makeId(network.region, 'networkMember'), region: network.region, network,
      allianceId: member.allianceId, since: member.since ?? null, until: member.until ?? null,
    } as never);
  }
}

export function addPartners(em: EntityManager, network: Network, partners: NetworkPartnerInput[]): void {
  for (const partner of partners) {
    em.create(NetworkPartner, {
      id: makeId(network.region, 'networkPartner'), region: network.region, network,
      organizationId: partner.organizationId, role: partner.role ?? null, since: partner.since ?? null,
    } as never);
  }
}

/**
 * Replaces the stored members and partners a patch names (null empties a list). The old rows
 * are deleted first (and logged): the unit of work would insert before deleting and trip the unique key.
 */
export async function replaceLists(
  em: EntityManager, network: Network,
  lists: { memberAlliances?: NetworkMemberInput[] | null; partners?: NetworkPartnerInput[] | null },
): Promise<boolean> {
  let changed = false;
  if (lists.memberAlliances !== undefined) {
    await deleteLogged(em, NetworkMember, { network });
    addMembers(em, network, lists.memberAlliances ?? []);
    changed = true;
  }
  if (lists.partners !== undefined) {
    await deleteLogged(em, NetworkPartner, { network });
    addPartners(em, network, lists.partners ?? []);
    changed = true;
  }
  return changed;
}

