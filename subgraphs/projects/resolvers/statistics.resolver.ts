import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { FieldOfAction, Region, SubgraphContext } from '../../kit/index.js';
import { Project } from '../entities/project.js';
import { ProjectStatistics } from '../entities/statistics.js';
import type { FundingProgramme, ProjectStatus } from '../enums.js';
import { ProjectFilter } from '../inputs/project.inputs.js';
import { projectWhere } from './project-where.js';

type Dimension = 'total' | 'region' | 'fieldOfAction' | 'status' | 'programme' | 'year';
interface CountRow { dimension: Dimension; key: string | null; count: number }

/**
 * Every breakdown as a GROUP BY over the filtered projects, in one statement. A project with
 * several fields of action appears once per field after `unnest`; the other breakdowns group
 * nulls together, so they add up to the total.
 */
const BREAKDOWNS = `
  select 'total' as dimension, null::text as key, cast(count(*) as int) as count from p
  union all select 'region', p.region, cast(count(*) as int) from p group by p.region
  union all select 'fieldOfAction', f.field, cast(count(*) as int)
    from p cross join lateral unnest(p.fields_of_action) as f(field) group by f.field
  union all select 'status', p.status, cast(count(*) as int) from p group by p.status
  union all select 'programme', p.funding_programme, cast(count(*) as int) from p group by p.funding_programme
  union all select 'year', left(p.starts_on, 4), cast(count(*) as int) from p group by left(p.starts_on, 4)
  order by dimension, count desc, key nulls last`;

@Resolver(() => ProjectStatistics)
export class StatisticsResolver {
  @Query(() => ProjectStatistics, { description: 'Dashboard numbers over the projects the filter selects (all without one).' })
  async projectStatistics(
    @Arg('filter', () => ProjectFilter, { nullable: true }) filter: ProjectFilter | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ProjectStatistics> {
    // The filtered projects come from the same translation the project list uses, with bound parameters.
    const filtered = ctx.em.createQueryBuilder(Project, 'p')
      .select(['region', 'status', 'fundingProgramme', 'startsOn', 'fieldsOfAction'])
      .where(projectWhere(filter) as never)
      .toQuery();
    const rows = await ctx.em.getConnection().execute<CountRow[]>(
      `with p as (${filtered.sql}) ${BREAKDOWNS}`, [...filtered.params]);
    const of = (dimension: Dimension) => rows.filter((row) => row.dimension === dimension);
    return {
      total: of('total')[0]?.count ?? 0,
      byRegion: of('region').map((r) => ({ region: r.key as Region, count: r.count })),
      byFieldOfAction: of('fieldOfAction').map((r) => ({ fieldOfAction: r.key as FieldOfAction, count: r.count })),
      byStatus: of('status').map((r) => ({ status: r.key as ProjectStatus | null, count: r.count })),
      byFundingProgramme: of('programme').map((r) => ({ programme: r.key as FundingProgramme | null, count: r.count })),
      byYear: of('year').map((r) => ({ year: r.key === null ? null : Number(r.key), count: r.count })),
    };
  }
}
