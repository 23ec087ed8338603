import { Directive, Field, Int, ObjectType, getMetadataStorage } from 'type-graphql';
import { validate } from 'class-validator';
import { GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphContext } from './context.js';
import { assertCanWrite } from './auth.js';
import { inTransaction } from './mutations.js';
import { isPartialDate } from './scalars.js';
import type { Region } from './region.js';
import { MAX_IMPORT_ROWS } from '../shared/limits.js';
import { foldName } from '../shared/sort-key.js';

/**
 * Bulk import of rows as spreadsheets hold them (`npm run hub -- import`): every row carries its
 * source line; all rows are checked first, and only when every one is valid are they written, in
 * one transaction. Rows match existing records by their natural key, so importing twice is safe.
 */

/** Most rows one import call takes; the CLI sends larger files in chunks. */
export { MAX_IMPORT_ROWS };

@ObjectType({ description: 'A problem with one row of an import; nothing of the call was written.' })
@Directive('@shareable')
export class ImportRowError {
  @Field(() => Int, { description: 'The source line the row gave.' }) line: number;
  @Field(() => String, { nullable: true, description: 'The row field at fault; null when the row as a whole is.' }) field: string | null;
  @Field(() => String) message: string;
}

@ObjectType({ description: 'What an import did (or, on a dry run, would do); with errors it wrote nothing.' })
@Directive('@shareable')
export class ImportReport {
  @Field(() => Int, { description: 'Rows that made a new record.' }) created: number;
  @Field(() => Int, { description: 'Rows that changed an existing record (matched by its natural key).' }) updated: number;
  @Field(() => Int, { description: 'Rows equal to the record already stored.' }) unchanged: number;
  @Field(() => [ImportRowError], { description: 'Every invalid row, by line; when not empty, nothing was written.' })
  errors: ImportRowError[];
}

/** The problems of one row. */
export class RowProblems {
  readonly errors: ImportRowError[] = [];
  constructor(readonly line: number) {}
  add(field: string | null, message: string): void {
    this.errors.push({ line: this.line, field, message });
  }
}

/** A cell's text: trimmed; empty means "clear" (null); absent (undefined) means "leave as it is". */
export function cellText(value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  const text = value?.trim();
  return text ? text : null;
}

const GERMAN_DATE = /^(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})$/;

/** A PartialDate from `2005`, `2005-11`, `2005-11-20`, `20.11.2005` or `11.2005`. */
export function cellDate(problems: RowProblems, field: string, value: string | null | undefined): string | null | undefined {
  const text = cellText(value);
  if (!text) return text;
  const german = GERMAN_DATE.exec(text);
  const iso = german
    ? [german[3], german[2].padStart(2, '0'), german[1]?.padStart(2, '0')].filter(Boolean).join('-')
    : text;
  if (isPartialDate(iso)) return iso;
  problems.add(field, `${field} must be a date such as 2005, 2005-11, 2005-11-20 or 20.11.2005, not "${text}"`);
  return undefined;
}

/**
 * A decimal number as spreadsheets write it: `1200.5`, `1200,50`, `1.200,50` or `1,200.50`, with
 * an optional unit such as `€`, `EUR` or `%` (given in `units`); null for an empty cell.
 */
function cellDecimal(problems: RowProblems, field: string, value: string | null | undefined, units: RegExp, example: string): number | null | undefined {
  const text = cellText(value);
  if (!text) return text === undefined ? undefined : null;
  let digits = text.replace(units, '').replace(/[\s\u00a0']/g, '');
  const comma = digits.lastIndexOf(',');
  const dot = digits.lastIndexOf('.');
  if (comma >= 0 && dot >= 0) {
    // The later separator is the decimal one; the other groups thousands.
    digits = comma > dot ? digits.replace(/\./g, '').replace(',', '.') : digits.replace(/,/g, '');
  } else if (comma >= 0) {
    digits = /^\d{1,3}(,\d{3})+$/.test(digits) && digits.split(',').length > 2 ? digits.replace(/,/g, '') : digits.replace(',', '.');
  } else if (/^\d{1,3}(\.\d{3})+$/.test(digits)) {
    // "120.000" is German for a hundred and twenty thousand; an export always writes two decimals.
    digits = digits.replace(/\./g, '');
  }
  if (/^-?\d+(\.\d+)?$/.test(digits)) return Number(digits);
  problems.add(field, `${field} must be a number such as ${example}, not "${text}"`);
  return undefined;
}

/** Euro cents from an amount in euro (`120000`, `120.000,50 €`, `1200.50`); refuses fractions of a cent. */
export function cellEuroCents(problems: RowProblems, field: string, value: string | null | undefined): number | null | undefined {
  const euros = cellDecimal(problems, field, value, /€|eur(o)?/gi, '120000, 120.000,50 € or 1200.50');
  if (euros === null || euros === undefined) return euros;
  const cents = Math.round(euros * 100);
  if (Math.abs(euros * 100 - cents) > 1e-6) {
    problems.add(field, `${field} must be whole cents (at most two decimals), not "${value?.trim()}"`);
    return undefined;
  }
  return cents;
}

/** A percentage from `60`, `60 %` or `33,33`. */
export function cellPercent(problems: RowProblems, field: string, value: string | null | undefined): number | null | undefined {
  return cellDecimal(problems, field, value, /%|prozent/gi, '60, 60 % or 33,33');
}

/** True/false from ja/nein, yes/no, true/false, 1/0, x. */
export function cellBoolean(problems: RowProblems, field: string, value: string | null | undefined): boolean | null | undefined {
  const text = cellText(value);
  if (!text) return text as null | undefined;
  const lower = text.toLowerCase();
  if (['ja', 'j', 'yes', 'y', 'true', 'wahr', '1', 'x'].includes(lower)) return true;
  if (['nein', 'n', 'no', 'false', 'falsch', '0', '-'].includes(lower)) return false;
  problems.add(field, `${field} must be ja or nein (true or false), not "${text}"`);
  return undefined;
}

// Enum values and labels are matched as names are (see foldName): "Armutspraevention" is "Armutsprävention".
const fold = foldName;

const aliasCache = new Map<object, Map<string, string>>();

/**
 * Names an enum value may be given by: the value itself (any case, spaces for underscores), its
 * German label as registered for the schema, and the label's parts ("Kirche" for "Kirche / Kirchengemeinde").
 */
function enumAliases(enumObject: Record<string, string>): Map<string, string> {
  let aliases = aliasCache.get(enumObject);
  if (aliases) return aliases;
  aliases = new Map();
  const ambiguous = new Set<string>();
  const metadata = getMetadataStorage().enums.find((e) => e.enumObj === enumObject);
  const config = (metadata?.valuesConfig ?? {}) as Record<string, { description?: string }>;
  for (const value of Object.values(enumObject)) aliases.set(fold(value), value);
  const weak = new Map<string, string>();
  for (const value of Object.values(enumObject)) {
    const label = config[value]?.description;
    if (!label) continue;
    aliases.set(fold(label), value);
    const parts = label.replace(/\([^)]*\)/g, ' ').split(/\s+\/\s+|\s+oder\s+/);
    for (const part of parts.map(fold).filter(Boolean)) {
      if (weak.has(part) && weak.get(part) !== value) ambiguous.add(part);
      weak.set(part, value);
    }
  }
  for (const [part, value] of weak) if (!ambiguous.has(part) && !aliases.has(part)) aliases.set(part, value);
  aliasCache.set(enumObject, aliases);
  return aliases;
}

/** An enum value given by its name or German label. */
export function cellEnum<E extends string>(
  problems: RowProblems, field: string, enumObject: Record<string, E>, value: string | null | undefined,
): E | null | undefined {
  const text = cellText(value);
  if (!text) return text as null | undefined;
  const found = enumAliases(enumObject).get(fold(text));
  if (found) return found as E;
  problems.add(field, `${field}: "${text}" is not one of ${Object.values(enumObject).join(', ')} (or their German labels)`);
  return undefined;
}

/** A list cell: items given one by one or several in one item separated by `;` or `,`. Empty: []. */
export function cellList(value: string[] | null | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return (value ?? []).flatMap((item) => item.split(/[;,\n]/)).map((item) => item.trim()).filter(Boolean);
}

export function cellEnumList<E extends string>(
  problems: RowProblems, field: string, enumObject: Record<string, E>, value: string[] | null | undefined,
): E[] | undefined {
  const items = cellList(value);
  if (!items) return undefined;
  const before = problems.errors.length;
  const values = items.map((item) => cellEnum(problems, field, enumObject, item)).filter((v): v is E => !!v);
  if (problems.errors.length > before) return undefined;
  return [...new Set(values)];
}

interface NestedError { property: string; constraints?: Record<string, string>; children?: NestedError[] }

/**
 * Checks a create input built from a row with its class-validator rules (the same as the single
 * mutations'); `fields` renames nested paths to row fields, e.g. `municipality.ags` → `ags`.
 */
export async function checkInput(problems: RowProblems, input: object, fields: Record<string, string> = {}): Promise<void> {
  const flatten = (errors: NestedError[], prefix = ''): void => {
    for (const error of errors) {
      const path = `${prefix}${error.property}`;
      const field = fields[path] ?? path;
      for (const message of Object.values(error.constraints ?? {})) {
        problems.add(field, message.startsWith(error.property) ? `${field}${message.slice(error.property.length)}` : message);
      }
      flatten(error.children ?? [], `${path}.`);
    }
  };
  flatten(await validate(input, { forbidUnknownValues: false }) as NestedError[]);
}

/** Equal as stored values: undefined and null alike, arrays item by item, objects key by key. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null || b === undefined || b === null) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return a === b;
}

/** The fields of `patch` (those not undefined) whose value differs from the record's. */
export function changedFields(record: object, patch: object): string[] {
  return Object.entries(patch)
    .filter(([key, value]) => value !== undefined && !sameValue((record as Record<string, unknown>)[key], value))
    .map(([key]) => key);
}

/** Importing needs the right to write the region, on the instance that owns it. */
export function assertCanImport(ctx: SubgraphContext, region: Region): void {
  assertCanWrite(ctx.viewer, region);
  if (ctx.regions && !ctx.regions.has(region)) {
    throw new GraphQLError(`This instance does not own region ${region} (it owns ${[...ctx.regions].join(', ')})`, {
      extensions: { code: 'REGION_NOT_SERVED', region },
    });
  }
}

export interface ImportInputShape<Row extends { line: number }> {
  region: Region;
  rows: Row[];
  dryRun?: boolean | null;
}

/** What one valid row does: creates, updates (with `apply` doing it) or leaves a record as it is. */
export interface ImportAction {
  line: number;
  action: 'create' | 'update' | 'unchanged';
  /** May return a promise (awaited), e.g. to delete a list before writing its replacement. */
  apply?: () => unknown;
}

export interface ImportSpec<Row extends { line: number }, Value> {
  /** Checks and converts a row (adding problems); returns undefined when its natural key is missing. */
  parse(row: Row, problems: RowProblems): Promise<Value | undefined> | Value | undefined;
  /** The record's natural key within the region; two rows of one call must not name the same record differently. */
  key(value: Value): string;
  /** How a message names the record, e.g. `alliance "Bündnis Merzig"`. */
  describe(value: Value): string;
  /** Looks up the records the rows name and plans each row; adds problems for unknown references. */
  plan(em: EntityManager, rows: { line: number; value: Value; problems: RowProblems }[], region: Region): Promise<ImportAction[]>;
}

/**
 * Runs one import call: the viewer must write the region on its owning instance; every row is
 * checked first; with any problem the call writes nothing and returns them all. A repeated
 * identical row counts once; a repeat with other values is an error.
 */
export async function runImport<Row extends { line: number }, Value>(
  ctx: SubgraphContext, input: ImportInputShape<Row>, spec: ImportSpec<Row, Value>,
): Promise<ImportReport> {
  assertCanImport(ctx, input.region);
  if (input.rows.length > MAX_IMPORT_ROWS) {
    throw new GraphQLError(`An import call takes at most ${MAX_IMPORT_ROWS} rows; send the file in chunks`, {
      extensions: { code: 'BAD_USER_INPUT', field: 'rows' },
    });
  }
  const allProblems: RowProblems[] = [];
  const valid: { line: number; value: Value; problems: RowProblems }[] = [];
  const seen = new Map<string, { line: number; json: string }>();
  for (const row of input.rows) {
    const problems = new RowProblems(row.line);
    allProblems.push(problems);
    // A row with problems still goes on to the checks against the database (unless its key is
    // missing), so one run reports all of them; nothing is written while there are any.
    const value = await spec.parse(row, problems);
    if (value === undefined) continue;
    const key = spec.key(value);
    const json = JSON.stringify(value);
    const earlier = seen.get(key);
    if (earlier) {
      if (earlier.json !== json) problems.add(null, `${spec.describe(value)} is already on line ${earlier.line} with other values`);
      continue;
    }
    seen.set(key, { line: row.line, json });
    valid.push({ line: row.line, value, problems });
  }
  const errorsOf = () => allProblems.flatMap((p) => p.errors).sort((a, b) => a.line - b.line);
  const failed = (): ImportReport => ({ created: 0, updated: 0, unchanged: 0, errors: errorsOf() });

  return inTransaction(ctx, async (em) => {
    const actions = await spec.plan(em, valid, input.region);
    if (errorsOf().length) return failed();
    const count = (action: ImportAction['action']) => actions.filter((a) => a.action === action).length;
    if (!input.dryRun) {
      for (const action of actions) await action.apply?.();
      await em.flush();
    }
    return { created: count('create'), updated: count('update'), unchanged: count('unchanged'), errors: [] };
  });
}
