import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import {
  breakdown, countOf, regionCounts, selectedFieldNames, statisticsStatement, whereAll, yearCounts,
  type CountRow, type StatisticsBranch, type SubgraphContext,
} from '../../kit/index.js';
import { Network } from '../entities/network.js';
import { NetworkMemberCount, NetworkStatistics } from '../entities/statistics.js';
import type { NetworkKind } from '../enums.js';
import { NetworkStatisticsFilter } from '../inputs/statistics.inputs.js';

function networkStatisticsWhere(filter: NetworkStatisticsFilter | undefined): FilterQuery<Network> {
  return whereAll<Network>(filter, filter?.kinds && { kind: { $in: filter.kinds } });
}

/**
 * Each breakdown a GROUP BY over the selected networks `n`, all selected ones in one statement
 * (statisticsStatement). `sort` orders the member counts by name (the byte-wise sort key) after
 * the count; it is null for the other rows.
 */
const BRANCHES: StatisticsBranch[] = [
  { fields: ['total'], select: `select 'total', null::text, cast(count(*) as int), null::text from n` },
  { fields: ['byKind'], select: `select 'kind', n.kind, cast(count(*) as int), null::text from n group by n.kind` },
  { fields: ['byRegion'], select: `select 'region', n.region, cast(count(*) as int), null::text from n group by n.region` },
  { fields: ['memberCounts'], select: `select 'members', n.id, cast(count(nm.id) as int), n.sort_key
    from n left join network_member nm on nm.network_id = n.id and nm.until is null group by n.id, n.sort_key` },
  { fields: ['meetingsByYear'], select: `select 'meetingYear', left(mt.date, 4), cast(count(*) as int), null::text
    from meeting mt join n on n.id = mt.network_id group by left(mt.date, 4)` },
];
const SHAPE = { columns: ['dimension', 'key', 'count', 'sort'], orderBy: 'dimension, count desc, sort collate "C", key nulls last' };

@Resolver(() => NetworkStatistics)
export class NetworkStatisticsResolver {
  @Query(() => NetworkStatistics, { description: 'Dashboard numbers over the networks the filter selects (all without one).' })
  async networkStatistics(
    @Arg('filter', () => NetworkStatisticsFilter, { nullable: true }) filter: NetworkStatisticsFilter | undefined,
    @Ctx() ctx: SubgraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<NetworkStatistics> {
    const selected = ctx.em.createQueryBuilder(Network, 'n')
      .select(['id', 'region', 'kind', 'sortKey'])
      .where(networkStatisticsWhere(filter) as never)
      .toQuery();
    const statement = statisticsStatement({ name: 'n', sql: selected.sql }, {}, BRANCHES, selectedFieldNames(info), SHAPE);
    const rows = await ctx.em.getConnection().execute<CountRow[]>(statement, [...selected.params]);
    return {
      total: countOf(rows, 'total'),
      byKind: breakdown(rows, 'kind', (key, count) => ({ kind: key as NetworkKind, count })),
      byRegion: regionCounts(rows, 'region'),
      memberCounts: breakdown(rows, 'members', (key, count) => ({ networkId: key as string, members: count })),
      meetingsByYear: yearCounts(rows, 'meetingYear'),
    };
  }
}

@Resolver(() => NetworkMemberCount)
export class NetworkMemberCountResolver {
  @FieldResolver(() => Network)
  network(@Root() row: NetworkMemberCount, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.byId(Network).load(row.networkId);
  }
}
