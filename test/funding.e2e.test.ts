import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Region } from '../subgraphs/kit/index.js';
import { runImport } from '../scripts/hub/import.js';
import { exportAsCsv, exportAsJson, runExport } from '../scripts/hub/export.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { tokenFor } from './support/security.js';

/** Funding lines through the regional gateway: SL, ST and one instance for BW and NW. */
let hub: TestHub;
let admin: string;

type Line = { programme: string; funder?: string | null; amountCents?: number | null; share?: number | null; startsOn?: string | null; endsOn?: string | null; grantReference?: string | null };
interface Input { region: string; title: string; startsOn?: string; fundingLines: Line[] }

// ESF with state co-funding, LEADER with the municipality's part, budgets; some amounts unknown; one sum beyond 2^31 cents.
const PROJECTS: Input[] = [
  { region: 'SL', title: 'Familienlotsen Saar', startsOn: '2019', fundingLines: [
    { programme: 'ESF', funder: 'Europäischer Sozialfonds', amountCents: 1_800_000_000, share: 60, startsOn: '2019', endsOn: '2021', grantReference: 'ESF-19/4' },
    { programme: 'STATE', funder: 'Land Saarland', amountCents: 1_200_000_000, share: 40, startsOn: '2019', endsOn: '2021' }] },
  { region: 'SL', title: 'Kita-Randzeiten Merzig', startsOn: '2021', fundingLines: [{ programme: 'MUNICIPAL', funder: 'Kreisstadt Merzig', amountCents: 4_550_050 }] },
  { region: 'ST', title: 'Babysitterdienst Börde', startsOn: '2020', fundingLines: [
    { programme: 'LEADER', funder: 'LEADER-Aktionsgruppe Börde', amountCents: 8_400_000, share: 70, startsOn: '2020-04' },
    { programme: 'MUNICIPAL', funder: 'Gemeinde Barleben', amountCents: null, share: 30 }] },
  { region: 'ST', title: 'Väterfrühstück Haldensleben', fundingLines: [{ programme: 'LEADER', amountCents: null }] },
  { region: 'BW', title: 'Pflegelotsen Heidelberg', startsOn: '2019', fundingLines: [
    { programme: 'ESF', funder: 'ESF Plus', amountCents: 950_000_000, startsOn: '2022' }, { programme: 'STATE', funder: 'Land Baden-Württemberg', amountCents: 150_000_000 }] },
  { region: 'NW', title: 'Ferienbetreuung Iserlohn', startsOn: '2020', fundingLines: [
    { programme: 'FOUNDATION', funder: 'Bürgerstiftung Iserlohn', amountCents: 1_234_567 }, { programme: 'COMPANY', funder: 'SIHK', amountCents: null }] },
  { region: 'NW', title: 'Ohne Förderung', fundingLines: [] },
];

beforeAll(async () => {
  hub = await startTestHub({ seed: false, regions: [['SL'], ['ST'], ['BW', 'NW']] as Region[][] });
  admin = await tokenFor('ops@example.org', ['hub-admin']);
  for (const input of PROJECTS) {
    const result = await hub.query('mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }', { input });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
  }
}, 120_000);
afterAll(async () => { await hub?.stop(); });

const MONEY = `query($filter: ProjectFilter) { projectStatistics(filter: $filter) { total fundingLines linesWithoutAmount
  amountByProgramme { programme amountCents } amountByRegion { region amountCents } amountByYear { year amountCents }
  linesWithoutAmountByProgramme { programme count } linesWithoutAmountByRegion { region count } linesWithoutAmountByYear { year count }
  byFundingProgramme { programme count } } }`;

/** Sums and counts per key, ordered as the gateway orders merged rows: largest first, then key, unknown last. */
function rows(entries: [string | number | null, number][], name: string, value: string) {
  const totals = new Map<string | number | null, number>();
  for (const [key, n] of entries) totals.set(key, (totals.get(key) ?? 0) + n);
  return [...totals].sort(([a, m], [b, n]) => n - m || (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([key, n]) => ({ [name]: key, [value]: n }));
}

/** What the statistics must say, computed from the inserted lines. */
function expected(projects: Input[]) {
  const lines = projects.flatMap((p) => p.fundingLines.map((l) => ({ ...l, region: p.region,
    year: (l.startsOn ?? p.startsOn) ? Number((l.startsOn ?? p.startsOn)!.slice(0, 4)) : null })));
  const known = lines.filter((l) => l.amountCents != null);
  const unknown = lines.filter((l) => l.amountCents == null);
  const main = (p: Input) => [...p.fundingLines].reduce<Line | undefined>((best, l) => (!best
    || (l.amountCents ?? -1) > (best.amountCents ?? -1)
    || ((l.amountCents ?? -1) === (best.amountCents ?? -1) && (l.share ?? -1) > (best.share ?? -1)) ? l : best), undefined)?.programme ?? null;
  return {
    total: projects.length, fundingLines: lines.length, linesWithoutAmount: unknown.length,
    amountByProgramme: rows(known.map((l) => [l.programme, l.amountCents!]), 'programme', 'amountCents'),
    amountByRegion: rows(known.map((l) => [l.region, l.amountCents!]), 'region', 'amountCents'),
    amountByYear: rows(known.map((l) => [l.year, l.amountCents!]), 'year', 'amountCents'),
    linesWithoutAmountByProgramme: rows(unknown.map((l) => [l.programme, 1]), 'programme', 'count'),
    linesWithoutAmountByRegion: rows(unknown.map((l) => [l.region, 1]), 'region', 'count'),
    linesWithoutAmountByYear: rows(unknown.map((l) => [l.year, 1]), 'year', 'count'),
    byFundingProgramme: rows(projects.map((p) => [main(p), 1]), 'programme', 'count'),
  };
}

describe('funding across regional instances', () => {
  it('sums the money of every region\'s instance by programme, region and year, unknown amounts counted apart', async () => {
    const { data, errors } = await hub.query(MONEY);
    expect(errors).toBeUndefined();
    expect(data.projectStatistics).toEqual(expected(PROJECTS));
    // 18 + 12 + 9.5 + 1.5 million euro and small sums: past what a 32-bit Int holds.
    expect(data.projectStatistics.amountByProgramme.reduce((sum: number, r: any) => sum + r.amountCents, 0)).toBeGreaterThan(2 ** 31);

    const narrowed = await hub.query(MONEY, { filter: { regions: ['ST', 'NW'] } });
    expect(narrowed.data.projectStatistics).toEqual(expected(PROJECTS.filter((p) => ['ST', 'NW'].includes(p.region))));
    const byProgramme = await hub.query(MONEY, { filter: { fundingProgrammes: ['ESF'] } });
    expect(byProgramme.data.projectStatistics).toEqual(expected(PROJECTS.filter((p) => p.fundingLines.some((l) => l.programme === 'ESF'))));
  });

  it('answers the brief\'s ProjectsByText with fundingProgramme derived from the main line', async () => {
    const { data } = await hub.query(`{ projects(filter: { text: "Babysitterdienst" }, first: 5) {
      edges { node { id title status region fundingProgramme leadAlliance { name } partnerOrganizations { name } contacts { name } } } } }`);
    expect(data.projects.edges.map((e: any) => e.node.fundingProgramme)).toEqual(['LEADER']);
    const lists = await hub.query(`{ projects(first: 100) { edges { node { title fundingProgramme fundingLines { programme amountCents share } } } } }`);
    const byTitle = Object.fromEntries(lists.data.projects.edges.map((e: any) => [e.node.title, e.node]));
    expect(byTitle['Pflegelotsen Heidelberg'].fundingProgramme).toBe('ESF');
    expect(byTitle['Ferienbetreuung Iserlohn'].fundingProgramme).toBe('FOUNDATION');
    expect(byTitle['Ohne Förderung']).toMatchObject({ fundingProgramme: null, fundingLines: [] });
  });
});

const LINES = `{ projects(first: 100) { edges { node { region title fundingProgramme version
  fundingLines { programme funder amountCents share startsOn endsOn grantReference } } } } }`;
const stored = async () => Object.fromEntries((await hub.query(LINES)).data.projects.edges.map((e: any) => [`${e.node.region} ${e.node.title}`, e.node]));

describe('funding lines in files', () => {
  it('round-trips through CSV and JSON unchanged, and an edited amount changes just that line', async () => {
    const before = await stored();
    const exported = await runExport({ url: hub.gateway.url, token: admin, kind: 'projects' });
    expect(exported.columns).toEqual(expect.arrayContaining(['funding1Programme', 'funding1Amount', 'funding2GrantReference']));
    expect(exported.columns).not.toContain('funding3Programme');
    const csv = exportAsCsv(exported);
    expect(csv).toContain('18000000.00');

    for (const [text, format] of [[csv, 'csv'], [exportAsJson(exported), 'json']] as const) {
      const again = await runImport({ url: hub.gateway.url, token: admin, kind: 'projects', text, format });
      expect(again).toMatchObject({ ok: true, errors: [], totals: { created: 0, updated: 0, unchanged: PROJECTS.length } });
    }
    expect(await stored()).toEqual(before);

    // A spreadsheet user edits the ST project's LEADER amount in German notation and fills in the unknown municipal part.
    const edited = csv.replace(/84000\.00/, '"90.000,50 €"').replace(/,Gemeinde Barleben,,/, ',Gemeinde Barleben,"3.600",');
    expect(edited).not.toBe(csv);
    const outcome = await runImport({ url: hub.gateway.url, token: admin, kind: 'projects', text: edited, format: 'csv' });
    expect(outcome).toMatchObject({ ok: true, totals: { created: 0, updated: 1, unchanged: PROJECTS.length - 1 } });
    const after = await stored();
    expect(after['ST Babysitterdienst Börde'].fundingLines.map((l: any) => l.amountCents)).toEqual([9_000_050, 360_000]);
    expect(after['ST Babysitterdienst Börde'].fundingLines[0]).toMatchObject({ funder: 'LEADER-Aktionsgruppe Börde', share: 70, startsOn: '2020-04' });
    for (const key of Object.keys(before).filter((k) => k !== 'ST Babysitterdienst Börde')) expect(after[key]).toEqual(before[key]);
  });

  it('reads German headers and names the column of a bad cell, writing nothing', async () => {
    const text = [
      'Bundesland;Projekttitel;Förderung 1 Programm;Förderung 1 Geldgeber;Förderung 1 Betrag;Förderung 1 Anteil;Förderung 2 Programm;Förderung 2 Betrag;Förderung 2 Anteil',
      'Saarland;Elterncafé Saarlouis;Europäischer Sozialfonds;ESF Plus;120.000,00 €;75 %;Landesmittel;40000;25',
      'Saarland;Familienpass Saarlouis;ESF;;zwölf;80;STATE;;30',
    ].join('\n');
    const bad = await runImport({ url: hub.gateway.url, token: admin, kind: 'projects', text, format: 'csv' });
    expect(bad.ok).toBe(false);
    expect(bad.errors.map((e) => [e.line, e.column])).toEqual([[3, 'Förderung 1 Betrag'], [3, 'Förderung 2 Anteil']]);
    expect(bad.errors[1].message).toContain('110');
    expect((await hub.query(`{ projects(filter: { text: "Saarlouis" }) { totalCount } }`)).data.projects.totalCount).toBe(0);

    const good = await runImport({ url: hub.gateway.url, token: admin, kind: 'projects', text: text.split('\n').slice(0, 2).join('\n'), format: 'csv' });
    expect(good).toMatchObject({ ok: true, totals: { created: 1 } });
    const { data } = await hub.query(`{ projects(filter: { text: "Elterncafé" }) { edges { node { fundingProgramme fundingLines { programme funder amountCents share } } } } }`);
    expect(data.projects.edges[0].node).toEqual({ fundingProgramme: 'ESF', fundingLines: [
      { programme: 'ESF', funder: 'ESF Plus', amountCents: 12_000_000, share: 75 }, { programme: 'STATE', funder: null, amountCents: 4_000_000, share: 25 }] });
  });
});
