import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alliancesSubgraph } from '../subgraphs/alliances/index.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';

let seeded: TestSubgraph;
let blank: TestSubgraph;

beforeAll(async () => {
  [seeded, blank] = await Promise.all([
    startTestSubgraph(alliancesSubgraph, { seed: true }),
    startTestSubgraph(alliancesSubgraph),
  ]);
});
afterAll(async () => {
  await Promise.all([seeded?.stop(), blank?.stop()]);
});

const STATISTICS = `query($filter: AllianceStatisticsFilter) { allianceStatistics(filter: $filter) {
  total byRegion { region count } byFoundingYear { year count } byFieldOfAction { fieldOfAction count }
  organizationsByKind { kind count } membershipsByYear { year count } memberships } }`;

type Key = string | null;
const sum = (counts: { count: number }[]) => counts.reduce((total, c) => total + c.count, 0);

/** The breakdown the API should return for these keys: by count descending, then key, unknown last. */
function expected(keys: Key[], name: string, asYear = false): Record<string, unknown>[] {
  const counts = new Map<Key, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].sort(([a, m], [b, n]) => n - m || (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([key, count]) => ({ [name]: asYear && key !== null ? Number(key) : key, count }));
}

async function statistics(subgraph: TestSubgraph, filter?: object) {
  const result = await subgraph.query(STATISTICS, { filter });
  expect(result.errors, JSON.stringify(filter)).toBeUndefined();
  return result.data.allianceStatistics;
}

describe('alliances subgraph: statistics of the demo data', () => {
  it('answers with the hand-counted numbers in one SQL statement', async () => {
    seeded.statements.length = 0;
    expect(await statistics(seeded)).toEqual({
      total: 4,
      byRegion: [{ region: 'SL', count: 2 }, { region: 'BW', count: 1 }, { region: 'NW', count: 1 }],
      // Saarbrücken 2005-11, Iserlohn 2004-07-15; UniMedKids and Heidelberg unknown.
      byFoundingYear: [{ year: null, count: 2 }, { year: 2004, count: 1 }, { year: 2005, count: 1 }],
      byFieldOfAction: [
        { fieldOfAction: 'CHILDCARE', count: 4 }, { fieldOfAction: 'WORK_LIFE_BALANCE', count: 4 },
        { fieldOfAction: 'CARE', count: 2 }, { fieldOfAction: 'HEALTH', count: 2 },
        { fieldOfAction: 'FAMILY_EDUCATION', count: 1 }, { fieldOfAction: 'FAMILY_FRIENDLY_EMPLOYERS', count: 1 },
        { fieldOfAction: 'FAMILY_SERVICES', count: 1 }, { fieldOfAction: 'LIVING_ENVIRONMENT', count: 1 },
        { fieldOfAction: 'SCHOOL_AND_EDUCATION', count: 1 },
      ],
      // Impuls in Saarbrücken plus the eleven members of the Iserlohn alliance.
      organizationsByKind: [
        { kind: 'CHAMBER', count: 2 }, { kind: 'CHURCH', count: 2 }, { kind: 'EMPLOYERS_ASSOCIATION', count: 2 },
        { kind: 'CHILDCARE_PROVIDER', count: 1 }, { kind: 'COMPANY', count: 1 }, { kind: 'COUNSELLING_SERVICE', count: 1 },
        { kind: 'EMPLOYMENT_AGENCY', count: 1 }, { kind: 'MUNICIPALITY', count: 1 }, { kind: 'WELFARE_ASSOCIATION', count: 1 },
      ],
      membershipsByYear: [{ year: null, count: 11 }, { year: 2018, count: 1 }],
      memberships: 12,
    });
    expect(seeded.statements).toHaveLength(1);
  });

  it('narrows by region, field of action and founding date (a month counts within its year)', async () => {
    expect(await statistics(seeded, { regions: ['SL'] })).toMatchObject({
      total: 2, byFoundingYear: [{ year: 2005, count: 1 }, { year: null, count: 1 }],
      organizationsByKind: [{ kind: 'COMPANY', count: 1 }], membershipsByYear: [{ year: 2018, count: 1 }], memberships: 1,
    });
    expect((await statistics(seeded, { fieldsOfAction: ['HEALTH', 'CARE'] })).total).toBe(3);
    const total = async (filter: object) => (await statistics(seeded, filter)).total;
    expect(await total({ foundedFrom: '2005' })).toBe(1);
    expect(await total({ foundedTo: '2004' })).toBe(1);
    expect(await total({ foundedFrom: '2004', foundedTo: '2005' })).toBe(2);
    // Founded "2005-11": may be on the 20th, is certainly not in December.
    expect(await total({ foundedFrom: '2005-11-20' })).toBe(1);
    expect(await total({ foundedFrom: '2005-12' })).toBe(0);
    expect(await total({ foundedTo: '2005-10' })).toBe(1);
    expect(await total({ regions: [] })).toBe(0);
    expect(await statistics(seeded, { regions: ['HB'] })).toEqual({
      total: 0, byRegion: [], byFoundingYear: [], byFieldOfAction: [], organizationsByKind: [], membershipsByYear: [], memberships: 0,
    });
  });

  it('refuses a founding period that ends before it starts', async () => {
    const result = await seeded.query(STATISTICS, { filter: { foundedFrom: '2006', foundedTo: '2005-12' } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'foundedTo' });
  });
});

// 30 alliances with known regions, fields and founding dates; 9 organisations; memberships, some ended.
const REGIONS = ['BW', 'BY', 'SL', 'DE', 'NW'];
const FIELDS = ['CHILDCARE', 'HEALTH', 'INTEGRATION', 'GENERATIONS'];
const KINDS = ['COMPANY', 'CHURCH', 'FOUNDATION'];
const ALLIANCES = Array.from({ length: 30 }, (_, i) => ({
  region: REGIONS[i % 5],
  fieldsOfAction: [FIELDS[i % 4], ...(i % 3 === 0 ? ['CARE'] : [])],
  foundedOn: i % 6 === 5 ? null : i % 2 ? `${2000 + (i % 5)}-${String(1 + (i % 12)).padStart(2, '0')}` : `${2000 + (i % 5)}`,
}));
const MEMBERSHIPS = ALLIANCES.flatMap((_, i) => Array.from({ length: i % 4 }, (_, j) => ({
  alliance: i, organization: (i + j) % 9,
  joinedOn: (i + j) % 3 === 0 ? null : `${2010 + ((i + j) % 4)}`,
  leftOn: (i + j) % 5 === 0 ? '2023' : null,
})));

async function mutate(query: string, input: object): Promise<string> {
  const result = await blank.query(query, { input });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return (Object.values(result.data)[0] as { id: string }).id;
}

/** What the statistics must say for the generated alliances `selected` picks. */
function expectedFor(selected: (a: (typeof ALLIANCES)[number]) => boolean) {
  const chosen = new Set(ALLIANCES.flatMap((a, i) => (selected(a) ? [i] : [])));
  const memberships = MEMBERSHIPS.filter((m) => chosen.has(m.alliance));
  const current = memberships.filter((m) => m.leftOn === null);
  // The organisations are all of BW: by kind, they count in alliances of their own region only.
  const organizations = [...new Set(current.filter((m) => ALLIANCES[m.alliance].region === 'BW').map((m) => m.organization))];
  const alliances = [...chosen].map((i) => ALLIANCES[i]);
  return {
    total: alliances.length,
    byRegion: expected(alliances.map((a) => a.region), 'region'),
    byFoundingYear: expected(alliances.map((a) => a.foundedOn?.slice(0, 4) ?? null), 'year', true),
    byFieldOfAction: expected(alliances.flatMap((a) => a.fieldsOfAction), 'fieldOfAction'),
    organizationsByKind: expected(organizations.map((o) => KINDS[o % 3]), 'kind'),
    membershipsByYear: expected(memberships.map((m) => m.joinedOn), 'year', true),
    memberships: current.length,
  };
}

describe('alliances subgraph: statistics of generated data', () => {
  beforeAll(async () => {
    const organizationIds: string[] = [];
    for (let o = 0; o < 9; o++) {
      organizationIds.push(await mutate('mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
        { region: 'BW', name: `Organisation ${o}`, kind: KINDS[o % 3] }));
    }
    const allianceIds: string[] = [];
    for (const [i, alliance] of ALLIANCES.entries()) {
      allianceIds.push(await mutate('mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }',
        { ...alliance, name: `Bündnis ${i}` }));
    }
    for (const m of MEMBERSHIPS) {
      await mutate('mutation($input: CreateMembershipInput!) { createMembership(input: $input) { id } }', {
        allianceId: allianceIds[m.alliance], organizationId: organizationIds[m.organization], joinedOn: m.joinedOn, leftOn: m.leftOn,
      });
    }
  });

  it('counts every breakdown as the generator laid it out', async () => {
    expect(await statistics(blank)).toEqual(expectedFor(() => true));
    expect(await statistics(blank, { regions: ['BW', 'SL'] })).toEqual(expectedFor((a) => ['BW', 'SL'].includes(a.region)));
    expect(await statistics(blank, { fieldsOfAction: ['CARE', 'HEALTH'] }))
      .toEqual(expectedFor((a) => a.fieldsOfAction.some((f) => ['CARE', 'HEALTH'].includes(f))));
    const founded = (a: (typeof ALLIANCES)[number]) => a.foundedOn !== null && a.foundedOn >= '2002' && a.foundedOn.slice(0, 4) <= '2003';
    expect(await statistics(blank, { foundedFrom: '2002', foundedTo: '2003' })).toEqual(expectedFor(founded));
    expect(await statistics(blank, { regions: ['DE'], fieldsOfAction: ['CARE'], foundedTo: '2003' }))
      .toEqual(expectedFor((a) => a.region === 'DE' && a.fieldsOfAction.includes('CARE') && a.foundedOn !== null && a.foundedOn.slice(0, 4) <= '2003'));
  });

  it('has breakdowns that add up: regions and years to total, join years to all memberships, kinds to organisations', async () => {
    const stats = await statistics(blank);
    expect(stats.total).toBe(30);
    expect(sum(stats.byRegion)).toBe(30);
    expect(sum(stats.byFoundingYear)).toBe(30);
    expect(sum(stats.byFieldOfAction)).toBe(30 + 10);
    expect(sum(stats.membershipsByYear)).toBe(MEMBERSHIPS.length);
    expect(stats.memberships).toBe(MEMBERSHIPS.filter((m) => m.leftOn === null).length);
    expect(stats.memberships).toBeLessThan(MEMBERSHIPS.length);
    // Organisations still members of a BW alliance, each counted once however many alliances they are in.
    const inBw = new Set(MEMBERSHIPS.filter((m) => m.leftOn === null && ALLIANCES[m.alliance].region === 'BW').map((m) => m.organization));
    expect(inBw.size).toBeGreaterThan(1);
    expect(sum(stats.organizationsByKind)).toBe(inBw.size);
  });

  it('costs one SQL statement however many alliances it counts', async () => {
    const fresh = await startTestSubgraph(alliancesSubgraph);
    try {
      fresh.statements.length = 0;
      expect((await statistics(fresh)).total).toBe(0);
      expect(fresh.statements).toHaveLength(1);
    } finally {
      await fresh.stop();
    }
    blank.statements.length = 0;
    await statistics(blank, { regions: ['BW', 'SL'], foundedFrom: '2001' });
    expect(blank.statements).toHaveLength(1);
  });
});
