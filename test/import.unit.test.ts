import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, formatCsv, parseCsv } from '../scripts/hub/csv.js';
import { mapHeaders, regionOf } from '../scripts/hub/columns.js';
import { parseSource } from '../scripts/hub/source.js';
import { FieldOfAction, RowProblems, cellBoolean, cellDate, cellEnum, cellEnumList, sameValue } from '../subgraphs/kit/index.js';
import { OrganizationKind } from '../subgraphs/alliances/enums.js';
import { FundingProgramme, ProjectStatus } from '../subgraphs/projects/enums.js';

const FIXTURES = join(import.meta.dirname, 'fixtures/import');

describe('CSV reader', () => {
  it('reads Excel\'s semicolon CSV with a BOM, quotes, doubled quotes and line breaks in quotes, with line numbers', () => {
    const { delimiter, records } = parseCsv(readFileSync(join(FIXTURES, 'allianzen-excel.csv'), 'utf8'));
    expect(delimiter).toBe(';');
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 5]);
    expect(records[0].cells[0]).toBe('Bundesland');
    expect(records[1].cells[6]).toBe('Kinderbetreuung; Pflege');
    expect(records[2].cells[1]).toBe('Bündnis "Familie" St. Wendel');
    expect(records[2].cells[7]).toBe('zwei\r\nZeilen');
    expect(records[3].cells).toHaveLength(8);
  });

  it('detects the delimiter from the header line only, ignoring quoted ones', () => {
    expect(detectDelimiter('a,b,c\n1;2;3;4;5')).toBe(',');
    expect(detectDelimiter('"a,b";c;d\n')).toBe(';');
    expect(detectDelimiter('\uFEFFName;Art\n')).toBe(';');
    expect(detectDelimiter('a\tb\n')).toBe('\t');
  });

  it('handles LF, CR and CRLF line ends, skips blank lines and reports an unclosed quote with its line', () => {
    expect(parseCsv('a,b\n1,2\r\n\r\n3,4\r5,6').records.map((r) => [r.line, ...r.cells]))
      .toEqual([[1, 'a', 'b'], [2, '1', '2'], [4, '3', '4'], [5, '5', '6']]);
    expect(parseCsv('a,b\n"x\ny",2\n3,4').records.map((r) => r.line)).toEqual([1, 2, 4]);
    expect(parseCsv('a,b\n1,""\n').records[1].cells).toEqual(['1', '']);
    expect(() => parseCsv('a,b\n1,2\n"open,3\n4,5')).toThrow(/line 3: a quoted field is not closed/);
  });

  it('writes what it reads back (quotes where needed, CRLF, optional BOM)', () => {
    const rows = [['Name', 'Notiz'], ['A; B', 'sagt "hallo"'], ['zwei\nZeilen', ' Rand '], ['', 'ä']];
    const text = formatCsv(rows, { delimiter: ';', bom: true });
    expect(text.startsWith('\uFEFFName;Notiz\r\n"A; B";"sagt ""hallo"""')).toBe(true);
    expect(parseCsv(text).records.map((r) => r.cells)).toEqual(rows);
    expect(parseCsv(formatCsv(rows)).records.map((r) => r.cells)).toEqual(rows);
  });
});

describe('header mapping', () => {
  it('maps German and English headers to the import fields, case and umlauts folded', () => {
    const mapping = mapHeaders('alliances', ['Bundesland', 'Bündnis', 'gemeinde', 'AGS', 'Gegründet', 'WEBSITE', 'Handlungsfelder', 'Bemerkung']);
    expect(mapping.fields).toEqual(['region', 'name', 'municipality', 'ags', 'foundedOn', 'website', 'fieldsOfAction', undefined]);
    expect(mapping.ignored).toEqual(['Bemerkung']);
    expect(mapHeaders('memberships', ['Bündnis', 'Organisation', 'Beigetreten', 'Art']).fields)
      .toEqual(['alliance', 'organization', 'joinedOn', undefined]);
    expect(mapHeaders('organizations', ['Organisation', 'Art', 'E-Mail', 'Telefon']).fields).toEqual(['name', 'kind', 'email', 'phone']);
    expect(mapHeaders('people', ['Vorname', 'Nachname', 'email']).fields).toEqual(['givenName', 'familyName', 'email']);
    expect(mapHeaders('projects', ['Titel', 'Status', 'Förderung', 'Foerderung']).repeated).toEqual(['fundingProgramme']);
  });

  it('reads regions by code or German state name', () => {
    expect(regionOf('SL')).toBe('SL');
    expect(regionOf(' sl ')).toBe('SL');
    expect(regionOf('Saarland')).toBe('SL');
    expect(regionOf('Thüringen')).toBe('TH');
    expect(regionOf('Thueringen')).toBe('TH');
    expect(regionOf('Baden-Württemberg')).toBe('BW');
    expect(regionOf('Nordrhein-Westfalen')).toBe('NW');
    expect(regionOf('NRW')).toBe('NW');
    expect(regionOf('DE-ST')).toBe('ST');
    expect(regionOf('Bund')).toBe('DE');
    expect(regionOf('Atlantis')).toBeUndefined();
    expect(regionOf('XX')).toBeUndefined();
  });

  it('turns CSV cells into import rows: empty cells null, list cells as lists, region apart', () => {
    const source = parseSource('alliances', readFileSync(join(FIXTURES, 'allianzen-excel.csv'), 'utf8'), 'csv');
    expect(source.problems).toEqual([]);
    expect(source.ignored).toEqual(['Bemerkung']);
    expect(source.headers).toMatchObject({ region: 'Bundesland', name: 'Bündnis', fieldsOfAction: 'Handlungsfelder' });
    expect(source.rows[0]).toEqual({
      line: 2, region: 'Saarland',
      values: {
        name: 'Lokales Bündnis für Familie Merzig', municipality: 'Merzig', ags: '10042113', foundedOn: '11.2006',
        website: 'https://www.merzig.de/', fieldsOfAction: ['Kinderbetreuung; Pflege'],
      },
    });
    expect(source.rows[2]).toMatchObject({ line: 5, values: { municipality: null, fieldsOfAction: null } });
  });

  it('gives JSON rows the line their object starts on', () => {
    const text = '[\n  {\n    "Bündnis": "A",\n    "Region": "SL"\n  },\n  { "name": "B", "fieldsOfAction": ["CARE"], "ags": 10041 }\n]';
    const source = parseSource('alliances', text, 'json');
    expect(source.rows).toEqual([
      { line: 2, region: 'SL', values: { name: 'A' } },
      { line: 6, values: { name: 'B', fieldsOfAction: ['CARE'], ags: '10041' } },
    ]);
    expect(parseSource('alliances', '{"name": "x"}', 'json').problems[0].message).toMatch(/array of objects/);
  });
});

describe('import cells (server side)', () => {
  it('reads partial dates in ISO and German forms', () => {
    const problems = new RowProblems(7);
    expect(cellDate(problems, 'foundedOn', '2005')).toBe('2005');
    expect(cellDate(problems, 'foundedOn', '11.2005')).toBe('2005-11');
    expect(cellDate(problems, 'foundedOn', '1.11.2005')).toBe('2005-11-01');
    expect(cellDate(problems, 'foundedOn', ' ')).toBeNull();
    expect(cellDate(problems, 'foundedOn', undefined)).toBeUndefined();
    expect(problems.errors).toEqual([]);
    cellDate(problems, 'foundedOn', '31.02.2010');
    expect(problems.errors).toEqual([{ line: 7, field: 'foundedOn', message: expect.stringMatching(/foundedOn must be a date.*"31.02.2010"/) }]);
  });

  it('reads enum values by name or German label (or a part of it)', () => {
    const problems = new RowProblems(3);
    expect(cellEnum(problems, 'kind', OrganizationKind, 'Jobcenter')).toBe('JOB_CENTRE');
    expect(cellEnum(problems, 'kind', OrganizationKind, 'kirche')).toBe('CHURCH');
    expect(cellEnum(problems, 'kind', OrganizationKind, 'Kammer')).toBe('CHAMBER');
    expect(cellEnum(problems, 'kind', OrganizationKind, 'welfare association')).toBe('WELFARE_ASSOCIATION');
    expect(cellEnum(problems, 'status', ProjectStatus, 'Laufend')).toBe('ACTIVE');
    expect(cellEnum(problems, 'fundingProgramme', FundingProgramme, 'LEADER')).toBe('LEADER');
    expect(cellEnumList(problems, 'fieldsOfAction', FieldOfAction, ['Kinderbetreuung; Pflege', 'CHILDCARE', 'Familienbildung']))
      .toEqual(['CHILDCARE', 'CARE', 'FAMILY_EDUCATION']);
    expect(problems.errors).toEqual([]);
    expect(cellEnumList(problems, 'fieldsOfAction', FieldOfAction, ['Raumfahrt'])).toBeUndefined();
    expect(problems.errors[0]).toMatchObject({ line: 3, field: 'fieldsOfAction', message: expect.stringMatching(/"Raumfahrt" is not one of/) });
  });

  it('reads yes/no cells and compares stored values', () => {
    const problems = new RowProblems(1);
    expect([cellBoolean(problems, 'p', 'ja'), cellBoolean(problems, 'p', 'Nein'), cellBoolean(problems, 'p', 'true')]).toEqual([true, false, true]);
    expect(sameValue({ name: 'A', ags: null }, { name: 'A' })).toBe(true);
    expect(sameValue(['A', 'B'], ['B', 'A'])).toBe(false);
    expect(sameValue(undefined, null)).toBe(true);
  });
});
