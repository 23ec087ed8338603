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

/** The line (from 1) of a position in the text. */
function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

class JsonSyntaxError extends Error {
  constructor(readonly position: number, message: string) {
    super(message);
  }
}

/**
 * JSON read with the place of everything: the value, where each element of a top-level array
 * starts, and for a syntax error the line it is on (JSON.parse names a character offset at best).
 */
export function parseJsonWithLines(text: string): { value: unknown; elementLines: number[] } | { line: number; message: string } {
  let at = 0;
  const elementStarts: number[] = [];
  const space = () => { while (at < text.length && ' \t\r\n'.includes(text[at])) at++; };
  const fail = (message: string): never => { throw new JsonSyntaxError(at, message); };
  const found = () => (at >= text.length ? 'the end of the file' : `"${text[at]}"`);
  const value = (depth: number): unknown => {
    space();
    const char = text[at];
    if (char === '{') {
      at++;
      const object: Record<string, unknown> = {};
      space();
      if (text[at] === '}') { at++; return object; }
      for (;;) {
        space();
        if (text[at] !== '"') fail(`expected a key in quotes, found ${found()}`);
        const key = string();
        space();
        if (text[at] !== ':') fail(`expected ":" after the key "${key}", found ${found()}`);
        at++;
        object[key] = value(depth + 1);
        space();
        if (text[at] === ',') { at++; continue; }
        if (text[at] === '}') { at++; return object; }
        fail(`expected "," or "}" in an object, found ${found()}`);
      }
    }
    if (char === '[') {
      at++;
      const array: unknown[] = [];
      space();
      if (text[at] === ']') { at++; return array; }
      for (;;) {
        space();
        if (depth === 0) elementStarts.push(at);
        array.push(value(depth + 1));
        space();
        if (text[at] === ',') { at++; continue; }
        if (text[at] === ']') { at++; return array; }
        fail(`expected "," or "]" in a list, found ${found()}`);
      }
    }
    if (char === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(at, at + 400));
    if (!literal) fail(`expected a value, found ${found()}`);
    at += literal![0].length;
    return JSON.parse(literal![0]);
  };
  const string = (): string => {
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') {
      if (text[at] === '\n') fail('a text in quotes runs past the end of its line');
      at += text[at] === '\\' ? 2 : 1;
    }
    if (at >= text.length) { at = start; fail('a text in quotes is not closed'); }
    at++;
    try {
      return JSON.parse(text.slice(start, at)) as string;
    } catch {
      at = start;
      return fail('a text in quotes holds an invalid escape');
    }
  };
  try {
    const result = value(0);
    space();
    if (at < text.length) fail(`unexpected ${found()} after the end of the data`);
    return { value: result, elementLines: elementStarts.map((start) => lineAt(text, start)) };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { line: lineAt(text, error.position), message: error.message };
  }
}

function parseJsonSource(kind: Kind, text: string): Source {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parsed = parseJsonWithLines(body);
  if ('message' in parsed) return { rows: [], problems: [{ line: parsed.line, field: null, message: `not valid JSON: ${parsed.message}` }], headers: {}, ignored: [] };
  const data = parsed.value;
  if (!Array.isArray(data)) return { rows: [], problems: [{ line: 1, field: null, message: 'the JSON must be an array of objects' }], headers: {}, ignored: [] };
  const lines = parsed.elementLines;
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
    let nested: SourceProblem | undefined;
    keys.forEach((key, i) => {
      const field = mapping.fields[i];
      if (!field) return;
      headers[field] ??= key;
      const raw = (element as Record<string, unknown>)[key];
      const items = Array.isArray(raw) ? raw : [raw];
      if (items.some((item) => item !== null && typeof item === 'object')) {
        nested ??= { line, field, message: `${key} holds an object or nested list; a cell is text, a number, true/false or a list of those` };
        return;
      }
      const value = cell(kind, field, raw);
      if (field === 'region') row.region = Array.isArray(value) ? value.join('') : value;
      else row.values[field] = value;
    });
    for (const field of mapping.repeated) problems.push({ line, field, message: `several keys mean ${field}; keep one` });
    const forbidden = nested ?? forbiddenTextProblem(row);
    if (forbidden) problems.push(forbidden);
    else rows.push(row);
  });
  return { rows, problems, headers, ignored: [...ignored] };
}
