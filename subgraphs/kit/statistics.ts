import { Directive, Field, Int, ObjectType } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { FieldOfAction } from './field-of-action.js';
import { Region } from './region.js';
import { assertNotBefore } from './scalars.js';

// Count types several subgraphs return: declared once here so every subgraph prints them identically.
@ObjectType({ description: 'How many records belong to a region.' })
@Directive('@shareable')
export class RegionCount {
  @Field(() => Region) region: Region;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'How many records work in a field of action.' })
@Directive('@shareable')
export class FieldOfActionCount {
  @Field(() => FieldOfAction) fieldOfAction: FieldOfAction;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'How many records fall in a year of the date the field names; a null year counts those whose date is unknown.' })
@Directive('@shareable')
export class YearCount {
  @Field(() => Int, { nullable: true }) year: number | null;
  @Field(() => Int) count: number;
}

/** One row of a statistics statement: the breakdown it belongs to, its key (null = unknown) and its count. */
export interface CountRow {
  dimension: string;
  key: string | null;
  count: number;
}

/** The rows of one breakdown, mapped to its GraphQL shape (the statement already ordered them). */
export function breakdown<T>(rows: CountRow[], dimension: string, map: (key: string | null, count: number) => T): T[] {
  return rows.filter((row) => row.dimension === dimension).map((row) => map(row.key, row.count));
}

export const regionCounts = (rows: CountRow[], dimension: string): RegionCount[] =>
  breakdown(rows, dimension, (key, count) => ({ region: key as Region, count }));

export const fieldOfActionCounts = (rows: CountRow[], dimension: string): FieldOfActionCount[] =>
  breakdown(rows, dimension, (key, count) => ({ fieldOfAction: key as FieldOfAction, count }));

export const yearCounts = (rows: CountRow[], dimension: string): YearCount[] =>
  breakdown(rows, dimension, (key, count) => ({ year: key === null ? null : Number(key), count }));

/** The single count of a dimension such as `total` (0 when the statement returned none). */
export const countOf = (rows: CountRow[], dimension: string): number =>
  rows.find((row) => row.dimension === dimension)?.count ?? 0;

/** One breakdown of a statistics statement: the fields it answers, the common tables it reads, and its SELECT (of dimension, key and count, in that order, unless told otherwise). */
export interface StatisticsBranch {
  fields: readonly string[];
  reads?: readonly string[];
  select: string;
}

/**
 * The statistics statement for the fields a request selects: only their breakdowns, and only the
 * common tables those read (`rows` is the filtered records', always there). A dashboard that
 * shows no money does not join the funding lines; one field costs one GROUP BY.
 */
export function statisticsStatement(
  rows: { name: string; sql: string }, tables: Readonly<Record<string, string>>, branches: readonly StatisticsBranch[], selected: ReadonlySet<string>,
  shape: { columns: readonly string[]; orderBy: string } = { columns: ['dimension', 'key', 'count'], orderBy: 'dimension, count desc, key nulls last' },
): string {
  const chosen = branches.filter((branch) => branch.fields.some((field) => selected.has(field)));
  // A statement needs one branch even when only __typename is asked.
  const used = chosen.length ? chosen : branches.slice(0, 1);
  const read = Object.entries(tables).filter(([name]) => used.some((branch) => branch.reads?.includes(name)));
  const withs = [`${rows.name} as (${rows.sql})`, ...read.map(([name, sql]) => `${name} as (${sql})`)];
  // Each branch's columns named alike, whichever comes first.
  const selects = used.map((branch, index) => `select * from (${branch.select}) as b${index}(${shape.columns.join(', ')})`);
  return `with ${withs.join(', ')} select * from (${selects.join(' union all ')}) as breakdowns order by ${shape.orderBy}`;
}

/** The shorter forms of a partial date: "2019-03-15" → ["2019", "2019-03"]. */
function coarserForms(date: string): string[] {
  return [4, 7].filter((length) => length < date.length).map((length) => date.slice(0, length));
}

export interface PartialDatePeriod {
  from?: string | null;
  to?: string | null;
}

/**
 * Conditions for "the record's dates [start, end] overlap the period [from, to]". A partial date
 * stands for its whole year or month, so "2019" overlaps a period from "2019-06". A record without
 * a start never matches; a record without an end is still running. `end` may name the start
 * property for single dates (e.g. a founding date). Refuses a period that ends before it starts,
 * naming `toField`.
 */
export function overlapsPeriod<T>(start: keyof T & string, end: keyof T & string, period: PartialDatePeriod, toField: string): FilterQuery<T> {
  const { from, to } = period;
  assertNotBefore(to, from, toField);
  const conditions: Record<string, unknown>[] = [{ [start]: { $ne: null } }];
  if (to) {
    // The start's first day is on or before the period's last day: earlier, or inside `to` itself.
    conditions.push({ $or: [{ [start]: { $lte: to } }, { [start]: { $like: `${to}%` } }] });
  }
  if (from) {
    // The end's last day is on or after the period's first day: later, or a coarser form containing `from`.
    const ends: Record<string, unknown>[] = [{ [end]: { $gte: from } }];
    const coarser = coarserForms(from);
    if (coarser.length) ends.push({ [end]: { $in: coarser } });
    if (end !== start) ends.push({ [end]: null });
    conditions.push({ $or: ends });
  }
  return { $and: conditions } as FilterQuery<T>;
}
