import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../data/demo/ids.js';
import { projectsSubgraph } from '../subgraphs/projects/index.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';

let seeded: TestSubgraph;
let blank: TestSubgraph;

beforeAll(async () => {
  [seeded, blank] = await Promise.all([
    startTestSubgraph(projectsSubgraph, { seed: true }),
    startTestSubgraph(projectsSubgraph),
  ]);
});
afterAll(async () => {
  await Promise.all([seeded?.stop(), blank?.stop()]);
});

const STATISTICS = `query($filter: ProjectFilter) { projectStatistics(filter: $filter) {
  total byRegion { region count } byFieldOfAction { fieldOfAction count } byStatus { status count }
  byFundingProgramme { programme count } byYear { year count } } }`;

const sum = (counts: { count: number }[]) => counts.reduce((total, c) => total + c.count, 0);

describe('projects subgraph: statistics', () => {
  it('answers the dashboard operation with the hand-counted demo numbers', async () => {
    seeded.statements.length = 0;
    const result = await seeded.query(`{ projectStatistics(filter: { regions: [SL, ST, BW, NW] }) { total
      byRegion { region count } byFieldOfAction { fieldOfAction count } byStatus { status count }
      byFundingProgramme { programme count } byYear { year count } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.projectStatistics).toEqual({
      total: 12,
      byRegion: [{ region: 'BW', count: 7 }, { region: 'ST', count: 3 }, { region: 'NW', count: 1 }, { region: 'SL', count: 1 }],
      byFieldOfAction: [
        { fieldOfAction: 'WORK_LIFE_BALANCE', count: 6 },
        { fieldOfAction: 'CHILDCARE', count: 5 },
        { fieldOfAction: 'FAMILY_SERVICES', count: 3 },
        { fieldOfAction: 'FAMILY_FRIENDLY_EMPLOYERS', count: 2 },
        { fieldOfAction: 'HEALTH', count: 2 },
      ],
      byStatus: [{ status: null, count: 11 }, { status: 'ACTIVE', count: 1 }],
      byFundingProgramme: [{ programme: null, count: 10 }, { programme: 'LEADER', count: 2 }],
      byYear: [{ year: null, count: 12 }],
    });
    // Every breakdown is a GROUP BY in one statement, never a load of the rows.
    expect(seeded.statements).toHaveLength(1);
  });

  it('has breakdowns that add up to the total (fields of action may exceed it)', async () => {
    const { data } = await seeded.query(STATISTICS);
    const stats = data.projectStatistics;
    expect(stats.total).toBe(12);
    for (const breakdown of [stats.byRegion, stats.byStatus, stats.byFundingProgramme, stats.byYear]) {
      expect(sum(breakdown)).toBe(stats.total);
    }
    expect(sum(stats.byFieldOfAction)).toBe(18);
  });

  it('counts the same projects the list returns, for every kind of filter', async () => {
    const filters = [
      { text: 'Familien' },
      { regions: ['ST'], fundingProgrammes: ['LEADER'] },
      { fieldsOfAction: ['HEALTH', 'FAMILY_SERVICES'] },
      { statuses: ['ACTIVE'] },
      { leadAllianceId: DEMO.alliance.heidelberg },
      { years: [2019] },
      { regions: [] },
    ];
    for (const filter of filters) {
      const list = await seeded.query(`query($filter: ProjectFilter) { projects(filter: $filter, first: 100) { totalCount } }`, { filter });
      const stats = await seeded.query(STATISTICS, { filter });
      expect(stats.errors, JSON.stringify(filter)).toBeUndefined();
      expect(stats.data.projectStatistics.total, JSON.stringify(filter)).toBe(list.data.projects.totalCount);
    }
    const total = async (filter: object) => (await seeded.query(STATISTICS, { filter })).data.projectStatistics.total;
    expect(await total({ regions: ['ST'], fundingProgrammes: ['LEADER'] })).toBe(2);
    expect(await total({ fieldsOfAction: ['HEALTH', 'FAMILY_SERVICES'] })).toBe(5);
    expect(await total({ leadAllianceId: DEMO.alliance.heidelberg })).toBe(6);
    expect(await total({ statuses: ['ACTIVE'] })).toBe(1);
    expect(await total({ regions: [] })).toBe(0);
  });

  it('refuses a year that is not four digits, so "19" cannot match 1999 and 2019 alike', async () => {
    const result = await seeded.query(STATISTICS, { filter: { years: [19] } });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('projects subgraph: reading', () => {
  it('finds "Familienservice rundum" by German full-text search with its stubs', async () => {
    for (const text of ['Familienservice', 'Familien']) {
      const result = await seeded.query(`query($text: String) { projects(filter: { text: $text }, first: 5) { edges { node {
        id title status region fundingProgramme leadAlliance { id } partnerOrganizations { id } contacts { id } } } } }`, { text });
      expect(result.errors).toBeUndefined();
      const nodes = result.data.projects.edges.map((e: any) => e.node);
      expect(nodes).toContainEqual({
        id: DEMO.project.familienserviceRundum, title: 'Familienservice rundum', status: null, region: 'ST',
        fundingProgramme: 'LEADER', leadAlliance: null,
        partnerOrganizations: [{ id: DEMO.organization.liba }], contacts: [{ id: DEMO.person.braemer }],
      });
    }
  });

  it('pages through all projects with first: 5, visiting each exactly once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const result: any = await seeded.query(`query($after: String) { projects(first: 5, after: $after) {
        totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`, { after });
      expect(result.data.projects.totalCount).toBe(12);
      seen.push(...result.data.projects.edges.map((e: any) => e.node.id));
      if (!result.data.projects.pageInfo.hasNextPage) break;
      after = result.data.projects.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen)).toEqual(new Set(Object.values(DEMO.project)));
  });

  it('reads each page and its total in one statement, the total of the whole filter on every page, empty ones too', async () => {
    const PAGE = `query($after: String, $filter: ProjectFilter, $first: Int) { projects(first: $first, after: $after, filter: $filter) {
      totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
    const read = async (variables: Record<string, unknown>) => {
      seeded.statements.length = 0;
      const result: any = await seeded.query(PAGE, { first: 5, ...variables });
      expect(result.errors).toBeUndefined();
      return { ...result.data.projects, statements: seeded.statements.length };
    };
    const first = await read({});
    expect(first).toMatchObject({ totalCount: 12, statements: 1 });
    expect(first.edges).toHaveLength(5);
    const middle = await read({ after: first.pageInfo.endCursor });
    expect(middle).toMatchObject({ totalCount: 12, statements: 1 });
    expect(middle.edges.map((e: any) => e.node.id)).not.toContain(first.edges[0].node.id);
    // Past the last record: no row to carry the total, still one statement and the whole total.
    const all = await read({ first: 100 });
    const past = await read({ after: all.pageInfo.endCursor });
    expect(past).toMatchObject({ totalCount: 12, edges: [], pageInfo: { hasNextPage: false, endCursor: null }, statements: 1 });
    const none = await read({ filter: { text: 'Zzyzxnichtvorhanden' } });
    expect(none).toMatchObject({ totalCount: 0, edges: [], statements: 1 });
    const byYear = await read({ filter: { years: [2019] } });
    expect(byYear.totalCount).toBe(byYear.edges.length);
    expect(await read({ first: 0 })).toMatchObject({ totalCount: 12, edges: [], statements: 1 });
  });

  it('refuses a page larger than 100 with BAD_USER_INPUT', async () => {
    const result = await seeded.query(`{ projects(first: 101) { totalCount } }`);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('resolves Alliance.projects for any number of alliances in the same number of statements', async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Alliance { id projects { id } } } }`;
    const reps = (ids: string[]) => ids.map((id) => ({ __typename: 'Alliance', id }));

    seeded.statements.length = 0;
    const one = await seeded.query(query, { reps: reps([DEMO.alliance.unimedkids]) });
    const forOne = seeded.statements.length;
    expect(one.data._entities).toEqual([{ id: DEMO.alliance.unimedkids, projects: [{ id: DEMO.project.unimedkidsKurzzeitbetreuung }] }]);

    seeded.statements.length = 0;
    const four = await seeded.query(query, { reps: reps(Object.values(DEMO.alliance)) });
    expect(seeded.statements.length).toBe(forOne);
    expect(forOne).toBe(1);
    const byAlliance = Object.fromEntries(four.data._entities.map((a: any) => [a.id, a.projects.map((p: any) => p.id)]));
    expect(byAlliance[DEMO.alliance.saarbruecken]).toEqual([]);
    expect(byAlliance[DEMO.alliance.iserlohn]).toEqual([DEMO.project.iserlohnNachmittagsbetreuung]);
    // Six led projects plus the Rhein-Neckar label it takes part in.
    expect(byAlliance[DEMO.alliance.heidelberg]).toHaveLength(7);
    expect(byAlliance[DEMO.alliance.heidelberg]).toContain(DEMO.project.stillUndWickelpunkt);
  });

  it('resolves Project references in one statement, null for an unknown id', async () => {
    seeded.statements.length = 0;
    const result = await seeded.query(`query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Project { id title } } }`, {
      reps: [DEMO.project.awoLifebalance, 'ST:project:unknown', DEMO.project.familienserviceRundum].map((id) => ({ __typename: 'Project', id })),
    });
    expect(result.data._entities).toEqual([
      { id: DEMO.project.awoLifebalance, title: 'AWOlifebalance' }, null,
      { id: DEMO.project.familienserviceRundum, title: 'Familienservice rundum' },
    ]);
    expect(seeded.statements).toHaveLength(1);
  });

  it('refuses a malformed project id with BAD_USER_INPUT', async () => {
    const result = await seeded.query(`{ project(id: "SL:alliance:x") { id } }`);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

const CREATE = `mutation($input: CreateProjectInput!) { createProject(input: $input) {
  id region title version startsOn endsOn status fundingProgramme fieldsOfAction
  leadAlliance { id } partnerAlliances { id } partnerOrganizations { id } contacts { id } } }`;
const UPDATE = `mutation($input: UpdateProjectInput!) { updateProject(input: $input) {
  id region title summary version startsOn endsOn partnerAllianceIds: partnerAlliances { id } } }`;
const count = async () => (await blank.query(`{ projects { totalCount } }`)).data.projects.totalCount as number;

describe('projects subgraph: mutations', () => {
  it('creates a project whose id names its region, with stubs from its id lists', async () => {
    const result = await blank.query(CREATE, { input: {
      region: 'NW', title: 'Ferienfreizeit', startsOn: '2019-07', endsOn: '2019-08-15', status: 'PLANNED',
      fundingProgramme: 'STATE', fieldsOfAction: ['CHILDCARE'], leadAllianceId: DEMO.alliance.iserlohn,
      partnerAllianceIds: [DEMO.alliance.heidelberg], partnerOrganizationIds: [DEMO.organization.sihk],
      contactIds: [DEMO.person.kutz],
    } });
    expect(result.errors).toBeUndefined();
    expect(result.data.createProject).toMatchObject({
      region: 'NW', title: 'Ferienfreizeit', version: 1, startsOn: '2019-07', endsOn: '2019-08-15',
      leadAlliance: { id: DEMO.alliance.iserlohn }, partnerAlliances: [{ id: DEMO.alliance.heidelberg }],
      partnerOrganizations: [{ id: DEMO.organization.sihk }], contacts: [{ id: DEMO.person.kutz }],
    });
    expect(result.data.createProject.id).toMatch(/^NW:project:/);
    const byYear = await blank.query(`{ projects(filter: { years: [2019] }) { totalCount } other: projects(filter: { years: [2018] }) { totalCount } }`);
    expect(byYear.data.projects.totalCount).toBe(1);
    expect(byYear.data.other.totalCount).toBe(0);
  });

  it('refuses invalid input naming the fields, and writes nothing', async () => {
    const before = await count();
    const invalid = await blank.query(CREATE, { input: {
      region: 'SL', title: ' ', website: 'www.example.org', contactIds: ['SL:person:a', 'SL:person:a'],
      partnerOrganizationIds: ['SL:alliance:x'],
    } });
    expect(invalid.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const fields = invalid.errors?.[0].extensions?.validationErrors.map((e: any) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['input.title', 'input.website', 'input.contactIds', 'input.partnerOrganizationIds']));

    const duplicate = await blank.query(CREATE, { input: {
      region: 'SL', title: 'Doppelt', partnerAllianceIds: [DEMO.alliance.saarbruecken, DEMO.alliance.saarbruecken] } });
    expect(duplicate.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const leadAsPartner = await blank.query(CREATE, { input: { region: 'SL', title: 'Doppelt',
      leadAllianceId: DEMO.alliance.saarbruecken, partnerAllianceIds: [DEMO.alliance.saarbruecken] } });
    expect(leadAsPartner.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'partnerAllianceIds' });

    const backwards = await blank.query(CREATE, { input: { region: 'SL', title: 'Rückwärts', startsOn: '2020-05', endsOn: '2020-04-30' } });
    expect(backwards.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'endsOn' });

    const badDate = await blank.query(CREATE, { input: { region: 'SL', title: 'Datum', startsOn: '2020-02-30' } });
    expect(badDate.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await count()).toBe(before);
  });

  it('updates with the current version, refuses a stale one with CONFLICT, keeps the region', async () => {
    const { data } = await blank.query(CREATE, { input: { region: 'ST', title: 'Projekt A', startsOn: '2021' } });
    const id = data.createProject.id;
    const first = await blank.query(UPDATE, { input: { id, version: 1, title: 'Projekt B', summary: 'Neu', endsOn: '2022' } });
    expect(first.errors).toBeUndefined();
    expect(first.data.updateProject).toMatchObject({ region: 'ST', title: 'Projekt B', summary: 'Neu', version: 2, endsOn: '2022' });

    const stale = await blank.query(UPDATE, { input: { id, version: 1, title: 'Projekt C' } });
    expect(stale.errors?.[0].extensions).toEqual({ code: 'CONFLICT', currentVersion: 2 });

    const backwards = await blank.query(UPDATE, { input: { id, version: 2, endsOn: '2020-12' } });
    expect(backwards.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'endsOn' });

    const clearTitle = await blank.query(UPDATE, { input: { id, version: 2, title: null } });
    expect(clearTitle.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const cleared = await blank.query(UPDATE, { input: { id, version: 2, summary: null, partnerAllianceIds: null } });
    expect(cleared.data.updateProject).toMatchObject({ title: 'Projekt B', summary: null, version: 3, partnerAllianceIds: [] });

    const current = await blank.query(`query($id: ID!) { project(id: $id) { title version endsOn } }`, { id });
    expect(current.data.project).toEqual({ title: 'Projekt B', version: 3, endsOn: '2022' });

    const missing = await blank.query(UPDATE, { input: { id: 'ST:project:missing', version: 1, title: 'X' } });
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('deletes a project and returns its id; a second delete is NOT_FOUND', async () => {
    const { data } = await blank.query(CREATE, { input: { region: 'BW', title: 'Kurzlebig' } });
    const id = data.createProject.id;
    const deleted = await blank.query(`mutation($id: ID!) { deleteProject(id: $id) }`, { id });
    expect(deleted.data.deleteProject).toBe(id);
    const gone = await blank.query(`query($id: ID!) { project(id: $id) { id } }`, { id });
    expect(gone.data.project).toBeNull();
    const again = await blank.query(`mutation($id: ID!) { deleteProject(id: $id) }`, { id });
    expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
