/**
 * A small RFC 4180 CSV reader and writer: quoted fields with doubled quotes and line breaks,
 * CR, LF or CRLF line ends, an optional UTF-8 BOM, and `;` (Excel in German locales) or `,`
 * as the delimiter, detected from the header line.
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

/** Parses CSV text into records (the header is the first); blank lines are skipped. */
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
    cells.push(cell);
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
      cells.push(cell);
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

function quote(cell: string, delimiter: string): string {
  return /["\r\n]/.test(cell) || cell.includes(delimiter) || /^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Writes records as CSV with CRLF line ends; `bom` adds the UTF-8 BOM Excel needs to read umlauts. */
export function formatCsv(rows: string[][], options: { delimiter?: Delimiter; bom?: boolean } = {}): string {
  const delimiter = options.delimiter ?? ',';
  const body = rows.map((row) => row.map((cell) => quote(cell, delimiter)).join(delimiter)).join('\r\n');
  return `${options.bom ? '\uFEFF' : ''}${body}\r\n`;
}
