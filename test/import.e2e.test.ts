import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Region } from '../subgraphs/kit/index.js';
import { runImport, type ImportOptions } from '../scripts/hub/import.js';
import { exportAsCsv, exportAsJson, runExport } from '../scripts/hub/export.js';
import type { Kind } from '../scripts/hub/columns.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { tokenFor } from './support/security.js';

/** `npm run hub -- import|export` against a regional hub over HTTP: SL, NW and an empty HE. */
let hub: TestHub;
let editorSL: string;
let editorNW: string;
let hubAdmin: string;

const ROOT = join(import.meta.dirname, '..');
const FIXTURES = join(import.meta.dirname, 'fixtures/import');

beforeAll(async () => {
  hub = await startTestHub({ seed: true, regions: [['SL'], ['NW'], ['HE']] as Region[][] });
  [editorSL, editorNW, hubAdmin] = await Promise.all([
    tokenFor('jana@saarland.example', ['editor:SL']), tokenFor('nrw@example.org', ['editor:NW']), tokenFor('ops@example.org', ['hub-admin']),
  ]);
}, 120_000);
afterAll(async () => { await hub?.stop(); });

const importAs = (token: string, options: Omit<ImportOptions, 'url' | 'token'>) => runImport({ url: hub.gateway.url, token, ...options });

async function alliancesOf(region: string) {
  const { data, errors } = await hub.query(`query($r: [Region!]) { alliances(filter: { regions: $r }, first: 100) {
    totalCount edges { node { name version municipality { name ags } foundedOn website fieldsOfAction } } } }`, { r: [region] });
  expect(errors).toBeUndefined();
  return data.alliances as { totalCount: number; edges: { node: Record<string, any> }[] };
}

describe('importing a network\'s list', () => {
  it('imports Excel\'s semicolon CSV with BOM and German headers, idempotently, and updates changed rows', async () => {
    const text = readFileSync(join(FIXTURES, 'allianzen-excel.csv'), 'utf8');
    const before = (await alliancesOf('SL')).totalCount;
    const first = await importAs(editorSL, { kind: 'alliances', text, format: 'csv' });
    expect(first).toMatchObject({ ok: true, errors: [], totals: { created: 3, updated: 0, unchanged: 0 }, ignoredColumns: ['Bemerkung'] });

    const after = await alliancesOf('SL');
    expect(after.totalCount).toBe(before + 3);
    const byName = Object.fromEntries(after.edges.map((e) => [e.node.name, e.node]));
    expect(byName['Lokales Bündnis für Familie Merzig']).toMatchObject({
      municipality: { name: 'Merzig', ags: '10042113' }, foundedOn: '2006-11', website: 'https://www.merzig.de/',
      fieldsOfAction: ['CHILDCARE', 'CARE'], version: 1,
    });
    expect(byName['Bündnis "Familie" St. Wendel']).toMatchObject({ foundedOn: '2008', fieldsOfAction: ['WORK_LIFE_BALANCE', 'CHILDCARE'] });
    expect(byName['Familienbündnis Neunkirchen']).toMatchObject({ municipality: null, fieldsOfAction: [] });

    const again = await importAs(editorSL, { kind: 'alliances', text, format: 'csv' });
    expect(again).toMatchObject({ ok: true, totals: { created: 0, updated: 0, unchanged: 3 } });
    expect((await alliancesOf('SL')).totalCount).toBe(before + 3);

    const changed = text.replace('Familienbündnis Neunkirchen;;;;;;', 'Familienbündnis Neunkirchen;Neunkirchen;;;https://neunkirchen.example/;;');
    const update = await importAs(editorSL, { kind: 'alliances', text: changed, format: 'csv' });
    expect(update).toMatchObject({ ok: true, totals: { created: 0, updated: 1, unchanged: 2 } });
    const neunkirchen = (await alliancesOf('SL')).edges.find((e) => e.node.name === 'Familienbündnis Neunkirchen')!.node;
    expect(neunkirchen).toMatchObject({ version: 2, municipality: { name: 'Neunkirchen', ags: null }, website: 'https://neunkirchen.example/' });
    const audit = await hub.subgraphs['alliances-sl'].orm.em.fork().getConnection()
      .execute(`select action, count(*)::int as n from audit_log where actor = 'jana@saarland.example' group by action order by action`);
    expect(audit).toEqual([{ action: 'create', n: 3 }, { action: 'update', n: 1 }]);
  });

  it('reports every invalid line with its number and reason, and writes nothing', async () => {
    const before = (await alliancesOf('SL')).totalCount;
    const outcome = await importAs(editorSL, { kind: 'alliances', file: join(FIXTURES, 'invalid-alliances.csv') });
    expect(outcome.ok).toBe(false);
    expect(outcome.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'name'], [4, 'foundedOn'], [5, 'website'], [6, 'region'], [7, 'fieldsOfAction'], [8, 'ags'],
    ]);
    expect(outcome.errors[1].message).toMatch(/"31.02.2010"/);
    expect(outcome.errors[2].message).toMatch(/website must be an http\(s\) URL/);
    expect(outcome.errors[3].message).toMatch(/"XX" is not a region/);
    expect(outcome.errors[4].message).toMatch(/"Raumfahrt" is not one of/);
    expect(outcome.written).toEqual([]);
    expect((await alliancesOf('SL')).totalCount).toBe(before);
  });

  it('dry-runs from the command line: every bad line on stderr, exit code 1', async () => {
    const run = promisify(execFile)(process.execPath, [
      join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/hub.ts', 'import', 'alliances', join(FIXTURES, 'invalid-alliances.csv'),
      '--dry-run', '--url', hub.gateway.url,
    ], { cwd: ROOT, env: { ...process.env, HUB_TOKEN: editorSL } });
    const failure = await run.then(() => undefined, (error: { code: number; stderr: string; stdout: string }) => error);
    expect(failure?.code).toBe(1);
    const lines = failure!.stderr.split('\n').filter((l) => l.includes('invalid-alliances.csv:'));
    expect(lines.map((l) => l.replace(/^.*invalid-alliances\.csv:/, '').split(':').slice(0, 2).join(':'))).toEqual([
      '3: name', '4: foundedOn', '5: website', '6: region', '7: fieldsOfAction', '8: ags',
    ]);
    expect(failure!.stdout).toMatch(/Dry run \(nothing written\): would create 0, update 0, unchanged 0; 6 invalid line\(s\)/);
  }, 30_000);

  it('dry runs count what would happen and write nothing', async () => {
    const text = 'Region,Name,Gemeinde\nSL,Bündnis Trockenlauf,Dillingen\nSL,Lokales Bündnis für Familie Merzig,Merzig-Wadern\n';
    const before = (await alliancesOf('SL')).totalCount;
    const outcome = await importAs(editorSL, { kind: 'alliances', text, format: 'csv', dryRun: true });
    expect(outcome).toMatchObject({ ok: true, dryRun: true, totals: { created: 1, updated: 1, unchanged: 0 } });

    const direct = await hub.as(['editor:SL'])(`mutation {
      importAlliances(input: { region: SL, dryRun: true, rows: [
        { line: 2, name: "Lokales Bündnis für Familie Merzig", municipality: "Merzig", foundedOn: "11.2006",
          fieldsOfAction: ["Kinderbetreuung", "CARE"] }
        { line: 3, name: "Bündnis Ohne Datum", foundedOn: "irgendwann" }
      ] }) { created updated unchanged errors { line field message } }
    }`);
    expect(direct.errors).toBeUndefined();
    expect(direct.data.importAlliances).toEqual({
      created: 0, updated: 0, unchanged: 0,
      errors: [{ line: 3, field: 'foundedOn', message: 'foundedOn must be a date such as 2005, 2005-11, 2005-11-20 or 20.11.2005, not "irgendwann"' }],
    });
    expect((await alliancesOf('SL')).totalCount).toBe(before);
  });

  it('refuses an editor of another region with FORBIDDEN and writes nothing', async () => {
    const text = readFileSync(join(FIXTURES, 'allianzen-excel.csv'), 'utf8').replaceAll('Merzig', 'Mettlach');
    const before = (await alliancesOf('SL')).totalCount;
    const outcome = await importAs(editorNW, { kind: 'alliances', text, format: 'csv' });
    expect(outcome.ok).toBe(false);
    // Every row of the refused region, by its line (the second row's quoted cell spans two lines).
    expect(outcome.errors.map((e) => [e.line, e.column])).toEqual([[2, 'Bundesland'], [3, 'Bundesland'], [5, 'Bundesland']]);
    for (const error of outcome.errors) expect(error.message).toMatch(/^SL: .*may not write data of region SL \(FORBIDDEN\)/);
    expect(outcome.failure).toBeUndefined();
    expect(outcome.invalidLines).toBe(3);
    expect(outcome.written).toEqual([]);

    const direct = await hub.as(['editor:NW'])(`mutation($input: AllianceImportInput!) { importAlliances(input: $input) { created } }`,
      { input: { region: 'SL', rows: [{ line: 2, name: 'Bündnis Mettlach' }] } });
    expect(direct.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', region: 'SL' });
    const anonymous = await hub.anonymous(`mutation($input: AllianceImportInput!) { importAlliances(input: $input) { created } }`,
      { input: { region: 'SL', rows: [{ line: 2, name: 'Bündnis Mettlach' }] } });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await alliancesOf('SL')).totalCount).toBe(before);
  });

  it('imports a member list as organisations, then as memberships of alliances named in it', async () => {
    const list = [
      'Bündnis;Organisation;Art;Beigetreten;Bemerkung',
      'Lokales Bündnis für Familie Merzig;Stadt Merzig;Kommune;2006;',
      'Lokales Bündnis für Familie Merzig;Caritasverband Saar-Hochwald;Wohlfahrtsverband;01.03.2007;',
      'Familienbündnis Neunkirchen;Caritasverband Saar-Hochwald;Wohlfahrtsverband;2010-05;',
      'Familienbündnis Neunkirchen;Unbekannte GmbH;Unternehmen;2011;',
    ].join('\r\n');
    const organizations = await importAs(editorSL, { kind: 'organizations', text: list, format: 'csv', region: 'SL' });
    expect(organizations).toMatchObject({ ok: true, totals: { created: 3 }, repeatedLines: [4] });

    const memberships = await importAs(editorSL, { kind: 'memberships', text: list, format: 'csv', region: 'Saarland' });
    expect(memberships).toMatchObject({ ok: true, totals: { created: 4, updated: 0, unchanged: 0 } });
    const again = await importAs(editorSL, { kind: 'memberships', text: list, format: 'csv', region: 'SL' });
    expect(again.totals).toEqual({ created: 0, updated: 0, unchanged: 4 });

    const { data } = await hub.query(`{ alliances(filter: { text: "Merzig", regions: [SL] }) { edges { node { name
      memberships { joinedOn organization { name kind } } } } } }`);
    expect(data.alliances.edges[0].node.memberships).toEqual([
      { joinedOn: '2006', organization: { name: 'Stadt Merzig', kind: 'MUNICIPALITY' } },
      { joinedOn: '2007-03-01', organization: { name: 'Caritasverband Saar-Hochwald', kind: 'WELFARE_ASSOCIATION' } },
    ]);

    const unknown = await importAs(editorSL, {
      kind: 'memberships', format: 'csv', region: 'SL', text: 'Bündnis,Organisation\nGibt es nicht,Stadt Merzig\n',
    });
    expect(unknown.errors).toEqual([{ line: 2, field: 'alliance', column: 'Bündnis', message: 'there is no alliance "Gibt es nicht" in SL; import it first' }]);
  });
});

describe('importing projects and people across regions', () => {
  const PROJECTS = [
    'Titel;Bundesland;Status;Förderung;Beginn;Ende;Handlungsfelder',
    'Ferienbetreuung Merzig;Saarland;Laufend;Kommunale Mittel;2020;;Kinderbetreuung',
    'Pflegelotsen Iserlohn;NRW;Geplant;;2024-01;;Pflege',
    'Familienpass Merzig;SL;Abgeschlossen;;2019;2021;',
    'Elterncafé Merzig;SL;Irgendwann;;2022;2021;',
  ];
  const projectCount = async (title: string) =>
    (await hub.query(`query($t: String) { projects(filter: { text: $t }) { totalCount } }`, { t: title })).data.projects.totalCount;

  it('checks every chunk of every region before writing any: one bad row in the last chunk stops all', async () => {
    const editor = await tokenFor('both@example.org', ['editor:SL', 'editor:NW']);
    const bad = await importAs(editor, { kind: 'projects', text: PROJECTS.join('\n'), format: 'csv', chunkSize: 2 });
    expect(bad.ok).toBe(false);
    expect(bad.errors.map((e) => [e.line, e.column])).toEqual([[5, 'Status'], [5, 'Ende']]);
    expect(await projectCount('Ferienbetreuung')).toBe(0);
    expect(await projectCount('Pflegelotsen')).toBe(0);

    const good = await importAs(editor, { kind: 'projects', text: PROJECTS.slice(0, 4).join('\n'), format: 'csv', chunkSize: 2 });
    expect(good).toMatchObject({ ok: true, written: ['SL', 'NW'] });
    expect(good.regions).toEqual([{ region: 'SL', created: 2, updated: 0, unchanged: 0 }, { region: 'NW', created: 1, updated: 0, unchanged: 0 }]);
    const { data } = await hub.query(`{ projects(filter: { text: "Ferienbetreuung" }) { edges { node {
      id status fundingProgramme startsOn fieldsOfAction } } } }`);
    expect(data.projects.edges[0].node).toMatchObject({
      id: expect.stringMatching(/^SL:project:/), status: 'ACTIVE', fundingProgramme: 'MUNICIPAL', startsOn: '2020', fieldsOfAction: ['CHILDCARE'],
    });
  });

  it('imports people with contact details and a documented consent only', async () => {
    const people = [
      'Vorname,Nachname,E-Mail,Telefon,Veröffentlichung,Einwilligung am,Einwilligungsnachweis',
      'Eva,Muster,eva.muster@example.org,06861 123,ja,2024-03-01,Formular vom 1.3.2024',
      'Max,Beispiel,kein-mail,,ja,,',
    ];
    const bad = await importAs(editorSL, { kind: 'people', text: people.join('\n'), format: 'csv', region: 'SL' });
    expect(bad.errors.map((e) => [e.line, e.field])).toEqual([[3, 'email'], [3, 'consentRecordedOn']]);
    const good = await importAs(editorSL, { kind: 'people', text: people.slice(0, 2).join('\n'), format: 'csv', region: 'SL' });
    expect(good.totals).toEqual({ created: 1, updated: 0, unchanged: 0 });
    const { data } = await hub.anonymous(`{ people(filter: { text: "Muster", regions: [SL] }) { edges { node {
      name contact { email phone } consent { publicListing recordedOn source } } } } }`);
    expect(data.people.edges[0].node).toEqual({
      name: 'Eva Muster', contact: { email: 'eva.muster@example.org', phone: '06861 123' },
      consent: { publicListing: true, recordedOn: '2024-03-01', source: 'Formular vom 1.3.2024' },
    });
  });
});

describe('export', () => {
  const KINDS: Kind[] = ['organizations', 'alliances', 'memberships', 'projects', 'people'];

  it('round-trips every kind: SL exported, imported into the empty HE, exported again, equal', async () => {
    for (const kind of KINDS) {
      const exported = await runExport({ url: hub.gateway.url, token: hubAdmin, kind, regions: ['SL'] });
      expect(exported.rows.length, kind).toBeGreaterThan(0);
      const asHe = exportAsJson({ ...exported, rows: exported.rows.map((row) => ({ ...row, region: 'HE' })) });
      const imported = await importAs(hubAdmin, { kind, text: asHe, format: 'json' });
      expect(imported.errors, kind).toEqual([]);
      expect(imported.totals, kind).toEqual({ created: exported.rows.length, updated: 0, unchanged: 0 });
      const back = await runExport({ url: hub.gateway.url, token: hubAdmin, kind, regions: ['HE'] });
      expect(back.rows, kind).toEqual(exported.rows.map((row) => ({ ...row, region: 'HE' })));
    }
  }, 60_000);

  it('writes CSV (Excel\'s too) that imports back unchanged', async () => {
    const exported = await runExport({ url: hub.gateway.url, token: hubAdmin, kind: 'alliances', regions: ['SL'] });
    for (const csv of [exportAsCsv(exported), exportAsCsv(exported, { delimiter: ';', bom: true })]) {
      const outcome = await importAs(editorSL, { kind: 'alliances', text: csv, format: 'csv' });
      expect(outcome.errors).toEqual([]);
      expect(outcome.totals).toEqual({ created: 0, updated: 0, unchanged: exported.rows.length });
    }
    expect(exportAsCsv(exported).split('\r\n')[0]).toBe('region,name,municipality,ags,foundedOn,legalForm,goals,website,fieldsOfAction');
  });
});
