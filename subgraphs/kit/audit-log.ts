import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, GraphQLISODateTime, ID, Info, InputType, Query, Resolver } from 'type-graphql';
import { ArrayMaxSize } from 'class-validator';
import type { FilterQuery } from '@mikro-orm/core';
import { AuditEntry } from './audit.js';
import { refusal, type Viewer } from './auth.js';
import type { SubgraphContext } from './context.js';
import { badInput } from './errors.js';
import { tryParseId } from './ids.js';
import { ConnectionType, PageArgs, assertPageSize, countsTotal, decodeCursor, encodeCursor, type Connection } from './pagination.js';
import { REGIONS, Region } from './region.js';
import type { SubgraphName } from './subgraph.js';

@InputType({ description: 'Which audit entries to read; every part given must match.' })
export class AuditLogFilter {
  @ArrayMaxSize(100, { message: '$property may name at most 100 values' })
  @Field(() => [Region], { nullable: true, description: 'Only these regions; absent or empty: every region the viewer administers.' })
  regions?: Region[] | null;

  @Field(() => ID, { nullable: true, description: 'Only the entries of this record (any kind of id, deleted records\' too).' })
  recordId?: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Only entries written at or after this instant.' })
  from?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Only entries written before this instant.' })
  to?: Date | null;
}

/** The same page type in every subgraph, so a client reads all four logs with one fragment. */
export const AuditEntryConnection = ConnectionType(AuditEntry, 'AuditEntry', { shareable: true });

/** Reading a region's audit log is for its admins and hub admins; `admin:XX` reads XX only. */
export function canReadAuditLog(viewer: Viewer, region: Region): boolean {
  return viewer.hubAdmin || viewer.admin.has(region);
}

function refuseAuditLog(viewer: Viewer, region?: Region): never {
  throw refusal(viewer, 'Reading the audit log needs a signed-in admin', `read the audit log${region ? ` of region ${region}` : ''}`, region);
}

/**
 * The regions whose entries this instance answers with: those the filter names (the record's,
 * the listed ones) or else all the viewer may read, kept to the regions the instance owns. A
 * region named but not readable is refused, not silently left out.
 */
function regionsToRead(ctx: SubgraphContext, filter: AuditLogFilter): Region[] {
  const { viewer } = ctx;
  if (!viewer.hubAdmin && viewer.admin.size === 0) refuseAuditLog(viewer);
  let wanted: Region[] = filter.regions?.length ? [...new Set(filter.regions)] : viewer.hubAdmin ? [...REGIONS] : [...viewer.admin];
  if (filter.recordId != null) {
    const record = tryParseId(filter.recordId);
    if (!record) throw badInput(`"${filter.recordId}" is not a record id (expected REGION:kind:KEY, e.g. SL:alliance:…)`, 'filter.recordId');
    wanted = filter.regions?.length && !filter.regions.includes(record.region) ? [] : [record.region];
  }
  const denied = wanted.find((region) => !canReadAuditLog(viewer, region));
  if (denied) refuseAuditLog(viewer, denied);
  return wanted.filter((region) => !ctx.regions || ctx.regions.has(region));
}

/** The last instant a cursor can name; keys count the milliseconds down to it. */
const END_OF_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const KEY_DIGITS = String(END_OF_TIME).length;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The sort key of an entry in a cursor: the gateway merges pages byte-wise ascending, so newest
 * first needs a key that grows as time goes back — the milliseconds left until the year 10000,
 * zero-padded. The id after it (`REGION:auditEntry:<uuid>`) breaks ties by region, then uuid.
 */
export function newestFirstKey(at: Date): string {
  return String(END_OF_TIME - at.getTime()).padStart(KEY_DIGITS, '0');
}

/** Where a page continues: after the entry written at `at` with this region and uuid. */
function readAuditCursor(cursor: string): { at: Date; region: Region; id: string } {
  const [key, publicId] = decodeCursor(cursor);
  const id = tryParseId(publicId);
  if (!new RegExp(`^\\d{${KEY_DIGITS}}$`).test(key) || id?.kind !== 'auditEntry' || !UUID.test(id.key)) {
    throw badInput(`"${cursor}" is not a cursor of this list`, 'after');
  }
  return { at: new Date(END_OF_TIME - Number(key)), region: id.region, id: id.key };
}

/** A page of the audit log, newest first (ties by region, then id); one select, and one count if the total is selected. */
export async function readAuditLog(ctx: SubgraphContext, filter: AuditLogFilter, page: PageArgs, info?: GraphQLResolveInfo): Promise<Connection<AuditEntry>> {
  const regions = regionsToRead(ctx, filter);
  assertPageSize(page);
  if (filter.from && filter.to && filter.to <= filter.from) throw badInput('filter.to must be after filter.from', 'filter.to');
  const cursor = page.after ? readAuditCursor(page.after) : undefined;
  if (regions.length === 0) return { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
  const conditions: FilterQuery<AuditEntry>[] = [
    { region: { $in: regions } },
    ...(filter.recordId != null ? [{ entityId: filter.recordId }] : []),
    ...(filter.from ? [{ at: { $gte: filter.from } }] : []),
    ...(filter.to ? [{ at: { $lt: filter.to } }] : []),
  ];
  const after: FilterQuery<AuditEntry>[] = cursor ? [{
    $or: [
      { at: { $lt: cursor.at } },
      { at: cursor.at, region: { $gt: cursor.region } },
      { at: cursor.at, region: cursor.region, id: { $gt: cursor.id } },
    ],
  }] : [];
  const [totalCount, rows] = await Promise.all([
    countsTotal(info) ? ctx.em.count(AuditEntry, { $and: conditions }) : 0,
    page.first === 0 ? Promise.resolve([]) : ctx.em.find(AuditEntry, { $and: [...conditions, ...after] }, {
      orderBy: { at: 'desc', region: 'asc', id: 'asc' }, limit: page.first + 1,
    }),
  ]);
  const edges = rows.slice(0, page.first).map((node) => ({ cursor: encodeCursor(newestFirstKey(node.at), node.publicId), node }));
  return { totalCount, edges, pageInfo: { hasNextPage: rows.length > page.first, endCursor: edges.at(-1)?.cursor ?? null } };
}

/**
 * A subgraph's root field `<subgraph>AuditLog`. Each subgraph has its own field (root fields of
 * one name in several subgraphs would not compose), all returning the shared AuditEntry types.
 */
export function AuditLogResolver(subgraph: SubgraphName): new () => object {
  @Resolver()
  class AuditLogQuery {
    @Query(() => AuditEntryConnection, {
      name: `${subgraph}AuditLog`,
      description: `The ${subgraph} subgraph's audit log, newest first (ties by id), a page at a time: who wrote which record `
        + 'when, and the names of the fields written. For admins of the entries\' region (admin:XX reads XX) and hub admins. '
        + 'Entries older than the retention period (HUB_AUDIT_RETENTION_DAYS) are gone.',
    })
    auditLog(
      @Arg('filter', () => AuditLogFilter, { nullable: true }) filter: AuditLogFilter | undefined,
      @Args(() => PageArgs) page: PageArgs,
      @Ctx() ctx: SubgraphContext,
      @Info() info: GraphQLResolveInfo,
    ): Promise<Connection<AuditEntry>> {
      return readAuditLog(ctx, filter ?? {}, page, info);
    }
  }
  return AuditLogQuery;
}
