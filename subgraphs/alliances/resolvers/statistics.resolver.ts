import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import {
  breakdown, countOf, fieldOfActionCounts, overlapsPeriod, regionCounts, selectedFieldNames, statisticsStatement, whereAll, yearCounts,
  type CountRow, type StatisticsBranch, type SubgraphContext,
} from '../../kit/index.js';
import { Alliance } from '../entities/alliance.js';
import { AllianceStatistics } from '../entities/statistics.js';
import type { OrganizationKind } from '../enums.js';
import { AllianceStatisticsFilter } from '../inputs/statistics.inputs.js';

function allianceStatisticsWhere(filter: AllianceStatisticsFilter | undefined): FilterQuery<Alliance> {
  return whereAll<Alliance>(
    filter,
    filter?.fieldsOfAction && { fieldsOfAction: { $overlap: filter.fieldsOfAction } },
    // A founding date is a period of one year, month or day: it starts and ends with itself.
    (filter?.foundedFrom || filter?.foundedTo)
      && overlapsPeriod<Alliance>('foundedOn', 'foundedOn', { from: filter.foundedFrom, to: filter.foundedTo }, 'foundedTo'),
  );
}

/**
 * Each breakdown a GROUP BY, all selected ones in one statement (statisticsStatement): `a` holds
 * the selected alliances, `m` all their memberships. Organisations are counted distinct, so one in
 * several selected alliances counts once; only those of their alliance's region, which every
 * layout holds with the membership (a federal member of a state's alliance is held elsewhere, and
 * counted once per region would count twice).
 */
const MEMBERSHIPS = 'select m.organization_id, m.region, m.joined_on, m.left_on from membership m join a on a.id = m.alliance_id';
const BRANCHES: StatisticsBranch[] = [
  { fields: ['total'], select: `select 'total', null::text, cast(count(*) as int) from a` },
  { fields: ['byRegion'], select: `select 'region', a.region, cast(count(*) as int) from a group by a.region` },
  { fields: ['byFoundingYear'], select: `select 'foundingYear', left(a.founded_on, 4), cast(count(*) as int) from a group by left(a.founded_on, 4)` },
  { fields: ['byFieldOfAction'], select: `select 'fieldOfAction', f.field, cast(count(*) as int)
    from a cross join lateral unnest(a.fields_of_action) as f(field) group by f.field` },
  { fields: ['organizationsByKind'], reads: ['m'], select: `select 'organizationKind', o.kind, cast(count(distinct o.id) as int)
    from m join organization o on o.id = m.organization_id and o.region = m.region where m.left_on is null group by o.kind` },
  { fields: ['membershipsByYear'], reads: ['m'], select: `select 'membershipYear', left(m.joined_on, 4), cast(count(*) as int) from m group by left(m.joined_on, 4)` },
  { fields: ['memberships'], reads: ['m'], select: `select 'memberships', null::text, cast(count(*) as int) from m where m.left_on is null` },
];

@Resolver(() => AllianceStatistics)
export class AllianceStatisticsResolver {
  @Query(() => AllianceStatistics, { description: 'Dashboard numbers over the alliances the filter selects (all without one).' })
  async allianceStatistics(
    @Arg('filter', () => AllianceStatisticsFilter, { nullable: true }) filter: AllianceStatisticsFilter | undefined,
    @Ctx() ctx: SubgraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AllianceStatistics> {
    const selected = ctx.em.createQueryBuilder(Alliance, 'a')
      .select(['id', 'region', 'foundedOn', 'fieldsOfAction'])
      .where(allianceStatisticsWhere(filter) as never)
      .toQuery();
    const statement = statisticsStatement({ name: 'a', sql: selected.sql }, { m: MEMBERSHIPS }, BRANCHES, selectedFieldNames(info));
    const rows = await ctx.em.getConnection().execute<CountRow[]>(statement, [...selected.params]);
    return {
      total: countOf(rows, 'total'),
      byRegion: regionCounts(rows, 'region'),
      byFoundingYear: yearCounts(rows, 'foundingYear'),
      byFieldOfAction: fieldOfActionCounts(rows, 'fieldOfAction'),
      organizationsByKind: breakdown(rows, 'organizationKind', (key, count) => ({ kind: key as OrganizationKind, count })),
      membershipsByYear: yearCounts(rows, 'membershipYear'),
      memberships: countOf(rows, 'memberships'),
    };
  }
}
