import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../data/demo/ids.js';
import { sortKeyOf } from '../subgraphs/kit/index.js';
import { networksSubgraph } from '../subgraphs/networks/index.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';

let seeded: TestSubgraph;
let blank: TestSubgraph;

beforeAll(async () => {
  [seeded, blank] = await Promise.all([
    startTestSubgraph(networksSubgraph, { seed: true }),
    startTestSubgraph(networksSubgraph),
  ]);
});
afterAll(async () => {
  await Promise.all([seeded?.stop(), blank?.stop()]);
});

const COUNTS = 'total byKind { kind count } byRegion { region count } meetingsByYear { year count }';
const STATISTICS = `query($filter: NetworkStatisticsFilter) { networkStatistics(filter: $filter) {
  ${COUNTS} memberCounts { network { id name } members } } }`;

type Key = string | null;
const sum = (counts: { count: number }[]) => counts.reduce((total, c) => total + c.count, 0);

/** The breakdown the API should return for these keys: by count descending, then key, unknown last. */
function expected(keys: Key[], name: string, asYear = false): Record<string, unknown>[] {
  const counts = new Map<Key, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].sort(([a, m], [b, n]) => n - m || (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([key, count]) => ({ [name]: asYear && key !== null ? Number(key) : key, count }));
}

async function statistics(subgraph: TestSubgraph, filter?: object, query = STATISTICS) {
  const result = await subgraph.query(query, { filter });
  expect(result.errors, JSON.stringify(filter)).toBeUndefined();
  return result.data.networkStatistics;
}

const row = (id: string, members: number) => expect.objectContaining({ network: expect.objectContaining({ id }), members });

describe('networks subgraph: statistics of the demo data', () => {
  it('answers with the hand-counted numbers', async () => {
    const { network } = DEMO;
    expect(await statistics(seeded)).toEqual({
      total: 5,
      byKind: [
        { kind: 'REGIONAL_COOPERATION', count: 2 }, { kind: 'ARGE', count: 1 }, { kind: 'FEDERAL', count: 1 },
        { kind: 'LANDESNETZWERK', count: 1 },
      ],
      byRegion: [{ region: 'BW', count: 2 }, { region: 'DE', count: 1 }, { region: 'SL', count: 1 }, { region: 'ST', count: 1 }],
      // 16. Landesnetzwerktreffen (2018) and the Fachtag in Haldensleben (2019).
      meetingsByYear: [{ year: 2018, count: 1 }, { year: 2019, count: 1 }],
      // ARGE and Rhein-Neckar both have Heidelberg only: name order ("ARGE …" before "Lokale …").
      memberCounts: [
        row(network.bundesinitiative, 4), row(network.landesnetzwerkSaarland, 2), row(network.argeBw, 1),
        row(network.rheinNeckar, 1), row(network.familienakteureBoerde, 0),
      ],
    });
  });

  it('narrows by region and kind', async () => {
    expect(await statistics(seeded, { regions: ['BW'] })).toEqual({
      total: 2, byKind: [{ kind: 'ARGE', count: 1 }, { kind: 'REGIONAL_COOPERATION', count: 1 }],
      byRegion: [{ region: 'BW', count: 2 }], meetingsByYear: [],
      memberCounts: [row(DEMO.network.argeBw, 1), row(DEMO.network.rheinNeckar, 1)],
    });
    expect(await statistics(seeded, { regions: ['SL', 'ST'], kinds: ['REGIONAL_COOPERATION'] })).toMatchObject({
      total: 1, meetingsByYear: [{ year: 2019, count: 1 }], memberCounts: [row(DEMO.network.familienakteureBoerde, 0)],
    });
    expect((await statistics(seeded, { kinds: [] })).total).toBe(0);
  });
});

// 30 networks with known regions and kinds, 0–4 members each (some former), 0–2 meetings each.
const REGIONS = ['BW', 'BY', 'SL', 'DE', 'NW', 'TH'];
const KINDS = ['ARGE', 'LANDESNETZWERK', 'REGIONAL_COOPERATION', 'FEDERAL'];
const NETWORKS = Array.from({ length: 30 }, (_, i) => ({
  region: REGIONS[i % 6],
  kind: KINDS[i % 4],
  // Names out of creation order, some with umlauts, so the name order is really tested.
  name: `${['Ärzte', 'Zukunft', 'Bündnis', 'Arbeit', 'Eltern'][i % 5]}-Netzwerk ${String(29 - i).padStart(2, '0')}`,
  members: Array.from({ length: i % 5 }, (_, k) => ({ allianceId: `BW:alliance:a${k}`, until: (i + k) % 4 === 0 ? '2022' : null })),
  meetings: Array.from({ length: i % 3 }, (_, k) => ((i + k) % 5 === 4 ? null : `${2016 + ((i + k) % 4)}-0${1 + k}`)),
}));

function expectedFor(selected: (n: (typeof NETWORKS)[number]) => boolean) {
  const networks = NETWORKS.filter(selected);
  const current = (n: (typeof NETWORKS)[number]) => n.members.filter((m) => m.until === null).length;
  const byMembers = [...networks].sort((a, b) => current(b) - current(a) || (sortKeyOf(a.name) < sortKeyOf(b.name) ? -1 : 1));
  return {
    total: networks.length,
    byKind: expected(networks.map((n) => n.kind), 'kind'),
    byRegion: expected(networks.map((n) => n.region), 'region'),
    meetingsByYear: expected(networks.flatMap((n) => n.meetings.map((date) => date?.slice(0, 4) ?? null)), 'year', true),
    memberCounts: byMembers.map((n) => ({ network: { name: n.name }, members: current(n) })),
  };
}

describe('networks subgraph: statistics of generated data', () => {
  beforeAll(async () => {
    for (const network of NETWORKS) {
      const created = await blank.query('mutation($input: CreateNetworkInput!) { createNetwork(input: $input) { id } }', { input: {
        region: network.region, kind: network.kind, name: network.name, memberAlliances: network.members,
      } });
      if (created.errors) throw new Error(JSON.stringify(created.errors));
      for (const [k, date] of network.meetings.entries()) {
        const meeting = await blank.query('mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { id } }', { input: {
          networkId: created.data.createNetwork.id, number: k + 1, title: `Treffen ${k + 1}`, date,
        } });
        if (meeting.errors) throw new Error(JSON.stringify(meeting.errors));
      }
    }
  });

  const QUERY = `query($filter: NetworkStatisticsFilter) { networkStatistics(filter: $filter) {
    ${COUNTS} memberCounts { network { name } members } } }`;

  it('counts every breakdown as the generator laid it out, members by count then name', async () => {
    expect(await statistics(blank, undefined, QUERY)).toEqual(expectedFor(() => true));
    expect(await statistics(blank, { regions: ['BW', 'TH'] }, QUERY)).toEqual(expectedFor((n) => ['BW', 'TH'].includes(n.region)));
    expect(await statistics(blank, { kinds: ['ARGE', 'FEDERAL'] }, QUERY)).toEqual(expectedFor((n) => ['ARGE', 'FEDERAL'].includes(n.kind)));
    expect(await statistics(blank, { regions: ['SL'], kinds: ['REGIONAL_COOPERATION'] }, QUERY))
      .toEqual(expectedFor((n) => n.region === 'SL' && n.kind === 'REGIONAL_COOPERATION'));
  });

  it('has breakdowns that add up to total, one member row per network', async () => {
    const stats = await statistics(blank);
    expect(stats.total).toBe(30);
    expect(sum(stats.byKind)).toBe(30);
    expect(sum(stats.byRegion)).toBe(30);
    expect(stats.memberCounts).toHaveLength(30);
    expect(sum(stats.meetingsByYear)).toBe(NETWORKS.reduce((total, n) => total + n.meetings.length, 0));
  });

  it('costs a constant number of SQL statements: one, plus one batched lookup for the networks', async () => {
    const cost = async (subgraph: TestSubgraph, query: string) => {
      subgraph.statements.length = 0;
      await statistics(subgraph, undefined, query);
      return subgraph.statements.length;
    };
    const countsOnly = `{ networkStatistics { ${COUNTS} memberCounts { members } } }`;
    expect(await cost(blank, countsOnly)).toBe(1);
    expect(await cost(seeded, countsOnly)).toBe(1);
    expect(await cost(blank, STATISTICS)).toBe(2);
    expect(await cost(seeded, STATISTICS)).toBe(2);
  });
});
