import { Field, Int, ObjectType, ArgsType, Directive } from 'type-graphql';
import type { ClassType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import type { GraphQLResolveInfo } from 'graphql';
import type { EntityClass, EntityManager, FilterQuery, EntityName } from '@mikro-orm/core';
import { badInput } from './errors.js';
import { MAX_PAGE_SIZE, encodeCursor, readCursor } from '../shared/cursor.js';
import { forbiddenCharacterIn } from './characters.js';
import { readCountedRows, readRows } from './loaders.js';
import { selectedFieldNames } from './selection.js';

export const DEFAULT_PAGE_SIZE = 20;
export { MAX_PAGE_SIZE };

@ObjectType({ description: 'Where a page of a list stands.' })
@Directive('@shareable')
export class PageInfo {
  @Field(() => Boolean) hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE, description: `At most ${MAX_PAGE_SIZE}.` })
  @Min(0) @Max(MAX_PAGE_SIZE)
  first: number = DEFAULT_PAGE_SIZE;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string;
}

export interface Edge<T> { cursor: string; node: T }
export interface Connection<T> { totalCount: number; edges: Edge<T>[]; pageInfo: PageInfo }

/**
 * Builds `<Name>Connection` and `<Name>Edge` types for a node type; `shareable` for a type that
 * several subgraphs return (each must print it identically).
 */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string, options: { shareable?: boolean } = {}) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String) cursor: string;
    @Field(() => node) node: T;
  }
  @ObjectType(`${name}Connection`, { description: `A page of ${name} records in a stable order.` })
  class ConnectionClass {
    @Field(() => Int, { description: 'How many records match the filter, across all pages.' }) totalCount: number;
    @Field(() => [EdgeType]) edges: EdgeType[];
    @Field(() => PageInfo) pageInfo: PageInfo;
  }
  if (options.shareable) {
    Directive('@shareable')(EdgeType);
    Directive('@shareable')(ConnectionClass);
  }
  return ConnectionClass;
}

export { encodeCursor } from '../shared/cursor.js';

/**
 * The sort key and id a cursor carries. What it decodes to is text the caller chose and goes into
 * SQL, so it is held to the rule every text input is (no NUL, no other controls, no lone surrogates).
 */
export function decodeCursor(cursor: string): [string, string] {
  const key = readCursor(cursor);
  if (!key || key.some((part) => forbiddenCharacterIn(part))) throw badInput(`"${cursor}" is not a cursor of this list`, 'after');
  return key;
}

interface PageQuery<T> {
  em: EntityManager;
  entity: EntityName<T>;
  where: FilterQuery<T>;
  /** A non-null string property; ties are broken by id. */
  sortBy: keyof T & string;
  page: PageArgs;
  /** What the connection is selected for: the total is counted only when `totalCount` is (always without it). */
  info?: GraphQLResolveInfo;
}

/** Whether a connection's total is wanted: counting reads every matching row, not only the page's. */
export function countsTotal(info: GraphQLResolveInfo | undefined): boolean {
  return !info || selectedFieldNames(info).has('totalCount');
}

/** Refuses a page size outside 0…MAX_PAGE_SIZE (BAD_USER_INPUT naming `first`). */
export function assertPageSize(page: PageArgs): void {
  if (page.first < 0 || page.first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, 'first');
  }
}

/**
 * One keyset-paged select, whatever the page size, with the total counted in the same statement
 * when `totalCount` is selected.
 */
export async function paginate<T extends { id: string }>(q: PageQuery<T>): Promise<Connection<T>> {
  const { em, entity, where, sortBy, page } = q;
  assertPageSize(page);
  let pageWhere = where;
  if (page.after) {
    const [key, id] = decodeCursor(page.after);
    const after = { $or: [{ [sortBy]: { $gt: key } }, { [sortBy]: key, id: { $gt: id } }] };
    pageWhere = { $and: [where, after] } as FilterQuery<T>;
  }
  const counts = countsTotal(q.info);
  const read = { orderBy: { [sortBy]: 'asc', id: 'asc' } as never, limit: page.first + 1 };
  let rows: T[] = [];
  let total: number | undefined;
  if (page.first > 0 && counts) ({ rows, total } = await readCountedRows(em, entity as EntityClass<T>, pageWhere, where, read));
  else if (page.first > 0) rows = await readRows(em, entity as EntityClass<T>, pageWhere, read);
  // Not selected: never read (GraphQL resolves only what is asked).
  const totalCount = !counts ? 0 : total ?? await em.count(entity, where);
  const hasNextPage = rows.length > page.first;
  const edges = rows.slice(0, page.first).map((node) => ({
    cursor: encodeCursor(String(node[sortBy]), node.id),
    node,
  }));
  return { totalCount, edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
}
