import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/index.js';
import { AllianceRef } from '../entities/alliance-ref.js';
import { Network } from '../entities/network.js';
import { NetworkMember } from '../entities/network-member.js';

@Resolver(() => AllianceRef)
export class AllianceNetworksResolver {
  @FieldResolver(() => [Network], {
    nullable: true, description: 'The networks the alliance is currently a member of, in name order; null while the owning region cannot be reached.',
  })
  networks(@Root() alliance: AllianceRef, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.linkedBy(NetworkMember, 'allianceId', { target: 'network', entity: Network, where: { until: null }, name: 'current' })
      .load(alliance.id);
  }
}
