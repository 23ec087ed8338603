import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/index.js';
import { AllianceRef } from '../entities/alliance-ref.js';
import { Network } from '../entities/network.js';
import { NetworkMember } from '../entities/network-member.js';

/** Current memberships of many alliances with their networks, in one joined statement. */
function currentNetworksOf(ctx: SubgraphContext) {
  return ctx.loaders.custom<Network[]>('allianceNetworks', async (allianceIds) => {
    const members = await ctx.em.find(NetworkMember, { allianceId: { $in: [...allianceIds] }, until: null }, {
      populate: ['network'],
      strategy: 'joined',
      orderBy: { network: { sortKey: 'asc', id: 'asc' } },
    });
    const groups = new Map<string, Network[]>(allianceIds.map((id) => [id, []]));
    for (const member of members) groups.get(member.allianceId)?.push(member.network);
    return allianceIds.map((id) => groups.get(id) ?? []);
  });
}

@Resolver(() => AllianceRef)
export class AllianceNetworksResolver {
  @FieldResolver(() => [Network], {
    nullable: true, description: 'The networks the alliance is currently a member of, in name order; null while the owning region cannot be reached.',
  })
  networks(@Root() alliance: AllianceRef, @Ctx() ctx: SubgraphContext) {
    return currentNetworksOf(ctx).load(alliance.id);
  }
}
