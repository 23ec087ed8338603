import { Arg, Ctx, ID, Resolver } from 'type-graphql';
import { ErasureStep, eraseReferences, type SubgraphContext } from '../../kit/index.js';
import { Project } from '../entities/project.js';

@Resolver()
export class ProjectErasureResolver {
  /** Projects stay; the erased person leaves their contacts. */
  @ErasureStep('projects')
  forgetPersonInProjects(@Arg('personId', () => ID) personId: string, @Ctx() ctx: SubgraphContext) {
    return eraseReferences(ctx, personId, async (em) => {
      const projects = await em.find(Project, { contactIds: { $contains: [personId] } });
      for (const project of projects) project.contactIds = project.contactIds.filter((id) => id !== personId);
      await em.flush();
      return projects.length;
    });
  }
}
