import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { readRows, type SubgraphContext } from '../../kit/index.js';
import { AllianceRef } from '../entities/alliance-ref.js';
import { Project } from '../entities/project.js';

@Resolver(() => AllianceRef)
export class AllianceProjectsResolver {
  @FieldResolver(() => [Project], {
    nullable: true, description: 'Projects the alliance leads or takes part in, in title order; null while the owning region cannot be reached.',
  })
  projects(@Root() alliance: AllianceRef, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.custom<Project[]>('Alliance.projects', async (ids) => {
      // One statement for every alliance of the request; the GIN index serves the `&&`.
      const rows = await readRows(ctx.em, Project, {
        $or: [{ leadAllianceId: { $in: [...ids] } }, { partnerAllianceIds: { $overlap: [...ids] } }],
      }, { orderBy: { sortKey: 'asc', id: 'asc' } });
      const groups = new Map<string, Project[]>(ids.map((id) => [id, []]));
      for (const project of rows) {
        const involved = new Set([project.leadAllianceId, ...project.partnerAllianceIds]);
        for (const id of involved) if (id) groups.get(id)?.push(project);
      }
      return ids.map((id) => groups.get(id) ?? []);
    }).load(alliance.id);
  }
}
