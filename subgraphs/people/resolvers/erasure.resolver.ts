import { Arg, Ctx, ID, Resolver } from 'type-graphql';
import { ErasureStep, eraseReferences, type SubgraphContext } from '../../kit/index.js';
import { Person } from '../entities/person.js';

@Resolver()
export class PersonErasureResolver {
  /** The last step: the person with their roles, contact data and consent record. */
  @ErasureStep('people')
  forgetPersonInPeople(@Arg('personId', () => ID) personId: string, @Ctx() ctx: SubgraphContext) {
    return eraseReferences(ctx, personId, async (em) => {
      const person = await em.findOne(Person, { id: personId });
      if (!person) return 0;
      em.remove(person);
      await em.flush();
      return 1;
    });
  }
}
