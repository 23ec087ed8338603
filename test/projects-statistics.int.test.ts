import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectsSubgraph } from '../subgraphs/projects/index.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';

let seeded: TestSubgraph;
let edges: TestSubgraph;
let generated: TestSubgraph;

beforeAll(async () => {
  [seeded, edges, generated] = await Promise.all([
    startTestSubgraph(projectsSubgraph, { seed: true }),
    startTestSubgraph(projectsSubgraph),
    startTestSubgraph(projectsSubgraph),
  ]);
});
afterAll(async () => {
  await Promise.all([seeded?.stop(), edges?.stop(), generated?.stop()]);
});

const STATISTICS = `query($filter: ProjectFilter) { projectStatistics(filter: $filter) {
  total byRegion { region count } byFieldOfAction { fieldOfAction count } byStatus { status count }
  byFundingProgramme { programme count } byYear { year count } } }`;
const LIST = `query($filter: ProjectFilter) { projects(filter: $filter, first: 100) { totalCount edges { node { title } } } }`;

type Key = string | null;
const sum = (counts: { count: number }[]) => counts.reduce((total, c) => total + c.count, 0);

/** The breakdown the API should return for these keys: by count descending, then key, unknown last. */
function expected(keys: Key[], name: string, asYear = false): Record<string, unknown>[] {
  const counts = new Map<Key, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].sort(([a, m], [b, n]) => n - m || (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([key, count]) => ({ [name]: asYear && key !== null ? Number(key) : key, count }));
}

async function create(subgraph: TestSubgraph, input: object): Promise<void> {
  const result = await subgraph.query('mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }', { input });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
}

/** Titles the list returns for a filter, after checking that the statistics count the same projects. */
async function selected(subgraph: TestSubgraph, filter: object): Promise<string[]> {
  const [list, stats] = await Promise.all([subgraph.query(LIST, { filter }), subgraph.query(STATISTICS, { filter })]);
  expect(list.errors, JSON.stringify(filter)).toBeUndefined();
  expect(stats.data.projectStatistics.total, JSON.stringify(filter)).toBe(list.data.projects.totalCount);
  return list.data.projects.edges.map((e: any) => e.node.title).sort();
}

describe('projects subgraph: period filter', () => {
  // Hand-made projects at the edges of partial dates; "Offen" has no start and never matches a period.
  beforeAll(async () => {
    for (const [title, startsOn, endsOn] of [
      ['A', '2018', '2019'], ['B', '2019-06', null], ['C', '2020-03-15', '2020-04'], ['Offen', null, null],
      ['E', '2017-01', '2017-12-31'], ['F', '2019-12-31', '2019-12-31'],
    ]) await create(edges, { region: 'BW', title, startsOn, endsOn });
  });

  it('selects the projects whose [startsOn, endsOn] overlaps the period, a year or month standing for all its days', async () => {
    expect(await selected(edges, { period: { from: '2019', to: '2019' } })).toEqual(['A', 'B', 'F']);
    // A ends "2019", which may be in July; B and C run after it.
    expect(await selected(edges, { period: { from: '2019-07' } })).toEqual(['A', 'B', 'C', 'F']);
    expect(await selected(edges, { period: { to: '2018-06' } })).toEqual(['A', 'E']);
    expect(await selected(edges, { period: { from: '2020-04-30', to: '2020-04-30' } })).toEqual(['B', 'C']);
    expect(await selected(edges, { period: { from: '2020-05' } })).toEqual(['B']);
    expect(await selected(edges, { period: { to: '2017' } })).toEqual(['E']);
    expect(await selected(edges, { period: {} })).toEqual(['A', 'B', 'C', 'E', 'F']);
    expect(await selected(edges, {})).toHaveLength(6);
    expect(await selected(edges, { period: { from: '2019', to: '2019' }, regions: ['SL'] })).toEqual([]);
  });

  it('refuses a period that ends before it starts, naming period.to', async () => {
    const result = await edges.query(STATISTICS, { filter: { period: { from: '2020', to: '2019-12' } } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period.to' });
    const list = await edges.query(LIST, { filter: { period: { from: '2020', to: '2019-12' } } });
    expect(list.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period.to' });
  });

  it('leaves every demo project out of any period, because the press texts give no project dates', async () => {
    const { data } = await seeded.query(STATISTICS, { filter: { period: { from: '2000' } } });
    expect(data.projectStatistics).toEqual({ total: 0, byRegion: [], byFieldOfAction: [], byStatus: [], byFundingProgramme: [], byYear: [] });
  });
});

// 30 projects with known regions, statuses, fields, programmes and whole-year runs (some still running).
const REGIONS = ['BW', 'BY', 'SL', 'ST', 'NW'];
const STATUSES = ['PLANNED', 'ACTIVE', 'COMPLETED', null];
const FIELDS = ['CHILDCARE', 'CARE', 'HEALTH'];
const PROGRAMMES = ['LEADER', 'ESF', null];
const PROJECTS = Array.from({ length: 30 }, (_, i) => {
  const start = i % 7 === 6 ? null : 2014 + (i % 6);
  return {
    region: REGIONS[i % 5], status: STATUSES[i % 4], fundingProgramme: PROGRAMMES[i % 3],
    fieldsOfAction: [FIELDS[i % 3], ...(i % 4 === 0 ? ['INTEGRATION'] : [])],
    startsOn: start === null ? null : String(start),
    endsOn: start === null || i % 3 === 0 ? null : String(start + (i % 4)),
  };
});

function expectedFor(selected: (p: (typeof PROJECTS)[number]) => boolean) {
  const projects = PROJECTS.filter(selected);
  return {
    total: projects.length,
    byRegion: expected(projects.map((p) => p.region), 'region'),
    byFieldOfAction: expected(projects.flatMap((p) => p.fieldsOfAction), 'fieldOfAction'),
    byStatus: expected(projects.map((p) => p.status), 'status'),
    byFundingProgramme: expected(projects.map((p) => p.fundingProgramme), 'programme'),
    byYear: expected(projects.map((p) => p.startsOn), 'year', true),
  };
}

/** Whole-year runs overlap [from, to] when they start by `to` and end (or still run) from `from` on. */
const runsIn = (from: number, to: number) => (p: (typeof PROJECTS)[number]) =>
  p.startsOn !== null && Number(p.startsOn) <= to && (p.endsOn === null || Number(p.endsOn) >= from);

describe('projects subgraph: statistics of generated data', () => {
  beforeAll(async () => {
    for (const [i, project] of PROJECTS.entries()) await create(generated, { ...project, title: `Projekt ${i}` });
  });

  it('counts every breakdown as the generator laid it out, with and without a period', async () => {
    const stats = async (filter?: object) => (await generated.query(STATISTICS, { filter })).data.projectStatistics;
    expect(await stats()).toEqual(expectedFor(() => true));
    expect(await stats({ period: { from: '2016', to: '2017' } })).toEqual(expectedFor(runsIn(2016, 2017)));
    expect(await stats({ period: { from: '2019' } })).toEqual(expectedFor(runsIn(2019, 9999)));
    expect(await stats({ period: { to: '2014' } })).toEqual(expectedFor(runsIn(0, 2014)));
    expect(await stats({ period: { from: '2015', to: '2016' }, regions: ['BW', 'SL'], statuses: ['ACTIVE', 'PLANNED'] }))
      .toEqual(expectedFor((p) => runsIn(2015, 2016)(p) && ['BW', 'SL'].includes(p.region) && ['ACTIVE', 'PLANNED'].includes(p.status!)));
    expect(await stats({ fieldsOfAction: ['INTEGRATION'], period: { from: '2017' } }))
      .toEqual(expectedFor((p) => runsIn(2017, 9999)(p) && p.fieldsOfAction.includes('INTEGRATION')));
  });

  it('has breakdowns that add up to total; fields of action exceed it by the second fields', async () => {
    const { data } = await generated.query(STATISTICS);
    const stats = data.projectStatistics;
    expect(stats.total).toBe(30);
    for (const breakdown of [stats.byRegion, stats.byStatus, stats.byFundingProgramme, stats.byYear]) expect(sum(breakdown)).toBe(30);
    expect(sum(stats.byFieldOfAction)).toBe(30 + 8);
  });

  it('costs one SQL statement with a period filter, at 0 and at 30 projects', async () => {
    for (const subgraph of [seeded, generated]) {
      subgraph.statements.length = 0;
      await subgraph.query(STATISTICS, { filter: { period: { from: '2015', to: '2018-06' }, regions: ['BW', 'BY'] } });
      expect(subgraph.statements).toHaveLength(1);
    }
  });
});

describe('projects subgraph: statistics computes only what is selected', () => {
  const EVERYTHING = `{ projectStatistics { total byRegion { region count } byFieldOfAction { fieldOfAction count } byStatus { status count }
    byFundingProgramme { programme count } byYear { year count } fundingLines linesWithoutAmount
    amountByProgramme { programme amountCents } amountByRegion { region amountCents } amountByYear { year amountCents }
    linesWithoutAmountByProgramme { programme count } linesWithoutAmountByRegion { region count } linesWithoutAmountByYear { year count } } }`;

  it('answers any part of the statistics as the whole would, and reads funding lines only for money', async () => {
    const whole = (await seeded.query(EVERYTHING)).data.projectStatistics;
    expect(whole.fundingLines).toBeGreaterThan(0);
    const parts = [
      ['byStatus { status count }', 'byStatus'],
      ['amountByRegion { region amountCents }', 'amountByRegion'],
      ['linesWithoutAmountByYear { year count } fundingLines', 'linesWithoutAmountByYear', 'fundingLines'],
      ['... on ProjectStatistics { byYear { year count } }', 'byYear'],
    ];
    for (const [selection, ...fields] of parts) {
      seeded.statements.length = 0;
      const { data, errors } = await seeded.query(`{ projectStatistics { ${selection} } }`);
      expect(errors, selection).toBeUndefined();
      for (const field of fields) expect(data.projectStatistics[field], selection).toEqual(whole[field]);
      const joined = seeded.statements.some((sql) => sql.includes('funding_line'));
      expect(joined, selection).toBe(selection.includes('amount') || selection.includes('Lines') || selection.includes('lines'));
    }
  });
});
