import { Arg, Ctx, ID, Resolver } from 'type-graphql';
import { ErasureStep, eraseReferences, type SubgraphContext } from '../../kit/index.js';
import { Membership } from '../entities/membership.js';

@Resolver()
export class AllianceErasureResolver {
  /** Memberships stay (they are the organisation's), without the erased representative. */
  @ErasureStep('alliances')
  forgetPersonInAlliances(@Arg('personId', () => ID) personId: string, @Ctx() ctx: SubgraphContext) {
    return eraseReferences(ctx, personId, async (em) => {
      const memberships = await em.find(Membership, { representativeId: personId });
      for (const membership of memberships) membership.representativeId = null;
      await em.flush();
      return memberships.length;
    });
  }
}
