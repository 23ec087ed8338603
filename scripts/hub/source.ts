/** Reads an import file (CSV or JSON) into rows of the kind's fields, each with its source line. */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CsvError, parseCsv } from './csv.js';
import { isList, mapHeaders, type Kind } from './columns.js';
import { describeCharacter, forbiddenCharacterIn } from '../../subgraphs/kit/characters.js';

/** A cell as the API takes it: text, a list of texts, or null for an empty cell (clears the field). */
export type Cell = string | string[] | null;

export interface SourceRow {
  line: number;
  /** The region cell's text, if the file has a region column. */
  region?: string | null;
  values: Record<string, Cell>;
}

export interface SourceProblem { line: number; field: string | null; message: string }

export interface Source {
  rows: SourceRow[];
  problems: SourceProblem[];
  /** The header the file uses for each field, for messages in the file's own words. */
  headers: Record<string, string>;
  /** Columns (or JSON keys) the kind does not use. */
  ignored: string[];
}

export type Format = 'csv' | 'json';

export function formatOf(path: string): Format {
  return extname(path).toLowerCase() === '.json' ? 'json' : 'csv';
}

export function readSource(kind: Kind, path: string): Source {
  return parseSource(kind, readFileSync(path, 'utf8'), formatOf(path));
}

function cell(kind: Kind, field: string, value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    const items = value.filter((v) => v !== null && v !== undefined).map(String);
    return isList(kind, field) ? items : items.join('; ');
  }
  const text = String(value);
  if (!text.trim()) return null;
  return isList(kind, field) ? [text] : text;
}

/**
 * A problem for the first cell of the row holding text the API refuses (a NUL, another control
 * character, a lone surrogate): found here, the file's line is named and the other rows still
 * checked, where the API would refuse the whole call.
 */
function forbiddenTextProblem(row: SourceRow): SourceProblem | undefined {
  const cells: [string, Cell | undefined][] = [['region', row.region], ...Object.entries(row.values)];
  for (const [field, value] of cells) {
    for (const text of Array.isArray(value) ? value : [value ?? '']) {
      const character = forbiddenCharacterIn(text);
      if (character) {
        return { line: row.line, field, message: `${field} contains ${describeCharacter(character)}, which no text may hold` };
      }
    }
  }
  return undefined;
}

export function parseSource(kind: Kind, text: string, format: Format): Source {
  return format === 'json' ? parseJsonSource(kind, text) : parseCsvSource(kind, text);
}

function parseCsvSource(kind: Kind, text: string): Source {
  let records;
  try {
    records = parseCsv(text).records;
  } catch (error) {
    if (error instanceof CsvError) return { rows: [], problems: [{ line: error.line, field: null, message: error.message }], headers: {}, ignored: [] };
    throw error;
  }
  if (!records.length) return { rows: [], problems: [{ line: 1, field: null, message: 'the file is empty (a header line is needed)' }], headers: {}, ignored: [] };
  const [header, ...data] = records;
  const mapping = mapHeaders(kind, header.cells);
  const headers: Record<string, string> = {};
  mapping.fields.forEach((field, index) => { if (field && !(field in headers)) headers[field] = header.cells[index].trim(); });
  const problems: SourceProblem[] = mapping.repeated.map((field) => ({
    line: header.line, field, message: `several columns mean ${field}; keep one`,
  }));
  const rows: SourceRow[] = [];
  for (const record of data) {
    if (record.cells.every((c) => !c.trim())) continue;
    if (record.cells.length > header.cells.length && record.cells.slice(header.cells.length).some((c) => c.trim())) {
      problems.push({ line: record.line, field: null, message: `the row has ${record.cells.length} cells, the header ${header.cells.length}` });
      continue;
    }
    const row: SourceRow = { line: record.line, values: {} };
    mapping.fields.forEach((field, index) => {
      if (!field) return;
      const value = cell(kind, field, record.cells[index] ?? '');
      if (field === 'region') row.region = value as string | null;
      else row.values[field] = value;
    });
    const forbidden = forbiddenTextProblem(row);
    if (forbidden) problems.push(forbidden);
    else rows.push(row);
  }
  return { rows, problems, headers, ignored: mapping.ignored };
}

/** Where each element of the top-level array starts, so JSON rows are named by their line too. */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expecting = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\n') line++;
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (/\s/.test(char)) continue;
    if (depth === 1 && expecting && char !== ']') {
      lines.push(line);
      expecting = false;
    }
    if (char === '"') inString = true;
    else if (char === '[' || char === '{') {
      depth++;
      if (depth === 1) expecting = true;
    } else if (char === ']' || char === '}') depth--;
    else if (char === ',' && depth === 1) expecting = true;
  }
  return lines;
}

function parseJsonSource(kind: Kind, text: string): Source {
  let data: unknown;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    data = JSON.parse(body);
  } catch (error) {
    return { rows: [], problems: [{ line: 1, field: null, message: `not valid JSON: ${(error as Error).message}` }], headers: {}, ignored: [] };
  }
  if (!Array.isArray(data)) return { rows: [], problems: [{ line: 1, field: null, message: 'the JSON must be an array of objects' }], headers: {}, ignored: [] };
  const lines = elementLines(body);
  const problems: SourceProblem[] = [];
  const rows: SourceRow[] = [];
  const headers: Record<string, string> = {};
  const ignored = new Set<string>();
  data.forEach((element, index) => {
    const line = lines[index] ?? index + 1;
    if (!element || typeof element !== 'object' || Array.isArray(element)) {
      problems.push({ line, field: null, message: `entry ${index + 1} is not an object` });
      return;
    }
    const keys = Object.keys(element);
    const mapping = mapHeaders(kind, keys);
    mapping.ignored.forEach((key) => ignored.add(key));
    const row: SourceRow = { line, values: {} };
    keys.forEach((key, i) => {
      const field = mapping.fields[i];
      if (!field) return;
      headers[field] ??= key;
      const value = cell(kind, field, (element as Record<string, unknown>)[key]);
      if (field === 'region') row.region = Array.isArray(value) ? value.join('') : value;
      else row.values[field] = value;
    });
    for (const field of mapping.repeated) problems.push({ line, field, message: `several keys mean ${field}; keep one` });
    const forbidden = forbiddenTextProblem(row);
    if (forbidden) problems.push(forbidden);
    else rows.push(row);
  });
  return { rows, problems, headers, ignored: [...ignored] };
}
