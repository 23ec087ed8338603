import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initOrm } from '../subgraphs/kit/index.js';
import { projectsSubgraph } from '../subgraphs/projects/index.js';
import { createTestDatabase } from './support/databases.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';

let blank: TestSubgraph;
let generated: TestSubgraph;

beforeAll(async () => {
  [blank, generated] = await Promise.all([startTestSubgraph(projectsSubgraph), startTestSubgraph(projectsSubgraph)]);
});
afterAll(async () => {
  await Promise.all([blank?.stop(), generated?.stop()]);
});

const LINE_FIELDS = 'programme funder amountCents share startsOn endsOn grantReference';
const CREATE = `mutation($input: CreateProjectInput!) { createProject(input: $input) { id version fundingProgramme fundingLines { ${LINE_FIELDS} } } }`;
const UPDATE = `mutation($input: UpdateProjectInput!) { updateProject(input: $input) { id version fundingProgramme fundingLines { ${LINE_FIELDS} } } }`;

const ESF = { programme: 'ESF', funder: 'Europäischer Sozialfonds', amountCents: 12_000_000, share: 60, startsOn: '2019', endsOn: '2021-06', grantReference: 'ESF-2019/17' };
const STATE = { programme: 'STATE', funder: 'Land Saarland', amountCents: 8_000_000, share: 40, startsOn: '2019', endsOn: '2021', grantReference: null };
/** A line as the API returns it: every field, null where not given. */
const full = (line: Record<string, unknown>) => ({ funder: null, amountCents: null, share: null, startsOn: null, endsOn: null, grantReference: null, ...line });

describe('projects subgraph: funding lines', () => {
  it('stores the lines in their order and derives fundingProgramme from the main line', async () => {
    const created = await blank.query(CREATE, { input: { region: 'SL', title: 'Kofinanziert', fundingLines: [STATE, ESF] } });
    expect(created.errors).toBeUndefined();
    expect(created.data.createProject.fundingLines).toEqual([STATE, ESF]);
    // Largest amount wins, wherever it stands.
    expect(created.data.createProject.fundingProgramme).toBe('ESF');

    const byShare = await blank.query(CREATE, { input: { region: 'SL', title: 'Nach Anteil', fundingLines: [
      { programme: 'MUNICIPAL', share: 30 }, { programme: 'LEADER', share: 70 }, { programme: 'FOUNDATION' }] } });
    expect(byShare.data.createProject.fundingProgramme).toBe('LEADER');
    const first = await blank.query(CREATE, { input: { region: 'SL', title: 'Unbekannt', fundingLines: [{ programme: 'COMPANY' }, { programme: 'STATE' }] } });
    expect(first.data.createProject.fundingProgramme).toBe('COMPANY');
    // An unknown amount ranks below any known one, 0 € included.
    const zero = await blank.query(CREATE, { input: { region: 'SL', title: 'Null Euro', fundingLines: [{ programme: 'STATE' }, { programme: 'OTHER', amountCents: 0 }] } });
    expect(zero.data.createProject.fundingProgramme).toBe('OTHER');

    const filtered = await blank.query(`{ projects(filter: { fundingProgrammes: [ESF, LEADER] }) { edges { node { title fundingProgramme } } } }`);
    expect(filtered.data.projects.edges.map((e: any) => e.node.title).sort()).toEqual(['Kofinanziert', 'Nach Anteil']);
  });

  it('keeps fundingProgramme as a shorthand for one line of unknown amount, and refuses it contradicting the lines', async () => {
    const shorthand = await blank.query(CREATE, { input: { region: 'BW', title: 'Kurzform', fundingProgramme: 'LEADER' } });
    expect(shorthand.data.createProject.fundingLines).toEqual([full({ programme: 'LEADER' })]);
    const both = await blank.query(CREATE, { input: { region: 'BW', title: 'Beides', fundingProgramme: 'ESF', fundingLines: [ESF, STATE] } });
    expect(both.data.createProject.fundingProgramme).toBe('ESF');
    const contradicting = await blank.query(CREATE, { input: { region: 'BW', title: 'Widerspruch', fundingProgramme: 'STATE', fundingLines: [ESF, STATE] } });
    expect(contradicting.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fundingProgramme' });
  });

  it('replaces the lines as a whole on update, logs each line written and removed, and keeps them when not named', async () => {
    const { data } = await blank.query(CREATE, { input: { region: 'NW', title: 'Ersetzt', fundingLines: [ESF, STATE] } });
    const { id, version } = data.createProject;
    const retitled = await blank.query(UPDATE, { input: { id, version, title: 'Ersetzt 2' } });
    expect(retitled.data.updateProject.fundingLines).toHaveLength(2);
    const sameProgramme = await blank.query(UPDATE, { input: { id, version: retitled.data.updateProject.version, fundingProgramme: 'ESF' } });
    expect(sameProgramme.data.updateProject.fundingLines).toEqual([ESF, STATE]);

    const replaced = await blank.query(UPDATE, { input: { id, version: sameProgramme.data.updateProject.version, fundingLines: [{ programme: 'MUNICIPAL', amountCents: 500_000 }] } });
    expect(replaced.errors).toBeUndefined();
    expect(replaced.data.updateProject.fundingLines).toEqual([full({ programme: 'MUNICIPAL', amountCents: 500_000 })]);
    expect(replaced.data.updateProject.fundingProgramme).toBe('MUNICIPAL');
    expect(replaced.data.updateProject.version).toBeGreaterThan(sameProgramme.data.updateProject.version);

    const log = await blank.query(`{ projectsAuditLog(first: 100) { edges { node { action recordType recordId fields } } } }`);
    const lineEntries = log.data.projectsAuditLog.edges.map((e: any) => e.node).filter((n: any) => n.recordType === 'FundingLine');
    expect(lineEntries.filter((n: any) => n.action === 'DELETE').length).toBeGreaterThanOrEqual(2);
    expect(lineEntries.filter((n: any) => n.action === 'CREATE').length).toBeGreaterThanOrEqual(3);

    const cleared = await blank.query(UPDATE, { input: { id, version: replaced.data.updateProject.version, fundingLines: null } });
    expect(cleared.data.updateProject).toMatchObject({ fundingLines: [], fundingProgramme: null });
  });

  it('refuses bad lines naming every wrong field by its input path, and writes nothing', async () => {
    const before = (await blank.query('{ projects { totalCount } }')).data.projects.totalCount;
    const invalid = await blank.query(CREATE, { input: { region: 'SL', title: 'Falsch', fundingLines: [
      { programme: 'ESF', amountCents: -1, share: 70, startsOn: '2020', endsOn: '2019-12' },
      { programme: 'STATE', share: 100.5, funder: ' ' },
      { programme: 'LEADER', share: 33.333, grantReference: 'x'.repeat(101) },
    ] } });
    expect(invalid.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const fields: string[] = invalid.errors![0].extensions!.validationErrors.map((e: any) => e.field);
    expect(fields.map((f) => f.replace(/^input\./, '')).sort()).toEqual([
      'fundingLines', // 70 + 100.5 + 33.333 > 100
      'fundingLines.0.amountCents', 'fundingLines.0.endsOn',
      'fundingLines.1.funder', 'fundingLines.1.share',
      'fundingLines.2.grantReference', 'fundingLines.2.share',
    ]);
    expect((await blank.query('{ projects { totalCount } }')).data.projects.totalCount).toBe(before);

    // Shares adding up to exactly 100 are fine, in hundredths too.
    const thirds = await blank.query(CREATE, { input: { region: 'SL', title: 'Drittel', fundingLines: [
      { programme: 'ESF', share: 33.33 }, { programme: 'STATE', share: 33.33 }, { programme: 'MUNICIPAL', share: 33.34 }] } });
    expect(thirds.errors).toBeUndefined();
  });

  it('loads the lines of many projects in one statement', async () => {
    blank.statements.length = 0;
    const { data } = await blank.query(`{ projects(first: 100) { edges { node { title fundingLines { programme amountCents } } } } }`);
    expect(data.projects.edges.length).toBeGreaterThan(5);
    // The page, its count and the lines: the lines cost one statement for every project of the page.
    expect(blank.statements.filter((sql) => sql.includes('funding_line'))).toHaveLength(1);
  });
});

// Generated projects with known lines: amounts known and unknown, co-funded, in several regions and years.
const REGIONS = ['BW', 'SL', 'ST', 'NW'];
const PROGRAMMES = ['ESF', 'STATE', 'LEADER', 'MUNICIPAL', 'FEDERAL'];
const PROJECTS = Array.from({ length: 24 }, (_, i) => ({
  region: REGIONS[i % 4],
  title: `Gefördert ${i}`,
  startsOn: i % 5 === 4 ? null : String(2016 + (i % 5)),
  fundingLines: Array.from({ length: i % 3 }, (_, j) => ({
    programme: PROGRAMMES[(i + 2 * j) % 5],
    // Every seventh line's amount is unknown; one line is large enough that sums pass 2^31 cents.
    amountCents: (i + j) % 7 === 3 ? null : i === 5 && j === 0 ? 2_500_000_000 : 100_000 * (i + 1) + 1_234 * j,
    startsOn: j === 1 ? String(2020 + (i % 3)) : null,
  })),
}));
// A programme none of whose lines names an amount: it must not show up among the sums as 0 €.
PROJECTS.push({ region: 'SL', title: 'Sonstiges ohne Betrag', startsOn: '2018', fundingLines: [{ programme: 'OTHER', amountCents: null, startsOn: null }] });

type Row = { key: string | number | null; value: number };
/** Rows ordered as the API orders breakdowns: largest first, then key, unknown last. */
function grouped(entries: [string | number | null, number][], name: string, value: string) {
  const totals = new Map<string | number | null, number>();
  for (const [key, amount] of entries) totals.set(key, (totals.get(key) ?? 0) + amount);
  return [...totals].map(([key, v]): Row => ({ key, value: v }))
    .sort((a, b) => b.value - a.value || (a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((row) => ({ [name]: row.key, [value]: row.value }));
}

function expectedMoney(projects: typeof PROJECTS) {
  const lines = projects.flatMap((p) => p.fundingLines.map((l) => ({ ...l, region: p.region, year: Number(l.startsOn ?? p.startsOn) || null })));
  const known = lines.filter((l) => l.amountCents !== null);
  const unknown = lines.filter((l) => l.amountCents === null);
  return {
    fundingLines: lines.length,
    linesWithoutAmount: unknown.length,
    amountByProgramme: grouped(known.map((l) => [l.programme, l.amountCents!]), 'programme', 'amountCents'),
    amountByRegion: grouped(known.map((l) => [l.region, l.amountCents!]), 'region', 'amountCents'),
    amountByYear: grouped(known.map((l) => [l.year, l.amountCents!]), 'year', 'amountCents'),
    linesWithoutAmountByProgramme: grouped(unknown.map((l) => [l.programme, 1]), 'programme', 'count'),
    linesWithoutAmountByRegion: grouped(unknown.map((l) => [l.region, 1]), 'region', 'count'),
    linesWithoutAmountByYear: grouped(unknown.map((l) => [l.year, 1]), 'year', 'count'),
  };
}

const MONEY = `query($filter: ProjectFilter) { projectStatistics(filter: $filter) { fundingLines linesWithoutAmount
  amountByProgramme { programme amountCents } amountByRegion { region amountCents } amountByYear { year amountCents }
  linesWithoutAmountByProgramme { programme count } linesWithoutAmountByRegion { region count } linesWithoutAmountByYear { year count } } }`;

describe('projects subgraph: money in the statistics', () => {
  beforeAll(async () => {
    for (const project of PROJECTS) {
      const result = await generated.query(CREATE, { input: project });
      if (result.errors) throw new Error(JSON.stringify(result.errors));
    }
  });

  it('sums known amounts by programme, region and year and counts unknown ones apart, past 2^31 cents', async () => {
    const { data, errors } = await generated.query(MONEY);
    expect(errors).toBeUndefined();
    expect(data.projectStatistics).toEqual(expectedMoney(PROJECTS));
    expect(data.projectStatistics.linesWithoutAmount).toBeGreaterThan(0);
    const total = data.projectStatistics.amountByProgramme.reduce((sum: number, row: any) => sum + row.amountCents, 0);
    expect(total).toBeGreaterThan(2 ** 31);
  });

  it('sums the lines of the projects a filter selects, in one statement', async () => {
    generated.statements.length = 0;
    const { data } = await generated.query(MONEY, { filter: { regions: ['SL', 'NW'], years: [2017, 2018] } });
    expect(generated.statements).toHaveLength(1);
    expect(data.projectStatistics).toEqual(expectedMoney(PROJECTS.filter((p) =>
      ['SL', 'NW'].includes(p.region) && ['2017', '2018'].includes(p.startsOn ?? ''))));
  });
});

describe('projects migration: funding lines', () => {
  it('moves each project\'s programme into one line of unknown amount', async () => {
    const orm = await initOrm({ databaseUrl: await createTestDatabase('funding_migration'), entities: projectsSubgraph.entities, migrations: projectsSubgraph.migrations });
    try {
      const before = projectsSubgraph.migrations.findIndex((m) => m.name === 'Migration20261201103000FundingLines');
      await orm.migrator.up({ to: projectsSubgraph.migrations[before - 1].name });
      const insert = `insert into project (id, region, created_at, updated_at, title, sort_key, fields_of_action, funding_programme,
        partner_alliance_ids, partner_organization_ids, contact_ids) values (?, ?, now(), now(), ?, ?, '{}', ?, '{}', '{}', '{}')`;
      await orm.em.getConnection().execute(insert, ['ST:project:a', 'ST', 'A', 'a', 'LEADER']);
      await orm.em.getConnection().execute(insert, ['ST:project:b', 'ST', 'B', 'b', null]);
      await orm.migrator.up();
      const lines = await orm.em.getConnection().execute(`select id, region, project_id, position, programme, amount_cents, funder from funding_line`);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ region: 'ST', project_id: 'ST:project:a', position: 0, programme: 'LEADER', amount_cents: null, funder: null });
      expect(lines[0].id).toMatch(/^ST:fundingLine:[0-9a-f-]{36}$/);
    } finally {
      await orm.close();
    }
  });
});
