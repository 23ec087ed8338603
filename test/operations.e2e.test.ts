import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../data/demo/ids.js';
import type { Region } from '../subgraphs/kit/index.js';
import { startTestHub, type TestHub } from './support/hub.js';

/**
 * The operations users rely on (README), verbatim, through the gateway on the demo data: once with one instance
 * per subgraph (plain federation), once with every subgraph split into regional instances.
 */
const LAYOUTS: [string, Region[][] | undefined][] = [
  ['one instance per subgraph', undefined],
  ['regional instances', [['SL'], ['ST'], ['NW'], ['BW'], ['DE', 'TH']] as Region[][]],
];

const NETWORK_MEMBERS = `query NetworkMembers($region: Region) {
  networks(region: $region) {
    id name kind region
    memberAlliances { alliance { id name region foundedOn } since }
    meetings { number date place topics }
  }
}`;

const FIND_ALLIANCES = `query FindAlliances($text: String) {
  alliances(filter: { text: $text }, first: 10) {
    totalCount
    edges { cursor node { id name region foundedOn municipality { name ags }
      fieldsOfAction memberships { joinedOn organization { name kind } }
      contacts { name } projects { title status } networks { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe.each(LAYOUTS)('operations users rely on, %s', (_layout, regions) => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub({ seed: true, regions });
  }, 90_000);
  afterAll(async () => hub?.stop());

  it('NetworkMembers: the BW networks with Heidelberg as member', async () => {
    const { data, errors } = await hub.query(NETWORK_MEMBERS, { region: 'BW' });
    expect(errors).toBeUndefined();
    const byName = Object.fromEntries(data.networks.map((n: { name: string }) => [n.name, n]));
    // In name order, as `networks` documents.
    expect(Object.keys(byName)).toEqual([
      'ARGE Netzwerk Familie Baden-Württemberg',
      'Lokale Bündnisse für Familie in der Metropolregion Rhein-Neckar',
    ]);
    expect(byName['ARGE Netzwerk Familie Baden-Württemberg']).toMatchObject({
      id: DEMO.network.argeBw, kind: 'ARGE', region: 'BW',
      memberAlliances: [{ alliance: { id: DEMO.alliance.heidelberg, name: 'Bündnis für Familie Heidelberg', region: 'BW', foundedOn: null }, since: null }],
      meetings: [],
    });
  });

  it('NetworkMembers: the 16th Landesnetzwerktreffen of the Saarland network', async () => {
    const { data } = await hub.query(NETWORK_MEMBERS, { region: 'SL' });
    expect(data.networks).toHaveLength(1);
    const [network] = data.networks;
    expect(network).toMatchObject({ id: DEMO.network.landesnetzwerkSaarland, kind: 'LANDESNETZWERK', region: 'SL' });
    // Earliest first; members without a date last, by alliance id.
    expect(network.memberAlliances.map((m: { alliance: { id: string } }) => m.alliance.id)).toEqual(
      [DEMO.alliance.saarbruecken, DEMO.alliance.unimedkids].sort());
    expect(network.memberAlliances.map((m: { since: string | null }) => m.since)).toEqual([null, null]);
    expect(network.meetings).toEqual([expect.objectContaining({ number: 16, date: '2018-06-07', place: 'Saarbrücken' })]);
  });

  it('a federal network lists member alliances from several regions', async () => {
    const { data } = await hub.query(NETWORK_MEMBERS, { region: 'DE' });
    const members = data.networks[0].memberAlliances as { alliance: { id: string; region: string }; since: string | null }[];
    expect(members.map((m) => m.alliance.region).sort()).toEqual(['BW', 'NW', 'SL', 'SL']);
    // Earliest first, then by alliance id: the order of the stored list, across the regions it names.
    const documented = [...members].sort((a, b) => ((a.since ?? '\uffff') < (b.since ?? '\uffff') ? -1 : (a.since ?? '\uffff') > (b.since ?? '\uffff') ? 1
      : a.alliance.id < b.alliance.id ? -1 : 1));
    expect(members).toEqual(documented);
  });

  it('FindAlliances: Iserlohn with its founding date, AGS, eleven members, project and network', async () => {
    const { data, errors } = await hub.query(FIND_ALLIANCES, { text: 'Iserlohn' });
    expect(errors).toBeUndefined();
    expect(data.alliances.totalCount).toBe(1);
    expect(data.alliances.pageInfo).toEqual({ hasNextPage: false, endCursor: data.alliances.edges[0].cursor });
    const alliance = data.alliances.edges[0].node;
    expect(alliance).toMatchObject({
      id: DEMO.alliance.iserlohn, name: 'Iserlohner Bündnis für Familie', region: 'NW', foundedOn: '2004-07-15',
      municipality: { name: 'Iserlohn', ags: '05962024' },
      projects: [{ title: 'Modellprojekt zur Nachmittagsbetreuung von Kindern', status: null }],
      networks: [{ name: 'Bundesinitiative Lokale Bündnisse für Familie' }],
      contacts: [],
    });
    expect(alliance.fieldsOfAction).toContain('CHILDCARE');
    expect(alliance.memberships).toHaveLength(11);
    expect(alliance.memberships).toContainEqual({
      joinedOn: null, organization: { name: 'Südwestfälische Industrie- und Handelskammer zu Hagen (SIHK)', kind: 'CHAMBER' },
    });
  });

  it('FindAlliances: Saarbrücken with its coordinator, its new member and its representative', async () => {
    const { data } = await hub.query(`{
      alliance(id: "${DEMO.alliance.saarbruecken}") {
        foundedOn workingGroups { name }
        contacts { name roles { kind } }
        memberships { joinedOn certificateHandedOverOn organization { name } representative { name } }
      }
    }`);
    expect(data.alliance.foundedOn).toBe('2005-11');
    expect(data.alliance.workingGroups).toEqual([{ name: 'Kinderbetreuung' }, { name: 'Pflege' }]);
    // In family-name order.
    expect(data.alliance.contacts.map((c: { name: string }) => c.name)).toEqual(['Mirjam Altmeier-Koletzki', 'Michael Kemmer']);
    expect(data.alliance.memberships).toEqual([{
      joinedOn: '2018', certificateHandedOverOn: '2018-05-16',
      organization: { name: 'Impuls Soziales Management' }, representative: { name: 'Michael Kemmer' },
    }]);
  });

  it('Dashboard: project statistics over SL, ST, BW and NW', async () => {
    const { data, errors } = await hub.query(`query Dashboard {
      projectStatistics(filter: { regions: [SL, ST, BW, NW] }) {
        total
        byRegion { region count }
        byFieldOfAction { fieldOfAction count }
        byStatus { status count }
        byFundingProgramme { programme count }
        byYear { year count }
      }
    }`);
    expect(errors).toBeUndefined();
    const stats = data.projectStatistics;
    expect(stats.total).toBe(12);
    expect(stats.byRegion).toEqual([
      { region: 'BW', count: 7 }, { region: 'ST', count: 3 }, { region: 'NW', count: 1 }, { region: 'SL', count: 1 },
    ]);
    expect(stats.byFundingProgramme).toContainEqual({ programme: 'LEADER', count: 2 });
    for (const breakdown of [stats.byStatus, stats.byFundingProgramme, stats.byYear]) {
      expect(breakdown.reduce((sum: number, row: { count: number }) => sum + row.count, 0)).toBe(12);
    }
  });

  it('ProjectsByText: "Familienservice" finds the LEADER project with its partner and contact', async () => {
    const { data, errors } = await hub.query(`query ProjectsByText {
      projects(filter: { text: "Familienservice" }, first: 5) {
        edges { node { id title status region fundingProgramme
          leadAlliance { name } partnerOrganizations { name } contacts { name } } }
      }
    }`);
    expect(errors).toBeUndefined();
    expect(data.projects.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
      id: DEMO.project.familienserviceRundum, title: 'Familienservice rundum', status: null, region: 'ST',
      fundingProgramme: 'LEADER', leadAlliance: null, partnerOrganizations: [{ name: 'LIBa e.V.' }],
      contacts: [{ name: 'Evelyn Brämer' }],
    });
  });

  it('Node: each entity by its id', async () => {
    const { data, errors } = await hub.query(`query Node {
      alliance(id: "${DEMO.alliance.iserlohn}") { name }
      network(id: "${DEMO.network.landesnetzwerkSaarland}") { name }
      project(id: "${DEMO.project.familienserviceRundum}") { title }
      person(id: "${DEMO.person.kemmer}") { name }
    }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      alliance: { name: 'Iserlohner Bündnis für Familie' },
      network: { name: 'Landesnetzwerk Lokale Bündnisse für Familie Saarland' },
      project: { title: 'Familienservice rundum' },
      person: { name: 'Michael Kemmer' },
    });
  });

  it('talks name their speakers from the people subgraph and organisations from the alliances subgraph', async () => {
    const { data } = await hub.query(`{ meeting(id: "${DEMO.meeting.fachtagHaldensleben}") {
      date place talks { speaker { name } organization { name } } } }`);
    expect(data.meeting).toMatchObject({ date: '2019-03-26', place: 'Haldensleben' });
    expect(data.meeting.talks.map((t: { speaker: { name: string } | null }) => t.speaker?.name ?? null)).toEqual([
      'Evelyn Brämer', 'Stefanie Frommann', null, 'Rebecca Kutz', 'Mandy Oelke',
    ]);
    expect(data.meeting.talks[2].organization).toEqual({ name: 'Familienzentrum Jena' });
  });

  it('contact details are shown only where consent is recorded', async () => {
    const { data } = await hub.query(`{
      moser: person(id: "${DEMO.person.moser}") { contact { email phone } }
      kemmer: person(id: "${DEMO.person.kemmer}") { contact { email phone } }
    }`);
    expect(data).toEqual({ moser: { contact: { email: 'moser@hddienste.de', phone: '06221-141013' } }, kemmer: { contact: null } });
  });

  it('bad input through the gateway keeps its code: malformed id, unknown region, oversized page', async () => {
    const badId = await hub.query(`{ alliance(id: "Iserlohn") { name } }`);
    expect(badId.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const badRegion = await hub.query(`{ networks(region: XX) { name } }`);
    expect(badRegion.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const hugePage = await hub.query(`{ alliances(first: 1000) { totalCount } }`);
    expect(hugePage.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
