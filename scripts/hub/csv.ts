/**
 * A small RFC 4180 CSV reader and writer: quoted fields with doubled quotes and line breaks,
 * CR, LF or CRLF line ends, an optional UTF-8 BOM, and `;` (Excel in German locales) or `,`
 * as the delimiter, detected from the header line. The writer neutralises cells a spreadsheet
 * would evaluate as formulas and the reader restores them (see `neutraliseCell`).
 */

export type Delimiter = ',' | ';' | '\t';

export interface CsvRecord {
  /** The line (1-based) the record starts on; a record with quoted line breaks spans several. */
  line: number;
  cells: string[];
}

export class CsvError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

/** The delimiter the header line (up to its first line break outside quotes) uses most: `;`, tab or `,`. */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of stripBom(text)) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char in counts) counts[char as Delimiter]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[',']) return '\t';
  return ',';
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * What makes a spreadsheet evaluate a cell (OWASP, "CSV Injection"): a leading `=`, `+`, `-` or
 * `@`, and a leading tab or carriage return, which some spreadsheets skip before looking again.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Marks a neutralised cell; spreadsheets show a cell starting with it as text. */
const TEXT_MARK = "'";

/**
 * A cell as written to a file: one a spreadsheet would evaluate gets a leading `'`, and so does
 * one that already starts with `'`, so that reading strips exactly one mark and every value
 * comes back as it was. Numbers are no exception: "-5" is written as "'-5", since every column
 * of an export is text (a phone number such as "+49 6221 …" would otherwise become a formula)
 * and the importer reads it back as "-5".
 */
export function neutraliseCell(cell: string): string {
  return FORMULA_START.test(cell) || cell.startsWith(TEXT_MARK) ? `${TEXT_MARK}${cell}` : cell;
}

/** Undoes `neutraliseCell`: a `'` followed by a formula start or by another `'` goes; any other cell stays. */
export function restoreCell(cell: string): string {
  return cell.startsWith(TEXT_MARK) && (FORMULA_START.test(cell.slice(1)) || cell.startsWith(TEXT_MARK, 1)) ? cell.slice(1) : cell;
}

/** Parses CSV text into records (the header is the first), cells restored; blank lines are skipped. */
export function parseCsv(input: string, delimiter: Delimiter = detectDelimiter(input)): { delimiter: Delimiter; records: CsvRecord[] } {
  const text = stripBom(input);
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let i = 0;
  const endRecord = () => {
    cells.push(restoreCell(cell));
    if (cells.length > 1 || cells[0] !== '') records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  while (i < text.length) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (char === '\n' || (char === '\r' && text[i + 1] !== '\n')) line++;
        cell += char;
      }
      i++;
      continue;
    }
    if (char === '"' && cell.trim() === '') {
      quoted = true;
      quoteLine = line;
      cell = '';
    } else if (char === delimiter) {
      cells.push(restoreCell(cell));
      cell = '';
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += char;
    }
    i++;
  }
  if (quoted) throw new CsvError(quoteLine, 'a quoted field is not closed (a " is missing)');
  if (cell !== '' || cells.length) endRecord();
  return { delimiter, records };
}

/**
 * Quotes a cell holding quotes, line breaks, outer spaces or a neutralised formula (OWASP advises
 * quoting those), and one holding any delimiter, not only the file's: a spreadsheet that splits
 * the file at another one then still sees one cell, and no part of it starts a cell of its own.
 */
function quote(cell: string, delimiter: string): string {
  return /["\r\n,;\t]/.test(cell) || cell.includes(delimiter) || /^\s|\s$/.test(cell) || cell.startsWith(TEXT_MARK)
    ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * Writes records as CSV with CRLF line ends, every cell neutralised (`neutraliseCell`); `bom` adds
 * the UTF-8 BOM Excel needs to read umlauts.
 */
export function formatCsv(rows: string[][], options: { delimiter?: Delimiter; bom?: boolean } = {}): string {
  const delimiter = options.delimiter ?? ',';
  const body = rows.map((row) => row.map((cell) => quote(neutraliseCell(cell), delimiter)).join(delimiter)).join('\r\n');
  return `${options.bom ? '\uFEFF' : ''}${body}\r\n`;
}
