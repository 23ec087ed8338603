import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** True for YYYY, YYYY-MM or YYYY-MM-DD naming a real calendar day/month. */
export function isPartialDate(value: string): boolean {
  const match = PARTIAL_DATE.exec(value);
  if (!match) return false;
  const [, year, month, day] = match;
  if (month === undefined) return true;
  const m = Number(month);
  if (m < 1 || m > 12) return false;
  if (day === undefined) return true;
  const d = Number(day);
  const daysInMonth = new Date(Date.UTC(Number(year), m, 0)).getUTCDate();
  return d >= 1 && d <= daysInMonth;
}

function parse(value: unknown): string {
  if (typeof value !== 'string' || !isPartialDate(value)) {
    throw new GraphQLError(`PartialDate must be YYYY, YYYY-MM or YYYY-MM-DD with a real date, got ${JSON.stringify(value)}`,
      { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}

/**
 * A calendar date known to the year, month or day. Press texts often give only
 * "im November 2005"; storing 2005-11-01 would invent a day, so the precision is kept.
 * The ISO form sorts lexicographically in time order.
 */
export const PartialDate = new GraphQLScalarType<string, string>({
  name: 'PartialDate',
  description: 'A date known to the year, month or day: "2005", "2005-11" or "2005-11-20".',
  serialize: (value) => String(value),
  parseValue: parse,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('PartialDate must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return parse(ast.value);
  },
});

export function yearOf(date: string | null | undefined): number | undefined {
  return date ? Number(date.slice(0, 4)) : undefined;
}

/** Refuses an end date before its start date (partial dates compare by their known part). */
export function assertNotBefore(end: string | null | undefined, start: string | null | undefined, field: string): void {
  if (!end || !start) return;
  const length = Math.min(end.length, start.length);
  if (end.slice(0, length) < start.slice(0, length)) {
    throw new GraphQLError(`${field} (${end}) is before ${start}`, { extensions: { code: 'BAD_USER_INPUT', field } });
  }
}
