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

/** Today in Germany as YYYY-MM-DD: the day the programme's records are kept in. */
export function todayInGermany(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** True when even the earliest day a partial date may mean is after `today` ("2026" is not future in 2026). */
export function isFuturePartialDate(date: string, today = todayInGermany()): boolean {
  return date > today.slice(0, date.length);
}

// Any string passes the scalar: its form is checked with the input's other rules (`PartialDateField`
// in validation.ts), so one answer names every wrong field, dates included, each by its path.
function parse(value: unknown): string {
  if (typeof value !== 'string') {
    throw new GraphQLError(`PartialDate must be a string such as "2005-11", got ${JSON.stringify(value)}`,
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
    if (ast.kind !== Kind.STRING) throw new GraphQLError('PartialDate must be a string such as "2005-11"', { extensions: { code: 'BAD_USER_INPUT' } });
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
