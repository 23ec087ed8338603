import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Info, Query, Resolver } from 'type-graphql';
import { selectedFieldNames, statisticsStatement, type FieldOfAction, type Region, type StatisticsBranch, type SubgraphContext } from '../../kit/index.js';
import { Project } from '../entities/project.js';
import { ProjectStatistics } from '../entities/statistics.js';
import type { FundingProgramme, ProjectStatus } from '../enums.js';
import { ProjectFilter } from '../inputs/project.inputs.js';
import { projectWhere } from './project-where.js';

type Dimension =
  | 'total' | 'region' | 'fieldOfAction' | 'status' | 'programme' | 'year'
  | 'lines' | 'linesWithoutAmount' | 'amountByProgramme' | 'amountByRegion' | 'amountByYear'
  | 'unknownByProgramme' | 'unknownByRegion' | 'unknownByYear';
/** `count` is a bigint (the sums of cents may pass 2^31), which the driver hands over as text. */
interface CountRow { dimension: Dimension; key: string | null; count: string }

/**
 * Each breakdown a GROUP BY over the filtered projects `p`, all selected ones in one statement
 * (statisticsStatement). A project with several fields of action appears once per field after
 * `unnest`; the other breakdowns group nulls together, so they add up to the total. Money comes
 * from the projects' funding lines `l`: known amounts are summed, unknown ones counted apart, so
 * an unknown amount never reads as 0 €.
 */
const BRANCHES: StatisticsBranch[] = [
  { fields: ['total'], select: `select 'total' as dimension, null::text as key, count(*) as count from p` },
  { fields: ['byRegion'], select: `select 'region', p.region, count(*) from p group by p.region` },
  { fields: ['byFieldOfAction'], select: `select 'fieldOfAction', f.field, count(*)
    from p cross join lateral unnest(p.fields_of_action) as f(field) group by f.field` },
  { fields: ['byStatus'], select: `select 'status', p.status, count(*) from p group by p.status` },
  { fields: ['byFundingProgramme'], select: `select 'programme', p.funding_programme, count(*) from p group by p.funding_programme` },
  { fields: ['byYear'], select: `select 'year', left(p.starts_on, 4), count(*) from p group by left(p.starts_on, 4)` },
  { fields: ['fundingLines'], reads: ['l'], select: `select 'lines', null, count(*) from l` },
  { fields: ['linesWithoutAmount'], reads: ['l'], select: `select 'linesWithoutAmount', null, count(*) from l where l.amount_cents is null` },
  { fields: ['amountByProgramme'], reads: ['l'],
    select: `select 'amountByProgramme', l.programme, sum(l.amount_cents)::bigint from l where l.amount_cents is not null group by l.programme` },
  { fields: ['amountByRegion'], reads: ['l'],
    select: `select 'amountByRegion', l.region, sum(l.amount_cents)::bigint from l where l.amount_cents is not null group by l.region` },
  { fields: ['amountByYear'], reads: ['l'],
    select: `select 'amountByYear', l.year, sum(l.amount_cents)::bigint from l where l.amount_cents is not null group by l.year` },
  { fields: ['linesWithoutAmountByProgramme'], reads: ['l'],
    select: `select 'unknownByProgramme', l.programme, count(*) from l where l.amount_cents is null group by l.programme` },
  { fields: ['linesWithoutAmountByRegion'], reads: ['l'],
    select: `select 'unknownByRegion', l.region, count(*) from l where l.amount_cents is null group by l.region` },
  { fields: ['linesWithoutAmountByYear'], reads: ['l'],
    select: `select 'unknownByYear', l.year, count(*) from l where l.amount_cents is null group by l.year` },
];

const LINES = `select p.region, fl.programme, fl.amount_cents, left(coalesce(fl.starts_on, p.starts_on), 4) as year
  from p join funding_line fl on fl.project_id = p.id`;

/** A count or a sum of cents as a number; past 2^53 it would no longer be exact, so it is refused rather than rounded. */
function numberOf(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`A statistics figure (${text}) is beyond what a JSON number carries exactly`);
  return value;
}

@Resolver(() => ProjectStatistics)
export class StatisticsResolver {
  @Query(() => ProjectStatistics, { description: 'Dashboard numbers over the projects the filter selects (all without one).' })
  async projectStatistics(
    @Arg('filter', () => ProjectFilter, { nullable: true }) filter: ProjectFilter | undefined,
    @Ctx() ctx: SubgraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProjectStatistics> {
    // The filtered projects come from the same translation the project list uses, with bound parameters.
    const filtered = ctx.em.createQueryBuilder(Project, 'p')
      .select(['id', 'region', 'status', 'fundingProgramme', 'startsOn', 'fieldsOfAction'])
      .where(projectWhere(filter) as never)
      .toQuery();
    const statement = statisticsStatement({ name: 'p', sql: filtered.sql }, { l: LINES }, BRANCHES, selectedFieldNames(info));
    const rows = await ctx.em.getConnection().execute<CountRow[]>(statement, [...filtered.params]);
    const of = (dimension: Dimension) => rows.filter((row) => row.dimension === dimension)
      .map((row) => ({ key: row.key, count: numberOf(row.count) }));
    const year = (key: string | null) => (key === null ? null : Number(key));
    return {
      total: of('total')[0]?.count ?? 0,
      byRegion: of('region').map((r) => ({ region: r.key as Region, count: r.count })),
      byFieldOfAction: of('fieldOfAction').map((r) => ({ fieldOfAction: r.key as FieldOfAction, count: r.count })),
      byStatus: of('status').map((r) => ({ status: r.key as ProjectStatus | null, count: r.count })),
      byFundingProgramme: of('programme').map((r) => ({ programme: r.key as FundingProgramme | null, count: r.count })),
      byYear: of('year').map((r) => ({ year: year(r.key), count: r.count })),
      fundingLines: of('lines')[0]?.count ?? 0,
      linesWithoutAmount: of('linesWithoutAmount')[0]?.count ?? 0,
      amountByProgramme: of('amountByProgramme').map((r) => ({ programme: r.key as FundingProgramme, amountCents: r.count })),
      amountByRegion: of('amountByRegion').map((r) => ({ region: r.key as Region, amountCents: r.count })),
      amountByYear: of('amountByYear').map((r) => ({ year: year(r.key), amountCents: r.count })),
      linesWithoutAmountByProgramme: of('unknownByProgramme').map((r) => ({ programme: r.key as FundingProgramme, count: r.count })),
      linesWithoutAmountByRegion: of('unknownByRegion').map((r) => ({ region: r.key as Region, count: r.count })),
      linesWithoutAmountByYear: of('unknownByYear').map((r) => ({ year: year(r.key), count: r.count })),
    };
  }
}
