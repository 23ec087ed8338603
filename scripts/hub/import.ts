/**
 * `hub import`: rows of a file, grouped by region, sent in chunks to the kind's bulk mutation.
 * First a dry run of every chunk of every region; only when all rows of the file are valid, the
 * real calls. Each call is one transaction on the region's instance.
 */
import { ApiError, callApi, type ApiOptions } from './api.js';
import { KIND_SPECS, apiRow, regionOf, type Kind } from './columns.js';
import { sortKeyOf } from '../../subgraphs/shared/sort-key.js';
import { parseSource, readSource, type Format, type Source, type SourceRow } from './source.js';

export const CHUNK_SIZE = 250;

export interface ImportOptions extends ApiOptions {
  kind: Kind;
  /** The file, or its text with `format`. */
  file?: string;
  text?: string;
  format?: Format;
  dryRun?: boolean;
  /** The region of rows that name none (or the file has no region column). */
  region?: string;
  chunkSize?: number;
  /** Called after each call with the rows done and the rows of the phase. */
  onProgress?: (phase: 'check' | 'import', done: number, total: number) => void;
}

export interface LineError { line: number; field: string | null; column: string | null; message: string }
export interface Counts { created: number; updated: number; unchanged: number }

export interface ImportOutcome {
  ok: boolean;
  dryRun: boolean;
  /** What was done (dry run: would be done) per region. */
  regions: ({ region: string } & Counts)[];
  totals: Counts;
  /** Every problem, by line (a line may have several). */
  errors: LineError[];
  /** How many lines have a problem. */
  invalidLines: number;
  /** A call that failed as a whole and concerns no row (no valid token, gateway unreachable), or any failure while writing. */
  failure?: string;
  /** Regions written before the failure, in the real phase. */
  written: string[];
  ignoredColumns: string[];
  /** Lines left out because an earlier line holds the same record with the same values. */
  repeatedLines: number[];
}

const mutationOf = (kind: Kind) => {
  const spec = KIND_SPECS[kind];
  return `mutation Import($input: ${spec.inputType}!) { ${spec.mutation}(input: $input) { created updated unchanged errors { line field message } } }`;
};

interface Report extends Counts { errors: { line: number; field: string | null; message: string }[] }

/** Kinds whose natural key is a name, compared as the hub holds names unique (see sortKeyOf). */
const NAMED_KINDS: ReadonlySet<Kind> = new Set(['alliances', 'organizations', 'memberships']);

function keyOf(kind: Kind, row: SourceRow): string {
  return JSON.stringify(KIND_SPECS[kind].key.map((field) => {
    const value = row.values[field];
    if (typeof value !== 'string') return value ?? null;
    return NAMED_KINDS.has(kind) ? sortKeyOf(value) : value.trim();
  }));
}

/** Rows by region, after the checks that need the whole file: regions and repeated records. */
function groupRows(kind: Kind, source: Source, defaultRegion: string | undefined, errors: LineError[], repeated: number[]) {
  const fallback = defaultRegion ? regionOf(defaultRegion) : undefined;
  const groups = new Map<string, SourceRow[]>();
  const seen = new Map<string, { line: number; json: string }>();
  for (const row of source.rows) {
    const given = row.region?.trim();
    const region = given ? regionOf(given) : fallback;
    const column = source.headers.region ?? 'region';
    if (!region) {
      errors.push(given
        ? { line: row.line, field: 'region', column, message: `"${given}" is not a region (a state code such as SL or a German state name)` }
        : { line: row.line, field: 'region', column: null, message: 'the row names no region: add a Region/Bundesland column or use --region' });
      continue;
    }
    const key = `${region}\u0000${keyOf(kind, row)}`;
    const json = JSON.stringify(row.values);
    const earlier = seen.get(key);
    if (earlier) {
      if (earlier.json === json) repeated.push(row.line);
      else errors.push({ line: row.line, field: null, column: null, message: `the same record as line ${earlier.line}, with other values` });
      continue;
    }
    seen.set(key, { line: row.line, json });
    groups.set(region, [...(groups.get(region) ?? []), row]);
  }
  return groups;
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** Codes by which an instance refuses a whole call for its region: every row of the region is refused. */
const REGION_REFUSALS = new Set(['FORBIDDEN', 'REGION_NOT_SERVED', 'REGION_UNAVAILABLE']);

/**
 * The rows a refused call concerns, each with its line: all rows of the region when the region
 * was refused (FORBIDDEN, …); the row a BAD_USER_INPUT names by its place in the call
 * (`input.rows.3.name`); undefined when the refusal concerns no row (no token, gateway down).
 */
export function refusedRows(error: ApiError, region: string, rows: SourceRow[], chunk: SourceRow[]):
  { errors: Omit<LineError, 'column'>[]; wholeRegion: boolean } | undefined {
  if (error.code && REGION_REFUSALS.has(error.code)) {
    return { wholeRegion: true, errors: rows.map((row) => ({ line: row.line, field: 'region', message: `${region}: ${error.message}` })) };
  }
  // The place of a row in the call counts from 0: `field: input.rows.3.name` of a refused text, or
  // `… at "input.rows[3].name"; …` of a value GraphQL could not read.
  const place = error.code !== 'BAD_USER_INPUT' ? null
    : /(?:^|\.)rows\.(\d+)(?:\.(\w+))?/.exec(error.extensions.field ?? '') ?? /at "input\.rows\[(\d+)\](?:\.(\w+))?"/.exec(error.message);
  const row = place ? chunk[Number(place[1])] : undefined;
  if (!place || !row) return undefined;
  const message = error.message.replace(/^input\.rows\.\d+\.(\w+) of \w+/, '$1').replace(/^Variable "\$input" got invalid value .*?; /, '');
  return { wholeRegion: false, errors: [{ line: row.line, field: place[2] ?? null, message }] };
}

export async function runImport(options: ImportOptions): Promise<ImportOutcome> {
  const source = options.text !== undefined
    ? parseSource(options.kind, options.text, options.format ?? 'csv')
    : readSource(options.kind, options.file!);
  const columnOf = (field: string | null) => (field ? source.headers[field] ?? field : null);
  const errors: LineError[] = source.problems.map((p) => ({ ...p, column: columnOf(p.field) }));
  const repeatedLines: number[] = [];
  const groups = groupRows(options.kind, source, options.region, errors, repeatedLines);
  const outcome: ImportOutcome = {
    ok: false, dryRun: !!options.dryRun, regions: [], totals: { created: 0, updated: 0, unchanged: 0 }, errors, invalidLines: 0,
    written: [], ignoredColumns: source.ignored, repeatedLines,
  };
  const size = options.chunkSize ?? CHUNK_SIZE;
  const total = [...groups.values()].reduce((sum, rows) => sum + rows.length, 0);
  const mutation = mutationOf(options.kind);
  const call = (region: string, rows: SourceRow[], dryRun: boolean) => callApi<Record<string, Report>>(options, mutation, {
    input: { region, dryRun, rows: rows.map((row) => ({ line: row.line, ...apiRow(row.values) })) },
  }).then((data) => data[KIND_SPECS[options.kind].mutation]);

  const phase = async (dryRun: boolean): Promise<boolean> => {
    let done = 0;
    let complete = true;
    outcome.regions = [];
    regions: for (const [region, rows] of groups) {
      const counts = { region, created: 0, updated: 0, unchanged: 0 };
      for (const chunk of chunks(rows, size)) {
        let report: Report;
        try {
          report = await call(region, chunk, dryRun);
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          // Checking, a refusal that concerns rows (their region, one cell) goes to those rows'
          // lines, and the other regions are still checked; anything else stops the import.
          const refused = dryRun ? refusedRows(error, region, rows, chunk) : undefined;
          if (!refused) {
            outcome.failure = `${region}: ${error.message}`;
            return false;
          }
          errors.push(...refused.errors.map((e) => ({ ...e, column: columnOf(e.field) })));
          complete = false;
          done += refused.wholeRegion ? rows.length - rows.indexOf(chunk[0]) : chunk.length;
          options.onProgress?.('check', done, total);
          if (refused.wholeRegion) continue regions;
          continue;
        }
        errors.push(...report.errors.map((e) => ({ ...e, column: columnOf(e.field) })));
        counts.created += report.created;
        counts.updated += report.updated;
        counts.unchanged += report.unchanged;
        done += chunk.length;
        options.onProgress?.(dryRun ? 'check' : 'import', done, total);
      }
      outcome.regions.push(counts);
      if (!dryRun) outcome.written.push(region);
    }
    return complete;
  };

  // Phase 1: every chunk of every region checked; nothing is written unless the whole file is valid.
  const checked = await phase(true);
  errors.sort((a, b) => a.line - b.line);
  if (checked && !errors.length && !options.dryRun) await phase(false);
  outcome.ok = !outcome.failure && !errors.length;
  outcome.invalidLines = new Set(errors.map((e) => e.line)).size;
  for (const counts of outcome.regions) {
    outcome.totals.created += counts.created;
    outcome.totals.updated += counts.updated;
    outcome.totals.unchanged += counts.unchanged;
  }
  return outcome;
}
