/**
 * The gateway's answer cache, on regional instances over real HTTP: a repeated read costs no
 * subgraph work; a write through the gateway is visible in the very next read (of the record and of
 * lists holding it); a write made past the gateway (on an instance, or in its database) shows
 * within a probe round, while unchanged answers live long; a viewer
 * never gets an answer made for another class of viewer (contact details stay with the roles that
 * may see them); and without the setting nothing is kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../data/demo/ids.js';
import { MAX_PAGE_SIZE, encodeCursor } from '../subgraphs/shared/cursor.js';
import { sortKeyOf } from '../subgraphs/shared/sort-key.js';
import type { Region } from '../subgraphs/shared/region.js';
import { HUB_ADMIN, gatewaySignature } from './support/security.js';
import { instanceName, startTestHub, waitFor, type TestHub } from './support/hub.js';
import { expectEveryRecordOnceWhileWriting } from './support/paging.js';
import { startPassThroughProxy, withProxyInTopology } from './support/proxy.js';
import { MISSED_PROBE_GRACE_MS } from '../gateway/regional/data-versions.js';
import { INTERNAL_OPERATIONS, REFERENCES_PATH } from '../subgraphs/shared/limits.js';

const TTL_MS = 1_500;
/** Every instance reports its data version: answers live this long unless a probe sees it move. */
const VERSIONED_TTL_MS = 60_000;
/** The gateway's health probes (and data versions) come every 2 s, one round after the other. */
const PROBE_ROUND_MS = 2_000;
const GROUPS = [['SL'], ['BW', 'NW', 'DE']] as Region[][];

let hub: TestHub;
let uncached: TestHub;

beforeAll(async () => {
  [hub, uncached] = await Promise.all([
    startTestHub({ seed: true, regions: GROUPS, answerCache: { ttlMs: TTL_MS, versionedTtlMs: VERSIONED_TTL_MS, maxBytes: 8 * 2 ** 20 } }),
    startTestHub({ seed: true, regions: GROUPS.map((g) => [...g]) }),
  ]);
});
afterAll(async () => {
  await Promise.all([hub?.stop(), uncached?.stop()]);
});

const ALLIANCE = `query($id: ID!) { alliance(id: $id) { id version name memberships { organization { name } } projects { title } } }`;
const PAGE = '{ alliances(first: 50, filter: { regions: [SL] }) { edges { node { id name } } } }';
const RENAME = 'mutation($input: UpdateAllianceInput!) { updateAlliance(input: $input) { id version name } }';

/** Reads through `hub` and returns the answer with the SQL statements it cost the instances. */
async function costOf(target: TestHub, read: () => Promise<{ data?: unknown; errors?: unknown }>) {
  target.resetStatements();
  const answer = await read();
  expect(answer.errors).toBeUndefined();
  return { data: answer.data, statements: target.statementCount() };
}

describe('answer cache', () => {
  it('answers a repeated read without asking the instances again; without the setting every read costs its SQL', async () => {
    const id = DEMO.alliance.heidelberg;
    const first = await costOf(hub, () => hub.anonymous(ALLIANCE, { id }));
    expect(first.statements).toBeGreaterThan(0);
    const again = await costOf(hub, () => hub.anonymous(ALLIANCE, { id }));
    expect(again.data).toEqual(first.data);
    expect(again.statements).toBe(0);

    await costOf(uncached, () => uncached.anonymous(ALLIANCE, { id }));
    const plain = await costOf(uncached, () => uncached.anonymous(ALLIANCE, { id }));
    expect(plain.data).toEqual(first.data);
    expect(plain.statements).toBeGreaterThan(0);
  });

  it('keeps entities per record: contacts read for a page cost nothing when one of its alliances is read on its own', async () => {
    const peopleStatements = () => Object.values(hub.subgraphs).filter((s) => s.name === 'people').reduce((n, s) => n + s.statements.length, 0);
    const page = (await hub.anonymous('{ alliances(first: 10) { edges { node { id contacts { id name } } } } }')).data.alliances.edges
      .map((e: { node: { id: string; contacts: unknown[] } }) => e.node);
    const withContacts = page.find((a: { contacts: unknown[] }) => a.contacts.length > 0);
    expect(withContacts).toBeDefined();
    hub.resetStatements();
    const alone = await hub.anonymous(`{ alliance(id: "${withContacts.id}") { id contacts { id name } } }`);
    expect(alone.data.alliance).toEqual(withContacts);
    expect(peopleStatements()).toBe(0);
    expect(hub.statementCount()).toBeGreaterThan(0);
  });

  it('reads a page as keys and its records as entities: another page of records read before costs only its keys', async () => {
    const NODE = 'id name foundedOn memberships { joinedOn organization { name kind } }';
    const wide = await costOf(hub, () => hub.anonymous(`{ alliances(first: 6, filter: { regions: [SL] }) { edges { node { ${NODE} } } } }`));
    expect(wide.statements).toBeGreaterThan(2);
    // Another request (other size, a total): its page is new, its records are not.
    const narrow = `{ alliances(first: 4, filter: { regions: [SL] }) { totalCount edges { cursor node { ${NODE} } } pageInfo { hasNextPage } } }`;
    const again = await costOf(hub, () => hub.anonymous(narrow));
    // The keyed select of the one instance asked, its total in the same statement, nothing for the records.
    expect(again.statements).toBe(1);
    const edges = (again.data as { alliances: { edges: { node: unknown }[] } }).alliances.edges;
    expect(edges.map((e) => e.node)).toEqual((wide.data as { alliances: { edges: { node: unknown }[] } }).alliances.edges.slice(0, 4).map((e) => e.node));
    const plain = await costOf(uncached, () => uncached.anonymous(narrow));
    expect(plain.data).toEqual(again.data);
    expect(plain.statements).toBeGreaterThan(2);
  });

  it('keeps records of other regions one by one: an organisation of another instance read for one alliance costs it nothing for the next', async () => {
    const created = async (mutation: string, input: Record<string, unknown>) => {
      const { data, errors } = await hub.query(mutation, { i: input });
      expect(errors).toBeUndefined();
      return (Object.values(data)[0] as { id: string }).id;
    };
    const organization = (name: string) => created('mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }',
      { region: 'BW', name, kind: 'CHAMBER' });
    const shared = await organization('Landesfamilienrat Querverbund');
    const another = await organization('Kammerverbund Querverbund');
    // The first alliance names both organisations, the second only the shared one.
    const alliances: string[] = [];
    for (const [name, members] of [['Querbündnis Saar A', [shared, another]], ['Querbündnis Saar B', [shared]]] as const) {
      const alliance = await created('mutation($i: CreateAllianceInput!) { createAlliance(input: $i) { id } }', { region: 'SL', name });
      for (const organizationId of members) {
        await created('mutation($i: CreateMembershipInput!) { createMembership(input: $i) { id } }', { allianceId: alliance, organizationId });
      }
      alliances.push(alliance);
    }
    const READ = 'query($id: ID!) { alliance(id: $id) { id memberships { organization { id name } } } }';
    const other = instanceName('alliances', GROUPS[1]);
    const namesOf = (answer: { data: unknown }) => (answer.data as { alliance: { memberships: { organization: { name: string } }[] } })
      .alliance.memberships.map((m) => m.organization.name).sort();
    const first = await costOf(hub, () => hub.anonymous(READ, { id: alliances[0] }));
    expect(hub.subgraphs[other].statements.length).toBeGreaterThan(0);
    expect(namesOf(first)).toEqual(['Kammerverbund Querverbund', 'Landesfamilienrat Querverbund']);
    // The second alliance is new to the gateway (its own instance is asked); its organisation is not.
    const second = await costOf(hub, () => hub.anonymous(READ, { id: alliances[1] }));
    expect(second.statements).toBeGreaterThan(0);
    expect(hub.subgraphs[other].statements).toEqual([]);
    expect(namesOf(second)).toEqual(['Landesfamilienrat Querverbund']);
    for (const id of alliances) expect((await hub.query('mutation($id: ID!) { deleteAlliance(id: $id) }', { id })).errors).toBeUndefined();
    for (const id of [shared, another]) expect((await hub.query('mutation($id: ID!) { deleteOrganization(id: $id) }', { id })).errors).toBeUndefined();
  });

  it('cuts pages of a list over several instances from chunks each instance is asked alike: a page after any cursor costs nothing once its chunks were read', async () => {
    // More than one chunk (MAX_PAGE_SIZE keys) on SL's instance, names interleaving with the other instance's.
    const created: { id: string; key: string }[] = [];
    for (let n = 0; n < 2 * MAX_PAGE_SIZE + 10; n += 2) {
      const region = n < 16 && n % 4 === 0 ? 'NW' : 'SL';
      for (const name of [`Kettenbündnis ${String(n).padStart(3, '0')}`, ...(n < 16 ? [`Kettenbündnis ${String(n + 1).padStart(3, '0')}`] : [])]) {
        const { data, errors } = await hub.query('mutation($i: CreateAllianceInput!) { createAlliance(input: $i) { id } }', { i: { region, name } });
        expect(errors).toBeUndefined();
        created.push({ id: data.createAlliance.id, key: sortKeyOf(name) });
      }
    }
    expect(created.filter((c) => c.id.startsWith('SL:')).length).toBeGreaterThan(MAX_PAGE_SIZE);
    const ordered = created.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : 1));
    const cursorAt = (at: number) => encodeCursor(ordered[at].key, ordered[at].id);
    const PAGE_AFTER = `query($after: String) { alliances(first: 3, after: $after, filter: { text: "Kettenbündnis" }) {
      totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
    const expected = (at: number) => {
      const page = ordered.slice(at + 1, at + 4);
      return { alliances: {
        totalCount: ordered.length,
        edges: page.map((c) => ({ cursor: encodeCursor(c.key, c.id), node: { id: c.id } })),
        pageInfo: { hasNextPage: at + 4 < ordered.length, endCursor: page.length ? encodeCursor(page.at(-1)!.key, page.at(-1)!.id) : null },
      } };
    };
    // The first page after a cursor deep in SL's list reads both of its chunks, and the other instance's one.
    const last = ordered.length - 1;
    const cold = await costOf(hub, () => hub.anonymous(PAGE_AFTER, { after: cursorAt(last - 5) }));
    expect(cold.data).toEqual(expected(last - 5));
    expect(cold.statements).toBeGreaterThan(0);
    for (const at of [0, 7, 50, MAX_PAGE_SIZE - 1, MAX_PAGE_SIZE, last - 2, last - 1, last]) {
      const page = await costOf(hub, () => hub.anonymous(PAGE_AFTER, { after: cursorAt(at) }));
      expect(page.data, `after record ${at}`).toEqual(expected(at));
      expect(page.statements, `after record ${at}`).toBe(0);
    }
    // A write through the gateway drops the chunks and the pages cut from them: the next page holds the new record.
    const after050 = { after: encodeCursor(sortKeyOf('Kettenbündnis 050'), ordered.find((c) => c.key === sortKeyOf('Kettenbündnis 050'))!.id) };
    expect((await costOf(hub, () => hub.anonymous(PAGE_AFTER, after050))).statements).toBe(0);
    const { data } = await hub.query('mutation($i: CreateAllianceInput!) { createAlliance(input: $i) { id } }', { i: { region: 'NW', name: 'Kettenbündnis 050a' } });
    const page = await costOf(hub, () => hub.anonymous(PAGE_AFTER, after050));
    expect(page.statements).toBeGreaterThan(0);
    expect((page.data as { alliances: { edges: { node: { id: string } }[] } }).alliances.edges[0].node.id).toBe(data.createAlliance.id);
    // Out of the way of the tests that list every alliance.
    for (const { id } of [...created, { id: data.createAlliance.id }]) {
      expect((await hub.query('mutation($id: ID!) { deleteAlliance(id: $id) }', { id })).errors).toBeUndefined();
    }
  }, 60_000);

  it('keeps statistics per region: a dashboard over another choice of regions read before costs nothing, and adds up the same', async () => {
    const STATS = `query($regions: [Region!]) { allianceStatistics(filter: { regions: $regions }) {
      total byRegion { region count } byFieldOfAction { count } byFoundingYear { year count } organizationsByKind { kind count } memberships } }`;
    await costOf(hub, () => hub.anonymous(STATS, { regions: ['SL', 'BW'] }));
    // NW is new: only its instance is asked (BW is on the same instance, but kept on its own).
    await costOf(hub, () => hub.anonymous(STATS, { regions: ['BW', 'NW'] }));
    const known = await costOf(hub, () => hub.anonymous(STATS, { regions: ['NW', 'SL', 'BW'] }));
    expect(known.statements).toBe(0);
    const plain = await costOf(uncached, () => uncached.anonymous(STATS, { regions: ['NW', 'SL', 'BW'] }));
    expect(known.data).toEqual(plain.data);
    expect((known.data as { allianceStatistics: { byRegion: { region: string }[] } }).allianceStatistics.byRegion.map((r) => r.region).sort())
      .toEqual(['BW', 'NW', 'SL']);
  });

  it('shows a write through the gateway in the very next read, of the record and of a list holding it', async () => {
    const id = DEMO.alliance.saarbruecken;
    const before = (await hub.anonymous(ALLIANCE, { id })).data.alliance;
    const page = (await hub.anonymous(PAGE)).data.alliances.edges.map((e: { node: { id: string; name: string } }) => e.node);
    expect(page.find((n: { id: string }) => n.id === id).name).toBe(before.name);
    // Both reads are kept now.
    expect((await costOf(hub, () => hub.anonymous(PAGE))).statements).toBe(0);

    const renamed = `${before.name} (umbenannt ${Date.now()})`;
    const { data, errors } = await hub.query(RENAME, { input: { id, version: before.version, name: renamed } });
    expect(errors).toBeUndefined();
    expect(data.updateAlliance.name).toBe(renamed);

    expect((await hub.anonymous(ALLIANCE, { id })).data.alliance.name).toBe(renamed);
    const after = (await hub.anonymous(PAGE)).data.alliances.edges.map((e: { node: { id: string; name: string } }) => e.node);
    expect(after.find((n: { id: string }) => n.id === id).name).toBe(renamed);
    // Back to the old name, seen at once again.
    await hub.query(RENAME, { input: { id, version: data.updateAlliance.version, name: before.name } });
    expect((await hub.anonymous(ALLIANCE, { id })).data.alliance.name).toBe(before.name);
  });

  it('keeps answers past the short time to live while no instance reports a change of its data', async () => {
    const id = DEMO.alliance.heidelberg;
    // The probes may not have reported the earlier tests' writes yet: one full round first.
    await new Promise((resolve) => setTimeout(resolve, 2 * PROBE_ROUND_MS));
    await hub.anonymous(ALLIANCE, { id });
    await new Promise((resolve) => setTimeout(resolve, TTL_MS + PROBE_ROUND_MS + 500));
    expect((await costOf(hub, () => hub.anonymous(ALLIANCE, { id }))).statements).toBe(0);
  });

  it('keeps what it read after a write through the gateway when the next probe sees the version that write left', async () => {
    const id = DEMO.alliance.heidelberg;
    const before = (await hub.anonymous(ALLIANCE, { id })).data.alliance;
    const { data } = await hub.query(RENAME, { input: { id, version: before.version, name: `${before.name} (geschrieben)` } });
    await hub.anonymous(ALLIANCE, { id });
    await new Promise((resolve) => setTimeout(resolve, 2 * PROBE_ROUND_MS + 500));
    const kept = await costOf(hub, () => hub.anonymous(ALLIANCE, { id }));
    expect(kept.statements).toBe(0);
    expect((kept.data as { alliance: { name: string } }).alliance.name).toBe(`${before.name} (geschrieben)`);
    await hub.query(RENAME, { input: { id, version: data.updateAlliance.version, name: before.name } });
  });

  it('shows a write made in an instance\'s database by any other client within a probe round', async () => {
    const id = DEMO.alliance.saarbruecken;
    const before = (await hub.anonymous(ALLIANCE, { id })).data.alliance;
    const renamed = `${before.name} (psql ${Date.now()})`;
    const database = hub.subgraphs['alliances-sl'].orm.em.fork().getConnection();
    await database.execute('update "alliance" set "name" = ? where "id" = ?', [renamed, id]);
    const written_at = Date.now();
    const seen = await waitFor(async () => (await hub.anonymous(ALLIANCE, { id })).data.alliance.name as string, (n) => n === renamed, 3 * PROBE_ROUND_MS);
    expect(seen).toBe(renamed);
    expect(Date.now() - written_at).toBeLessThan(PROBE_ROUND_MS + 1_000);
    await database.execute('update "alliance" set "name" = ? where "id" = ?', [before.name, id]);
  });

  it('shows a write made directly on an instance (past the gateway) within a probe round, though its answers would live a minute', async () => {
    const id = DEMO.alliance.heidelberg;
    const before = (await hub.anonymous(ALLIANCE, { id })).data.alliance;
    const instance = hub.subgraphs['alliances-bw-nw-de'];
    const renamed = `${before.name} (direkt ${Date.now()})`;
    const body = JSON.stringify({ query: RENAME, variables: { input: { id, version: before.version, name: renamed } } });
    const response = await fetch(instance.url, {
      method: 'POST', headers: { 'content-type': 'application/json', ...gatewaySignature(instance, body, HUB_ADMIN) }, body,
    });
    const written = await response.json() as { data?: { updateAlliance: { name: string; version: number } }; errors?: unknown };
    expect(written.errors).toBeUndefined();
    const written_at = Date.now();
    // Until a probe sees the instance's data version move the kept answer may still be served; after it, the new name.
    const seen = await waitFor(async () => (await hub.anonymous(ALLIANCE, { id })).data.alliance.name as string, (n) => n === renamed, 3 * PROBE_ROUND_MS);
    expect(seen).toBe(renamed);
    expect(Date.now() - written_at).toBeLessThan(PROBE_ROUND_MS + 1_000);
    await hub.query(RENAME, { input: { id, version: written.data!.updateAlliance.version, name: before.name } });
  });

  it('keeps nothing read before a topology reload: a name may now stand for another instance', async () => {
    const id = DEMO.alliance.saarbruecken;
    await hub.anonymous(ALLIANCE, { id });
    expect((await costOf(hub, () => hub.anonymous(ALLIANCE, { id }))).statements).toBe(0);
    const reloaded = await hub.useTopology(Object.values(hub.subgraphs));
    expect(reloaded.accepted).toBe(true);
    expect((await costOf(hub, () => hub.anonymous(ALLIANCE, { id }))).statements).toBeGreaterThan(0);
  });

  it('keeps its answers through probes an overloaded instance misses for a grace time, and again once it answers with the version it had', async () => {
    const sl = hub.subgraphs[instanceName('alliances', ['SL'] as Region[])];
    // The instance's /references answers 503 (no database connection free) while its GraphQL answers.
    let overloaded = false;
    const proxy = await startPassThroughProxy(sl.url, (req) =>
      (overloaded && req.url?.startsWith(REFERENCES_PATH) ? { status: 503, body: '{"error":{"code":"SERVICE_OVERLOADED"}}' } : undefined));
    await withProxyInTopology(hub, sl, proxy, async () => {
      const id = DEMO.alliance.saarbruecken;
      const read = () => costOf(hub, () => hub.anonymous(ALLIANCE, { id }));
      await read();
      expect((await read()).statements).toBe(0);
      // A probe is one GET /references while it answers them.
      const probes = () => proxy.seen.filter((r) => r.method === 'GET' || r.body.includes(INTERNAL_OPERATIONS.healthProbe.operationName));
      const healthy = probes().length;
      await waitFor(async () => probes().length, (n) => n >= healthy + 2, 3 * PROBE_ROUND_MS);
      expect(probes().slice(healthy).map((r) => `${r.method} ${r.path}`)).toEqual(probes().slice(healthy).map(() => `GET ${REFERENCES_PATH}`));

      overloaded = true;
      const from = Date.now();
      await waitFor(async () => proxy.intercepted, (n) => n > 0, 3 * PROBE_ROUND_MS);
      expect(proxy.intercepted).toBeGreaterThan(0);
      expect((await read()).statements, 'a missed probe dropped the kept answers').toBe(0);
      // Past the grace time (5 s after the instance last answered) its version no longer holds.
      const statements = await waitFor(async () => (await read()).statements, (n) => n > 0, 6 * PROBE_ROUND_MS);
      expect(statements).toBeGreaterThan(0);
      expect(Date.now() - from).toBeGreaterThan(MISSED_PROBE_GRACE_MS - PROBE_ROUND_MS - 500);
      // Overloaded, it was asked `__typename` as well, answered, and stayed in: every read above had no errors.
      expect(proxy.seen.filter((r) => r.body.includes(INTERNAL_OPERATIONS.healthProbe.operationName)).length).toBeGreaterThan(0);

      // Answering its probes again with the version it had (nothing was written), it gets back
      // what was kept before the overload: the very next read costs no statement.
      overloaded = false;
      const references = () => proxy.seen.filter((r) => r.method === 'GET').length;
      const answeredFrom = references();
      // The second probe round begins only after the first has been read.
      await waitFor(async () => references(), (n) => n >= answeredFrom + 2, 4 * PROBE_ROUND_MS);
      expect((await read()).statements, 'what was kept before the overload was not served again').toBe(0);
    });
  }, 50_000);

  it('points an error at every record an instance left unanswered: none looks deleted, none is kept', async () => {
    const sl = hub.subgraphs[instanceName('alliances', ['SL'] as Region[])];
    // The instance answers pages (its keys) but fails every record read.
    let failing = true;
    const proxy = await startPassThroughProxy(sl.url, (_, body) => (failing && body.includes('_entities') ? { status: 503 } : undefined));
    const SL_PAGE = '{ alliances(first: 4, filter: { regions: [SL] }) { edges { node { id name } } } }';
    await withProxyInTopology(hub, sl, proxy, async () => {
      const expected = (await uncached.anonymous(SL_PAGE)).data.alliances.edges.length;
      expect(expected).toBeGreaterThan(1);
      // Nodes are not nullable: the answer has no data, and an error for each record.
      const { data, errors } = await hub.anonymous(SL_PAGE);
      expect(data).toBeNull();
      expect((errors ?? []).map((e) => [e.extensions?.code, e.extensions?.region, e.path]))
        .toEqual(Array.from({ length: expected }, (_, i) => ['REGION_UNAVAILABLE', 'SL', ['alliances', 'edges', i, 'node']]));
      // Nothing of it was kept: once the instance answers, the records are there.
      failing = false;
      const again = await hub.anonymous(SL_PAGE);
      expect(again.errors).toBeUndefined();
      expect(again.data.alliances.edges.every((e: { node: { name?: string } | null }) => typeof e.node?.name === 'string')).toBe(true);
    });
  });

  it('points an error at every record an instance adding fields to it left unanswered', async () => {
    const projectsSl = hub.subgraphs[instanceName('projects', ['SL'] as Region[])];
    let failing = true;
    const proxy = await startPassThroughProxy(projectsSl.url, (_, body) => (failing && body.includes('_entities') ? { status: 503 } : undefined));
    const SL_PROJECTS = '{ alliances(first: 4, filter: { regions: [SL] }) { edges { node { id projects { title } } } } }';
    await withProxyInTopology(hub, projectsSl, proxy, async () => {
      const { data, errors } = await hub.anonymous(SL_PROJECTS);
      const nodes = data.alliances.edges.map((e: { node: { projects: unknown } }) => e.node);
      expect(nodes.length).toBeGreaterThan(1);
      expect(nodes.map((n: { projects: unknown }) => n.projects)).toEqual(nodes.map(() => null));
      expect((errors ?? []).map((e) => [e.extensions?.code, e.extensions?.subgraph, e.extensions?.region, e.path]))
        .toEqual(nodes.map((_: unknown, i: number) => ['REGION_UNAVAILABLE', 'projects', 'SL', ['alliances', 'edges', i, 'node']]));
      failing = false;
      const again = await hub.anonymous(SL_PROJECTS);
      expect(again.errors).toBeUndefined();
      expect(again).toEqual(await uncached.anonymous(SL_PROJECTS));
    });
  });

  describe('viewers', () => {
    const PERSON = 'query($id: ID!) { person(id: $id) { id contact { email phone } } alliance(id: "BW:alliance:heidelberg") { contacts { id contact { email } } } }';
    const CONTACT = { email: 'kontakt@cache.example', phone: '+49 6221 555 99' };
    let personId: string;

    beforeAll(async () => {
      const { data, errors } = await hub.query(
        'mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }',
        { input: { region: 'BW', givenName: 'Cara', familyName: `Cache ${Date.now()}`, contact: CONTACT, roles: [{ kind: 'CONTACT', allianceId: DEMO.alliance.heidelberg }] } },
      );
      expect(errors).toBeUndefined();
      personId = data.createPerson.id;
    });

    const seenBy = async (client: TestHub['anonymous']) => {
      const { data, errors } = await client(PERSON, { id: personId });
      expect(errors).toBeUndefined();
      const listed = data.alliance.contacts.find((c: { id: string }) => c.id === personId);
      return { own: data.person.contact, inAlliance: listed ? listed.contact : 'missing' };
    };

    it('never hands contact details kept for one viewer to a viewer of another class, in either order', async () => {
      // Anonymous first: kept without details; then a BW editor must still get them, and anonymous still not.
      expect(await seenBy(hub.anonymous)).toEqual({ own: null, inAlliance: null });
      expect(await seenBy(hub.as(['editor:BW'], 'cache-editor-1'))).toEqual({ own: CONTACT, inAlliance: { email: CONTACT.email } });
      expect(await seenBy(hub.anonymous)).toEqual({ own: null, inAlliance: null });
      expect(await seenBy(hub.as(['editor:SL'], 'cache-editor-sl'))).toEqual({ own: null, inAlliance: null });
      expect(await seenBy(hub.as(['editor:BW'], 'cache-editor-1'))).toEqual({ own: CONTACT, inAlliance: { email: CONTACT.email } });
    });

    it('shares what it keeps between two people of the same roles, not between roles', async () => {
      await seenBy(hub.as(['admin:BW'], 'cache-admin-1'));
      const other = await costOf(hub, () => hub.as(['admin:BW'], 'cache-admin-2')(PERSON, { id: personId }));
      expect(other.statements).toBe(0);
      const hubAdmin = await costOf(hub, () => hub.as(['hub-admin'], 'cache-hub-admin-x')(PERSON, { id: personId }));
      expect(hubAdmin.statements).toBeGreaterThan(0);
    });
  });
});

describe('answer cache while others write', () => {
  it('pages through a list seeing every record that stays exactly once, with alliances created and deleted between pages', async () => {
    await expectEveryRecordOnceWhileWriting(hub.query, ['SL', 'NW', 'BW', 'DE']);
  }, 60_000);
});
