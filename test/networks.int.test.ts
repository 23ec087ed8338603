import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../data/demo/ids.js';
import { networksSubgraph } from '../subgraphs/networks/index.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(networksSubgraph, { seed: true });
});
afterAll(async () => subgraph?.stop());

const CREATE_NETWORK = `mutation($input: CreateNetworkInput!) {
  createNetwork(input: $input) { id region name version memberAlliances { alliance { id } since until } partners { organization { id } role } }
}`;
const UPDATE_NETWORK = `mutation($input: UpdateNetworkInput!) {
  updateNetwork(input: $input) { name version memberAlliances { alliance { id } } partners { organization { id } } }
}`;
const CREATE_MEETING = `mutation($input: CreateMeetingInput!) {
  createMeeting(input: $input) { id region version number title network { id } talks { title speaker { id } organization { id } } }
}`;
const UPDATE_MEETING = `mutation($input: UpdateMeetingInput!) { updateMeeting(input: $input) { number title version talks { title } } }`;
const NETWORK = `query($id: ID!) { network(id: $id) { name version memberAlliances { alliance { id } } partners { role } } }`;
const ALLIANCE_NETWORKS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Alliance { id networks { id name } } } }`;

const codeOf = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code;
const networkCount = async () => (await subgraph.query(`{ networks { id } }`)).data.networks.length;

describe('networks subgraph, demo data', () => {
  it('answers the NetworkMembers operation for Baden-Württemberg with ARGE and Rhein-Neckar', async () => {
    const result = await subgraph.query(`{ networks(region: BW) { id name kind region
      memberAlliances { alliance { id } since } meetings { number date place topics } } }`);
    expect(result.errors).toBeUndefined();
    const member = { alliance: { id: DEMO.alliance.heidelberg }, since: null };
    expect(result.data.networks).toEqual([
      { id: DEMO.network.argeBw, name: 'ARGE Netzwerk Familie Baden-Württemberg', kind: 'ARGE', region: 'BW',
        memberAlliances: [member], meetings: [] },
      { id: DEMO.network.rheinNeckar, name: 'Lokale Bündnisse für Familie in der Metropolregion Rhein-Neckar',
        kind: 'REGIONAL_COOPERATION', region: 'BW', memberAlliances: [member], meetings: [] },
    ]);
  });

  it('lists the 16. Landesnetzwerktreffen in Saarbrücken with its talks in order', async () => {
    const result = await subgraph.query(`{ networks(region: SL) { coordinatingBody { id }
      meetings { id number date place topics talks { title organization { id } speaker { id } } } } }`);
    expect(result.errors).toBeUndefined();
    const [saarland] = result.data.networks;
    expect(saarland.coordinatingBody).toEqual({ id: DEMO.organization.msgff });
    expect(saarland.meetings).toHaveLength(1);
    expect(saarland.meetings[0]).toMatchObject({
      id: DEMO.meeting.landesnetzwerktreffen16, number: 16, date: '2018-06-07', place: 'Saarbrücken',
    });
    expect(saarland.meetings[0].topics).toContain('Pflege');
    expect(saarland.meetings[0].talks.map((t: any) => t.organization?.id ?? null)).toEqual([DEMO.organization.servicestelle, null]);
  });

  it('filters by German full text and by kind', async () => {
    const text = await subgraph.query(`{ networks(filter: { text: "Borde" }) { id } }`);
    expect(text.data.networks).toEqual([{ id: DEMO.network.familienakteureBoerde }]);
    const kinds = await subgraph.query(`{ networks(filter: { kinds: [FEDERAL, LANDESNETZWERK] }) { id } }`);
    expect(kinds.data.networks.map((n: any) => n.id).sort()).toEqual([DEMO.network.bundesinitiative, DEMO.network.landesnetzwerkSaarland].sort());
    expect(codeOf(await subgraph.query(`{ networks(first: 101) { id } }`))).toBe('BAD_USER_INPUT');
  });

  it('gives alliances their current networks across regions at a cost that does not grow with the alliances', async () => {
    const one = [{ __typename: 'Alliance', id: DEMO.alliance.heidelberg }];
    subgraph.statements.length = 0;
    const single = await subgraph.query(ALLIANCE_NETWORKS, { r: one });
    const singleCost = subgraph.statements.length;
    expect(single.data._entities[0].networks.map((n: any) => n.id)).toEqual([
      DEMO.network.argeBw, DEMO.network.bundesinitiative, DEMO.network.rheinNeckar,
    ]);

    const four = Object.values(DEMO.alliance).map((id) => ({ __typename: 'Alliance', id }));
    subgraph.statements.length = 0;
    const all = await subgraph.query(ALLIANCE_NETWORKS, { r: four });
    expect(subgraph.statements.length).toBe(singleCost);
    expect(singleCost).toBe(2);
    const byId = Object.fromEntries(all.data._entities.map((a: any) => [a.id, a.networks.map((n: any) => n.id)]));
    expect(byId[DEMO.alliance.iserlohn]).toEqual([DEMO.network.bundesinitiative]);
    expect(byId[DEMO.alliance.unimedkids]).toEqual([DEMO.network.bundesinitiative, DEMO.network.landesnetzwerkSaarland]);
  });

  it('resolves Network and Meeting references and nested lists in a fixed number of statements', async () => {
    subgraph.statements.length = 0;
    const refs = await subgraph.query(`query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Network { name } ... on Meeting { title network { id } } } }`, { r: [
      { __typename: 'Network', id: DEMO.network.argeBw }, { __typename: 'Network', id: DEMO.network.bundesinitiative },
      { __typename: 'Meeting', id: DEMO.meeting.fachtagHaldensleben },
    ] });
    expect(refs.data._entities[2]).toEqual({ title: 'Netzwerk-Fachtag „Familienakteure im Dialog“', network: { id: DEMO.network.familienakteureBoerde } });
    expect(subgraph.statements.length).toBe(3);

    const deep = `query($region: Region) { networks(region: $region) { memberAlliances { since } partners { role } meetings { talks { title } } } }`;
    subgraph.statements.length = 0;
    await subgraph.query(deep, { region: 'ST' });
    const few = subgraph.statements.length;
    subgraph.statements.length = 0;
    await subgraph.query(deep);
    expect(subgraph.statements.length).toBe(few);
  });
});

describe('networks subgraph, changes', () => {
  it('creates, updates and deletes a network; a given member list replaces the stored one', async () => {
    const created = await subgraph.query(CREATE_NETWORK, { input: {
      region: 'HE', name: 'Landesnetzwerk Hessen', kind: 'LANDESNETZWERK',
      memberAlliances: [{ allianceId: 'HE:alliance:kassel', since: '2010' }, { allianceId: DEMO.alliance.heidelberg }],
      partners: [{ organizationId: 'HE:organization:ministerium', role: 'Koordination' }],
    } });
    expect(created.errors).toBeUndefined();
    const network = created.data.createNetwork;
    expect(network).toMatchObject({ region: 'HE', version: 1, partners: [{ organization: { id: 'HE:organization:ministerium' }, role: 'Koordination' }] });
    expect(network.id).toMatch(/^HE:network:/);
    expect(network.memberAlliances).toEqual([
      { alliance: { id: 'HE:alliance:kassel' }, since: '2010', until: null },
      { alliance: { id: DEMO.alliance.heidelberg }, since: null, until: null },
    ]);

    const updated = await subgraph.query(UPDATE_NETWORK, { input: {
      id: network.id, version: 1, name: 'Landesnetzwerk Lokale Bündnisse Hessen', memberAlliances: [{ allianceId: 'HE:alliance:kassel' }],
    } });
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updateNetwork).toEqual({
      name: 'Landesnetzwerk Lokale Bündnisse Hessen', version: 2,
      memberAlliances: [{ alliance: { id: 'HE:alliance:kassel' } }], partners: [{ organization: { id: 'HE:organization:ministerium' } }],
    });

    const listOnly = await subgraph.query(UPDATE_NETWORK, { input: { id: network.id, version: 2, partners: [] } });
    expect(listOnly.data.updateNetwork).toMatchObject({ version: 3, partners: [] });

    const deleted = await subgraph.query(`mutation($id: ID!) { deleteNetwork(id: $id) }`, { id: network.id });
    expect(deleted.data.deleteNetwork).toBe(network.id);
    expect((await subgraph.query(NETWORK, { id: network.id })).data.network).toBeNull();
  });

  it('refuses a stale version with CONFLICT and changes nothing', async () => {
    const { data } = await subgraph.query(CREATE_NETWORK, { input: {
      region: 'HH', name: 'Netzwerk A', kind: 'ARGE', memberAlliances: [{ allianceId: 'HH:alliance:altona' }],
    } });
    const id = data.createNetwork.id;
    await subgraph.query(UPDATE_NETWORK, { input: { id, version: 1, name: 'Netzwerk B' } });
    const stale = await subgraph.query(UPDATE_NETWORK, { input: { id, version: 1, name: 'Netzwerk C', memberAlliances: [] } });
    expect(stale.errors?.[0].extensions).toEqual({ code: 'CONFLICT', currentVersion: 2 });
    const current = await subgraph.query(NETWORK, { id });
    expect(current.data.network).toMatchObject({ name: 'Netzwerk B', version: 2, memberAlliances: [{ alliance: { id: 'HH:alliance:altona' } }] });
  });

  it('refuses invalid input with BAD_USER_INPUT or NOT_FOUND and writes nothing', async () => {
    const before = await networkCount();
    const duplicate = await subgraph.query(CREATE_NETWORK, { input: { region: 'BY', name: 'Doppelt', kind: 'ARGE',
      memberAlliances: [{ allianceId: 'BY:alliance:a' }, { allianceId: 'BY:alliance:a' }] } });
    expect(duplicate.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'memberAlliances[1].allianceId' });
    const invalid = await subgraph.query(CREATE_NETWORK, { input: { region: 'BY', name: ' ', kind: 'ARGE', website: 'www.example.org',
      memberAlliances: [{ allianceId: 'kein-id' }] } });
    expect(codeOf(invalid)).toBe('BAD_USER_INPUT');
    const backwards = await subgraph.query(CREATE_NETWORK, { input: { region: 'BY', name: 'Rückwärts', kind: 'ARGE',
      memberAlliances: [{ allianceId: 'BY:alliance:b', since: '2015-05', until: '2014' }] } });
    expect(backwards.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'memberAlliances[0].until' });
    expect(await networkCount()).toBe(before);

    const missing = await subgraph.query(UPDATE_NETWORK, { input: { id: 'BY:network:gibt-es-nicht', version: 1, name: 'X' } });
    expect(codeOf(missing)).toBe('NOT_FOUND');
    const noNetwork = await subgraph.query(CREATE_MEETING, { input: { networkId: 'BY:network:gibt-es-nicht', title: 'Treffen' } });
    expect(codeOf(noNetwork)).toBe('NOT_FOUND');
    expect(codeOf(await subgraph.query(`{ meeting(id: "SL:network:x") { id } }`))).toBe('BAD_USER_INPUT');
  });

  it('creates, updates and deletes meetings; a number is unique per network', async () => {
    const networkId = DEMO.network.landesnetzwerkSaarland;
    const created = await subgraph.query(CREATE_MEETING, { input: {
      networkId, number: 17, title: '17. Landesnetzwerktreffen', date: '2018', topics: ['Pflege'],
      talks: [{ title: 'Begrüßung', organizationId: DEMO.organization.msgff }, { title: 'Austausch', speakerId: 'SL:person:x' }],
    } });
    expect(created.errors).toBeUndefined();
    const meeting = created.data.createMeeting;
    expect(meeting).toMatchObject({ region: 'SL', version: 1, number: 17, network: { id: networkId } });
    expect(meeting.talks).toEqual([
      { title: 'Begrüßung', speaker: null, organization: { id: DEMO.organization.msgff } },
      { title: 'Austausch', speaker: { id: 'SL:person:x' }, organization: null },
    ]);

    const duplicate = await subgraph.query(CREATE_MEETING, { input: { networkId, number: 16, title: 'Noch ein 16.' } });
    expect(codeOf(duplicate)).toBe('CONFLICT');
    const renumbered = await subgraph.query(UPDATE_MEETING, { input: { id: meeting.id, version: 1, number: 16 } });
    expect(codeOf(renumbered)).toBe('CONFLICT');

    const updated = await subgraph.query(UPDATE_MEETING, { input: {
      id: meeting.id, version: 1, title: '17. Treffen', talks: [{ title: 'Austausch' }, { title: 'Begrüßung' }],
    } });
    expect(updated.data.updateMeeting).toEqual({ number: 17, title: '17. Treffen', version: 2, talks: [{ title: 'Austausch' }, { title: 'Begrüßung' }] });
    const stale = await subgraph.query(UPDATE_MEETING, { input: { id: meeting.id, version: 1, title: 'Alt' } });
    expect(codeOf(stale)).toBe('CONFLICT');

    const deleted = await subgraph.query(`mutation($id: ID!) { deleteMeeting(id: $id) }`, { id: meeting.id });
    expect(deleted.data.deleteMeeting).toBe(meeting.id);
    const numbers = await subgraph.query(`query($id: ID!) { network(id: $id) { meetings { number } } }`, { id: networkId });
    expect(numbers.data.network.meetings).toEqual([{ number: 16 }]);
  });

  it('deletes a network together with its meetings and talks', async () => {
    const { data } = await subgraph.query(CREATE_NETWORK, { input: { region: 'TH', name: 'Thüringer Netzwerk', kind: 'LANDESNETZWERK' } });
    const networkId = data.createNetwork.id;
    const meeting = await subgraph.query(CREATE_MEETING, { input: { networkId, number: 1, title: 'Erstes Treffen', talks: [{ title: 'Auftakt' }] } });
    const meetingId = meeting.data.createMeeting.id;
    expect(meetingId).toMatch(/^TH:meeting:/);

    await subgraph.query(`mutation($id: ID!) { deleteNetwork(id: $id) }`, { id: networkId });
    const gone = await subgraph.query(`query($id: ID!) { meeting(id: $id) { id } }`, { id: meetingId });
    expect(gone.data.meeting).toBeNull();
    const talks = await subgraph.orm.em.fork().getConnection().execute(`select count(*)::int as n from talk where meeting_id = ?`, [meetingId]);
    expect(talks[0].n).toBe(0);
  });
});
