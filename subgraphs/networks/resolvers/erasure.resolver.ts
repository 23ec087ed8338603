import { Arg, Ctx, ID, Resolver } from 'type-graphql';
import { ErasureStep, eraseReferences, type SubgraphContext } from '../../kit/index.js';
import { Talk } from '../entities/talk.js';

@Resolver()
export class NetworkErasureResolver {
  /** Talks stay part of the meeting's record, without the erased speaker. */
  @ErasureStep('networks')
  forgetPersonInNetworks(@Arg('personId', () => ID) personId: string, @Ctx() ctx: SubgraphContext) {
    return eraseReferences(ctx, personId, async (em) => {
      const talks = await em.find(Talk, { speakerId: personId });
      for (const talk of talks) talk.speakerId = null;
      await em.flush();
      return talks.length;
    });
  }
}
