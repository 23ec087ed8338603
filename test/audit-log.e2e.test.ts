import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../data/demo/ids.js';
import type { Region } from '../subgraphs/kit/index.js';
import type { GraphQLClient, GraphQLResponse } from './support/client.js';
import { startTestHub, type TestHub } from './support/hub.js';

/**
 * The audit logs read through the regional gateway: an SL admin reads SL's entries (creates,
 * updates, deletes, a replaced member list, a deleted meeting with its talks), newest first and
 * paged without gaps; never NW's; editors and anonymous callers are refused; a hub admin reads
 * every region's entries merged into one order; record and time filters narrow the log.
 */
const REGIONS = [['SL'], ['NW'], ['BW', 'ST', 'DE', 'TH']] as Region[][];
const SL_EDITOR = 'jana@saarland.example';
const NW_EDITOR = 'ole@nrw.example';

interface Entry { id: string; at: string; actor: string; action: string; recordType: string; recordId: string; region: string; fields: string[] }
interface Page { totalCount: number; edges: { cursor: string; node: Entry }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }

const ENTRY = 'id at actor action recordType recordId region fields';
const logQuery = (field: string) => `query($filter: AuditLogFilter, $first: Int!, $after: String) {
  log: ${field}(filter: $filter, first: $first, after: $after) {
    totalCount edges { cursor node { ${ENTRY} } } pageInfo { hasNextPage endCursor }
  }
}`;

let hub: TestHub;
let slEditor: GraphQLClient;
let slAdmin: GraphQLClient;
/** When the test's own writes began: the demo data's entries are older. */
let started: string;
/** What the SL editor wrote, by name. */
const ids: Record<string, string> = {};
let oldMembers: string[];
let newMember: string;
let lastMember: string;
let talks: string[];
let allianceUpdatedAt: string;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function must(client: GraphQLClient, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const result = await client(query, variables);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  // Separate writes get separate milliseconds, so the time filters below can tell them apart.
  await pause(5);
  return result.data;
}

/** Every page of a log, `first` at a time, and the pages' entries in order. */
async function readAll(client: GraphQLClient, field: string, filter: Record<string, unknown>, first: number): Promise<{ pages: Page[]; entries: Entry[] }> {
  const pages: Page[] = [];
  let after: string | null = null;
  do {
    const result: GraphQLResponse<{ log: Page }> = await client<{ log: Page }>(logQuery(field), { filter, first, after });
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    pages.push(result.data!.log);
    after = result.data!.log.pageInfo.hasNextPage ? result.data!.log.pageInfo.endCursor : null;
    expect(pages.length).toBeLessThan(50);
  } while (after);
  return { pages, entries: pages.flatMap((page) => page.edges.map((edge) => edge.node)) };
}

const summary = (entries: Entry[]) => entries.map((e) => `${e.action} ${e.recordType} ${e.recordId}`);
/** Newest first; entries of one millisecond by id. */
const inLogOrder = (entries: Entry[]) => [...entries].sort((a, b) => (a.at > b.at ? -1 : a.at < b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

beforeAll(async () => {
  hub = await startTestHub({ seed: true, regions: REGIONS });
  slEditor = hub.as(['editor:SL'], SL_EDITOR);
  slAdmin = hub.as(['admin:SL'], 'admin@saarland.example');
  await pause(5);
  started = new Date().toISOString();
  await pause(5);

  const alliance = await must(slEditor, `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }`,
    { input: { region: 'SL', name: 'Lokales Bündnis für Familie Protokollstadt' } });
  ids.alliance = alliance.createAlliance.id;
  const updated = await must(slEditor, `mutation($input: UpdateAllianceInput!) { updateAlliance(input: $input) { version } }`,
    { input: { id: ids.alliance, version: 1, goals: 'Kinderbetreuung am Nachmittag' } });
  expect(updated.updateAlliance.version).toBe(2);
  const membership = await must(slEditor, `mutation($input: CreateMembershipInput!) { createMembership(input: $input) { id } }`,
    { input: { allianceId: ids.alliance, organizationId: DEMO.organization.impuls } });
  ids.membership = membership.createMembership.id;

  const network = await must(slEditor, `mutation($input: CreateNetworkInput!) { createNetwork(input: $input) { id memberAlliances { id } } }`,
    { input: { region: 'SL', name: 'Protokollnetzwerk Saar', kind: 'REGIONAL_COOPERATION',
      memberAlliances: [{ allianceId: ids.alliance }, { allianceId: DEMO.alliance.saarbruecken }] } });
  ids.network = network.createNetwork.id;
  oldMembers = network.createNetwork.memberAlliances.map((m: { id: string }) => m.id);
  // The member list replaced: both stored rows go, one new row comes.
  const replaced = await must(slEditor, `mutation($input: UpdateNetworkInput!) { updateNetwork(input: $input) { memberAlliances { id } } }`,
    { input: { id: ids.network, version: 1, memberAlliances: [{ allianceId: DEMO.alliance.unimedkids, since: '2020' }] } });
  [newMember] = replaced.updateNetwork.memberAlliances.map((m: { id: string }) => m.id);
  lastMember = newMember;

  const meeting = await must(slEditor, `mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { id } }`,
    { input: { networkId: ids.network, title: '1. Protokolltreffen', talks: [{ title: 'Begrüßung' }, { title: 'Berichte aus den Bündnissen' }] } });
  ids.meeting = meeting.createMeeting.id;
  const stored = await hub.subgraphs['networks-sl'].orm.em.fork().getConnection()
    .execute<{ id: string }[]>('select id from talk where meeting_id = ? order by position', [ids.meeting]);
  talks = stored.map((row) => row.id);
  expect(talks).toHaveLength(2);
  await must(slEditor, `mutation($id: ID!) { deleteMeeting(id: $id) }`, { id: ids.meeting });
  await must(slEditor, `mutation($id: ID!) { deleteNetwork(id: $id) }`, { id: ids.network });
  await must(slEditor, `mutation($id: ID!) { deleteAlliance(id: $id) }`, { id: ids.alliance });

  // Another region's write, in the same instances' logs for a hub admin only.
  const nw = await must(hub.as(['editor:NW'], NW_EDITOR), `mutation($input: CreateNetworkInput!) { createNetwork(input: $input) { id } }`,
    { input: { region: 'NW', name: 'Protokollnetzwerk Ruhr', kind: 'REGIONAL_COOPERATION' } });
  ids.nwNetwork = nw.createNetwork.id;
}, 120_000);
afterAll(async () => hub?.stop());

describe('an SL admin', () => {
  it('reads the networks log: the network\'s writes, the replaced member list and the deleted meeting with its talks', async () => {
    const { entries } = await readAll(slAdmin, 'networksAuditLog', { from: started }, 100);
    expect(entries.every((e) => e.actor === SL_EDITOR && e.region === 'SL')).toBe(true);
    expect(entries.every((e) => e.id.startsWith('SL:auditEntry:'))).toBe(true);
    expect(summary(entries).sort()).toEqual([
      `create Network ${ids.network}`,
      ...oldMembers.map((id) => `create NetworkMember ${id}`),
      `update Network ${ids.network}`,
      ...oldMembers.map((id) => `delete NetworkMember ${id}`),
      `create NetworkMember ${newMember}`,
      `create Meeting ${ids.meeting}`,
      ...talks.map((id) => `create Talk ${id}`),
      `delete Meeting ${ids.meeting}`,
      // Deleted by the database along with their meeting and network: logged all the same.
      ...talks.map((id) => `delete Talk ${id}`),
      `delete Network ${ids.network}`,
      `delete NetworkMember ${lastMember}`,
    ].map((line) => line.replace(/^(\w+)/, (action) => action.toUpperCase())).sort());
    expect(entries).toEqual(inLogOrder(entries));
    const created = entries.find((e) => e.action === 'CREATE' && e.recordId === ids.network)!;
    expect(created.fields).toEqual(expect.arrayContaining(['name', 'kind', 'region']));
    expect(entries.find((e) => e.action === 'DELETE' && e.recordId === ids.network)!.fields).toEqual([]);
  });

  it('reads the alliances log newest first, and pages through it without gaps or repeats', async () => {
    const whole = await readAll(slAdmin, 'alliancesAuditLog', { from: started }, 100);
    expect(whole.pages).toHaveLength(1);
    // The alliance's delete and its membership's (by the database) are one write: same moment, any order.
    expect(summary(whole.entries).slice(0, 2).sort()).toEqual([`DELETE Alliance ${ids.alliance}`, `DELETE Membership ${ids.membership}`].sort());
    expect(summary(whole.entries).slice(2)).toEqual([
      `CREATE Membership ${ids.membership}`, `UPDATE Alliance ${ids.alliance}`, `CREATE Alliance ${ids.alliance}`,
    ]);
    expect(whole.entries.find((e) => e.action === 'UPDATE')!.fields).toEqual(['goals']);
    allianceUpdatedAt = whole.entries.find((e) => e.action === 'UPDATE')!.at;

    for (const size of [1, 2, 3]) {
      const paged = await readAll(slAdmin, 'alliancesAuditLog', { from: started }, size);
      expect(paged.entries.map((e) => e.id)).toEqual(whole.entries.map((e) => e.id));
      expect(paged.pages.every((page) => page.totalCount === 5)).toBe(true);
    }
    // Without a time filter the demo data's entries follow, older than everything above.
    const all = await readAll(slAdmin, 'networksAuditLog', {}, 40);
    expect(all.entries).toEqual(inLogOrder(all.entries));
    expect(all.entries.some((e) => e.actor === 'system')).toBe(true);
    expect(all.entries.every((e) => e.region === 'SL')).toBe(true);
  });

  it('filters by record and by time', async () => {
    const alliance = await readAll(slAdmin, 'alliancesAuditLog', { recordId: ids.alliance }, 100);
    expect(summary(alliance.entries)).toEqual([`DELETE Alliance ${ids.alliance}`, `UPDATE Alliance ${ids.alliance}`, `CREATE Alliance ${ids.alliance}`]);
    const from = await readAll(slAdmin, 'alliancesAuditLog', { recordId: ids.alliance, from: allianceUpdatedAt }, 100);
    expect(from.entries.map((e) => e.action)).toEqual(['DELETE', 'UPDATE']);
    const to = await readAll(slAdmin, 'alliancesAuditLog', { recordId: ids.alliance, to: allianceUpdatedAt }, 100);
    expect(to.entries.map((e) => e.action)).toEqual(['CREATE']);
    const window = await readAll(slAdmin, 'alliancesAuditLog', { from: started, to: allianceUpdatedAt }, 100);
    expect(summary(window.entries)).toEqual([`CREATE Alliance ${ids.alliance}`]);
    const member = await readAll(slAdmin, 'networksAuditLog', { recordId: oldMembers[0] }, 100);
    expect(member.entries.map((e) => e.action)).toEqual(['DELETE', 'CREATE']);
    const meeting = await readAll(slAdmin, 'networksAuditLog', { recordId: ids.meeting, regions: ['SL'] }, 100);
    expect(meeting.entries.map((e) => e.action)).toEqual(['DELETE', 'CREATE']);

    const backwards = await slAdmin(logQuery('alliancesAuditLog'), { filter: { from: allianceUpdatedAt, to: started }, first: 10 });
    expect(backwards.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });
    const badId = await slAdmin(logQuery('alliancesAuditLog'), { filter: { recordId: 'Protokollstadt' }, first: 10 });
    expect(badId.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.recordId' });
    const badCursor = await slAdmin(logQuery('alliancesAuditLog'), { filter: {}, first: 10, after: 'eyJub3QiOiJhIGN1cnNvciJ9' });
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('never sees NW\'s entries: refused when asking for them, left out otherwise', async () => {
    for (const filter of [{ regions: ['NW'] }, { regions: ['SL', 'NW'] }, { recordId: ids.nwNetwork }]) {
      const result = await slAdmin(logQuery('networksAuditLog'), { filter, first: 10 });
      expect(result.data ?? null, JSON.stringify(filter)).toBeNull();
      expect(result.errors?.[0]?.extensions, JSON.stringify(filter)).toMatchObject({ code: 'FORBIDDEN', region: 'NW' });
      expect(result.errors?.[0]?.message).toBe('admin@saarland.example may not read the audit log of region NW');
    }
    const { entries } = await readAll(slAdmin, 'networksAuditLog', { from: started }, 100);
    expect(entries.some((e) => e.recordId === ids.nwNetwork)).toBe(false);
    expect(entries.every((e) => e.region === 'SL')).toBe(true);
  });
});

describe('who else may read', () => {
  it('editors, other regions\' editors and anonymous callers are refused', async () => {
    for (const field of ['alliancesAuditLog', 'networksAuditLog', 'projectsAuditLog', 'peopleAuditLog']) {
      const editor = await slEditor(logQuery(field), { filter: { regions: ['SL'] }, first: 5 });
      expect(editor.data ?? null).toBeNull();
      expect(editor.errors?.[0]).toMatchObject({ message: `${SL_EDITOR} may not read the audit log`, extensions: { code: 'FORBIDDEN' } });
      const plain = await slEditor(logQuery(field), { first: 5 });
      expect(plain.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const anonymous = await hub.anonymous(logQuery(field), { first: 5 });
      expect(anonymous.errors?.[0]).toMatchObject({
        message: 'Reading the audit log needs a signed-in admin: send a bearer token', extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    const nwAdmin = await hub.as(['admin:NW'], 'admin@nrw.example')(logQuery('alliancesAuditLog'), { filter: { recordId: ids.alliance }, first: 5 });
    expect(nwAdmin.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', region: 'SL' });
  });

  it('a hub admin reads every region\'s entries, merged newest first across the regional instances', async () => {
    const whole = await readAll(hub.query, 'networksAuditLog', { from: started }, 100);
    expect(whole.entries).toEqual(inLogOrder(whole.entries));
    expect(new Set(whole.entries.map((e) => e.region))).toEqual(new Set(['SL', 'NW']));
    expect(whole.entries[0]).toMatchObject({ action: 'CREATE', recordType: 'Network', recordId: ids.nwNetwork, actor: NW_EDITOR, region: 'NW' });
    const sl = await readAll(slAdmin, 'networksAuditLog', { from: started }, 100);
    expect(whole.pages[0].totalCount).toBe(sl.entries.length + 1);
    for (const size of [1, 4, 7]) {
      const paged = await readAll(hub.query, 'networksAuditLog', { from: started }, size);
      expect(paged.entries.map((e) => e.id)).toEqual(whole.entries.map((e) => e.id));
    }
    const nw = await readAll(hub.query, 'networksAuditLog', { from: started, regions: ['NW'] }, 100);
    expect(summary(nw.entries)).toEqual([`CREATE Network ${ids.nwNetwork}`]);
    const record = await readAll(hub.query, 'networksAuditLog', { recordId: ids.nwNetwork }, 100);
    expect(summary(record.entries)).toEqual([`CREATE Network ${ids.nwNetwork}`]);
    // Every region's demo data (alliances and organisations), merged from all three instances.
    const demo = await readAll(hub.query, 'alliancesAuditLog', { to: started }, 100);
    expect(new Set(demo.entries.map((e) => e.region))).toEqual(new Set(['SL', 'NW', 'BW', 'ST', 'DE', 'TH']));
    expect(demo.entries).toEqual(inLogOrder(demo.entries));
  });
});

describe('personal data in the log', () => {
  it('names the contact fields a write set, never their values', async () => {
    const email = 'petra.protokoll@example.org';
    const phone = '+49 681 1234567';
    const address = 'Protokollweg 1, 66111 Saarbrücken';
    const created = await must(slEditor, `mutation($input: CreatePersonInput!) { createPerson(input: $input) { id version } }`,
      { input: { region: 'SL', givenName: 'Petra', familyName: 'Protokoll', contact: { email } } });
    const id = created.createPerson.id;
    await must(slEditor, `mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { version } }`,
      { input: { id, version: 1, contact: { email, phone, address } } });
    const { entries } = await readAll(slAdmin, 'peopleAuditLog', { recordId: id }, 100);
    expect(entries.map((e) => e.action)).toEqual(['UPDATE', 'CREATE']);
    expect(entries[0].fields).toEqual(expect.arrayContaining(['contactPhone', 'contactAddress']));
    expect(entries[1].fields).toEqual(expect.arrayContaining(['contactEmail', 'familyName']));
    const text = JSON.stringify(entries);
    for (const value of [email, phone, address, 'Petra', 'Protokoll']) expect(text).not.toContain(value);
    const stored = await hub.subgraphs['people-sl'].orm.em.fork().getConnection().execute('select * from audit_log where entity_id = ?', [id]);
    for (const value of [email, phone, address]) expect(JSON.stringify(stored)).not.toContain(value);
  });
});
