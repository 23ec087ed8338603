import { createServer, type Server } from 'node:http';
import pg from 'pg';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alliancesSubgraph } from '../subgraphs/alliances/index.js';
import { peopleSubgraph } from '../subgraphs/people/index.js';
import { REFERENCES_PATH, sortKeyOf, type Region } from '../subgraphs/kit/index.js';
import { HUB_ADMIN, gatewaySignature } from './support/security.js';
import { instanceName, startTestHub, waitFor, writeTopology, type TestHub } from './support/hub.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';
import type { GraphQLResponse } from './support/client.js';
import { startPassThroughProxy, withProxyInTopology, type PassThroughProxy } from './support/proxy.js';

/** Every subgraph split into regional instances with their own databases, routed by the gateway. */
const GROUPS = [['SL'], ['ST'], ['NW'], ['BW'], ['DE', 'TH']] as Region[][];
let hub: TestHub;
const extra: TestSubgraph[] = [];

beforeAll(async () => {
  hub = await startTestHub({ seed: true, regions: GROUPS });
}, 90_000);
afterAll(async () => {
  await hub?.stop();
  await Promise.all(extra.map((s) => s.stop()));
});

const CREATE_ALLIANCE = 'mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id region } }';
const ALL_PAGES = `query($after: String) { alliances(first: 4, after: $after) {
  totalCount edges { cursor node { id name region } } pageInfo { hasNextPage endCursor } } }`;

async function allAlliances(): Promise<{ id: string; name: string; region: string }[]> {
  const seen: { id: string; name: string; region: string }[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const result: GraphQLResponse = await hub.query(ALL_PAGES, { after });
    expect(result.errors).toBeUndefined();
    seen.push(...result.data.alliances.edges.map((e: { node: { id: string; name: string; region: string } }) => e.node));
    if (!result.data.alliances.pageInfo.hasNextPage) break;
    after = result.data.alliances.pageInfo.endCursor;
  }
  return seen;
}

const instanceUrls = () => Object.fromEntries(Object.values(hub.subgraphs).map((s) => [instanceName(s.name, s.regions!), s]));

describe('regional instances behind one gateway', () => {
  it('answers NetworkMembers with member alliances from several regions', async () => {
    const { data, errors } = await hub.query(`{ networks(region: DE) { name memberAlliances { since alliance { id name region } } } }`);
    expect(errors).toBeUndefined();
    const members = data.networks[0].memberAlliances as { since: string | null; alliance: { id: string; region: string } }[];
    expect(members.map((m) => m.alliance.region).sort()).toEqual(['BW', 'NW', 'SL', 'SL']);
    // Earliest first, undated last, then by alliance id, whichever regions the alliances come from.
    const since = (m: { since: string | null }) => m.since ?? '\uffff';
    expect(members).toEqual([...members].sort((a, b) => (since(a) < since(b) ? -1 : since(a) > since(b) ? 1 : a.alliance.id < b.alliance.id ? -1 : 1)));
  });

  it('writes each new alliance to the instance of its region', async () => {
    for (const region of ['SL', 'ST', 'NW', 'BW', 'DE', 'TH']) {
      for (const name of ['Ährenfeld', 'Zeitz', 'Bündnis Ost']) {
        const { data, errors } = await hub.query(CREATE_ALLIANCE, { input: { region, name: `${name} ${region}` } });
        expect(errors).toBeUndefined();
        expect(data.createAlliance.region).toBe(region);
      }
    }
    const { data } = await hub.query(CREATE_ALLIANCE, { input: { region: 'ST', name: 'Bündnis für Familie Magdeburg' } });
    const id = data.createAlliance.id;
    const instances = instanceUrls();
    expect((await instances['alliances-st'].query(`query($id: ID!) { alliance(id: $id) { name } }`, { id })).data.alliance)
      .toEqual({ name: 'Bündnis für Familie Magdeburg' });
    expect((await instances['alliances-sl'].query(`query($id: ID!) { alliance(id: $id) { name } }`, { id })).data.alliance).toBeNull();
    expect((await instances['alliances-sl'].query(`{ alliances { totalCount } }`)).data.alliances.totalCount).toBe(5);
  });

  it('counts a list\'s total only where it is asked, and then in the statement that reads the page', async () => {
    const page = (total: string, node = 'id') => `{ alliances(first: 3) { ${total} edges { node { ${node} } } pageInfo { hasNextPage } } }`;
    const statements = () => Object.values(hub.subgraphs).flatMap((s) => s.statements);
    const counting = (sql: string) => /count\(\*\)/i.test(sql);
    const costOf = async (query: string) => {
      hub.resetStatements();
      const answer = await hub.query(query);
      expect(answer.errors).toBeUndefined();
      return { data: answer.data, statements: statements() };
    };
    const keys = await costOf(page(''));
    expect(keys.statements).toHaveLength(GROUPS.length);
    expect(keys.statements.filter(counting)).toEqual([]);
    // Each instance's page and its total: one statement, not two.
    const counted = await costOf(page('totalCount'));
    expect(counted.statements).toHaveLength(GROUPS.length);
    expect(counted.statements.every(counting)).toBe(true);
    expect(counted.data.alliances.edges).toEqual(keys.data.alliances.edges);
    expect(counted.data.alliances.totalCount).toBe((await hub.query('{ alliances(first: 0) { totalCount } }')).data.alliances.totalCount);
    // Paged in two rounds (more than keys): the first round asks for cursors, and for totals only if asked.
    const named = await costOf(page('', 'id name'));
    const namedCounted = await costOf(page('totalCount', 'id name'));
    expect(namedCounted.data.alliances.edges).toEqual(named.data.alliances.edges);
    expect(namedCounted.data.alliances.totalCount).toBe(counted.data.alliances.totalCount);
    expect(named.statements.filter(counting)).toEqual([]);
    // Instances asked again for records count again (their answer's total is the one merged), still within their page's statement.
    expect(namedCounted.statements.filter(counting).length).toBeGreaterThanOrEqual(GROUPS.length);
    expect(namedCounted.statements).toHaveLength(named.statements.length);
  });

  it('has at most maxInFlight requests under way at an instance; the rest wait their turn at the gateway', async () => {
    const sl = hub.subgraphs[instanceName('alliances', ['SL'] as Region[])];
    const proxy = await startPassThroughProxy(sl.url, undefined, { graphqlDelayMs: 200 });
    await withProxyInTopology(hub, sl, proxy, async () => {
      const names = ['Saar', 'Familie', 'Bündnis', 'Homburg'];
      const answers = await Promise.all(names.map((text) =>
        hub.query('query($t: String) { alliances(first: 5, filter: { text: $t, regions: [SL] }) { edges { node { id region } } } }', { t: text })));
      for (const answer of answers) {
        expect(answer.errors).toBeUndefined();
        expect(answer.data.alliances.edges.every((e: { node: { region: string } }) => e.node.region === 'SL')).toBe(true);
      }
      expect(proxy.seen.filter((r) => r.method === 'POST').length).toBeGreaterThanOrEqual(names.length);
      expect(proxy.mostInFlight).toBe(1);
    }, { maxInFlight: 1 });
  });

  describe('a read an instance refused for load', () => {
    const OVERLOADED = JSON.stringify({ data: null, errors: [{ message: 'The service is overloaded; retry later', extensions: { code: 'SERVICE_OVERLOADED' } }] });
    const SEARCH = 'query($t: String) { alliances(first: 5, filter: { text: $t, regions: [SL] }) { edges { node { id region } } } }';
    /** The operations the proxy received, without the gateway's check of the instance's schema. */
    const operationsAt = (proxy: PassThroughProxy) => proxy.seen.filter((r) => r.method === 'POST' && !r.body.includes('_service'));
    const refusing = async (times: number, retryAfter = '0') => {
      const sl = hub.subgraphs[instanceName('alliances', ['SL'] as Region[])];
      let refused = 0;
      const at: number[] = [];
      // The gateway's check of the instance's schema (`_service`) passes: the operations are refused.
      const proxy = await startPassThroughProxy(sl.url, (request, body) => {
        if (request.method !== 'POST' || body.includes('_service')) return undefined;
        at.push(performance.now());
        return refused++ < times ? { status: 503, body: OVERLOADED, headers: { 'retry-after': retryAfter } } : undefined;
      });
      return { sl, proxy, at };
    };

    it('is sent once more after the instance\'s Retry-After, and the answer is whole', async () => {
      const { sl, proxy, at } = await refusing(1, '1');
      await withProxyInTopology(hub, sl, proxy, async () => {
        const answer = await hub.query(SEARCH, { t: 'Saarbrücken' });
        expect(answer.errors).toBeUndefined();
        expect(answer.data.alliances.edges.map((e: { node: { region: string } }) => e.node.region)).toContain('SL');
        const posts = operationsAt(proxy);
        expect(posts).toHaveLength(2);
        expect(posts[1].body).toBe(posts[0].body);
        expect(at[1] - at[0]).toBeGreaterThanOrEqual(900);
      });
    });

    it('is sent at most twice: a lasting overload reaches the caller as SERVICE_OVERLOADED', async () => {
      const { sl, proxy } = await refusing(Infinity);
      await withProxyInTopology(hub, sl, proxy, async () => {
        const answer = await hub.query(SEARCH, { t: 'Familie' });
        expect(answer.errors?.map((e) => e.extensions?.code)).toContain('SERVICE_OVERLOADED');
        expect(operationsAt(proxy)).toHaveLength(2);
      });
    });

    it('is sent again only while fewer such reads than maxInFlight wait at that instance', async () => {
      const { sl, proxy } = await refusing(Infinity, '1');
      await withProxyInTopology(hub, sl, proxy, async () => {
        // The first refused read waits a second before its retry; the second, refused meanwhile, finds the budget spent.
        const answers = await Promise.all(['Saar', 'Homburg'].map((t) => hub.query(SEARCH, { t })));
        for (const answer of answers) expect(answer.errors?.map((e) => e.extensions?.code)).toContain('SERVICE_OVERLOADED');
        expect(operationsAt(proxy)).toHaveLength(3);
      }, { maxInFlight: 1 });
    });

    it('is never a write: a refused mutation is sent once and creates nothing', async () => {
      const before = (await hub.query('{ alliances(first: 0, filter: { regions: [SL] }) { totalCount } }')).data.alliances.totalCount;
      const { sl, proxy } = await refusing(Infinity);
      await withProxyInTopology(hub, sl, proxy, async () => {
        const answer = await hub.query(CREATE_ALLIANCE, { input: { region: 'SL', name: 'Bündnis für Familie Überlastet' } });
        expect(answer.errors?.map((e) => e.extensions?.code)).toContain('SERVICE_OVERLOADED');
        expect(operationsAt(proxy)).toHaveLength(1);
      });
      expect((await hub.query('{ alliances(first: 0, filter: { regions: [SL] }) { totalCount } }')).data.alliances.totalCount).toBe(before);
    });
  });

  it('pages through the merged list of all regions: every alliance once, in name order, no gaps', async () => {
    const seen = await allAlliances();
    const { data } = await hub.query(`{ alliances(first: 0) { totalCount } }`);
    expect(seen).toHaveLength(data.alliances.totalCount);
    expect(new Set(seen.map((a) => a.id)).size).toBe(seen.length);
    expect(new Set(seen.map((a) => a.region))).toEqual(new Set(['SL', 'ST', 'NW', 'BW', 'DE', 'TH']));
    const keys = seen.map((a) => [sortKeyOf(a.name), a.id].join('\u0000'));
    expect(keys).toEqual([...keys].sort());
    expect(seen.slice(0, 2).map((a) => a.name)).toEqual(['Ährenfeld BW', 'Ährenfeld DE']);
  });

  it('sums statistics over the instances the filter names', async () => {
    const query = `query($filter: ProjectFilter) { projectStatistics(filter: $filter) {
      total byRegion { region count } byStatus { status count } byFieldOfAction { fieldOfAction count } } }`;
    const merged = (await hub.query(query)).data.projectStatistics;
    const parts = await Promise.all(Object.values(hub.subgraphs).filter((s) => s.name === 'projects')
      .map(async (s) => (await s.query(query)).data.projectStatistics));
    expect(merged.total).toBe(parts.reduce((sum, p) => sum + p.total, 0));
    const sumOf = (key: string, field: string) => {
      const sums = new Map<string, number>();
      for (const part of parts) for (const row of part[key]) sums.set(row[field], (sums.get(row[field]) ?? 0) + row.count);
      return sums;
    };
    for (const [key, field] of [['byRegion', 'region'], ['byStatus', 'status'], ['byFieldOfAction', 'fieldOfAction']]) {
      expect(new Map(merged[key].map((row: Record<string, unknown>) => [row[field], row.count]))).toEqual(sumOf(key, field));
    }
    const two = (await hub.query(query, { filter: { regions: ['SL', 'ST'] } })).data.projectStatistics;
    expect(two.total).toBe(4);
    expect(two.byRegion).toEqual([{ region: 'ST', count: 3 }, { region: 'SL', count: 1 }]);
  });

  it('refuses writes for a region no instance owns, and an instance refuses other regions', async () => {
    const before = (await hub.query(`{ alliances(first: 0) { totalCount } }`)).data.alliances.totalCount;
    const hb = await hub.query(CREATE_ALLIANCE, { input: { region: 'HB', name: 'Bremer Bündnis für Familie' } });
    expect(hb.errors?.[0].extensions).toMatchObject({ code: 'REGION_NOT_SERVED', region: 'HB', subgraph: 'alliances' });
    const update = await hub.query(`mutation { updateAlliance(input: { id: "HB:alliance:x", version: 1, name: "X" }) { id } }`);
    expect(update.errors?.[0].extensions?.code).toBe('REGION_NOT_SERVED');
    const direct = await instanceUrls()['alliances-sl'].query(CREATE_ALLIANCE, { input: { region: 'NW', name: 'Fremd' } });
    expect(direct.errors?.[0].extensions).toMatchObject({ code: 'REGION_NOT_SERVED', region: 'NW' });
    expect((await hub.query(`{ alliances(first: 0) { totalCount } }`)).data.alliances.totalCount).toBe(before);
  });

  it('asks an instance about an alliance only when it refers to the alliance\'s region, and sees a new reference at once', async () => {
    const people = Object.values(hub.subgraphs).filter((s) => s.name === 'people');
    const referencesOf = async (instance: TestSubgraph) => {
      const response = await fetch(new URL(REFERENCES_PATH, instance.url), { headers: gatewaySignature(instance, '', HUB_ADMIN, { method: 'GET', path: REFERENCES_PATH }) });
      expect(response.status).toBe(200);
      return (await response.json() as { Alliance: string[] }).Alliance;
    };
    // Only the gateway may ask.
    expect((await fetch(new URL(REFERENCES_PATH, people[0].url))).status).toBe(401);
    const saarland = people.find((s) => (s.regions as string[]).includes('SL'))!;
    const other = people.find((s) => !(s.regions as string[]).includes('NW') && s !== saarland)!;
    expect(await referencesOf(saarland)).toEqual(['SL']);
    expect(await referencesOf(other)).not.toContain('NW');

    const CONTACTS = 'query($id: ID!) { alliance(id: $id) { name contacts { name } } }';
    const iserlohn = 'NW:alliance:iserlohn';
    const before = await hub.query(CONTACTS, { id: iserlohn });
    expect(before.errors).toBeUndefined();
    for (const instance of people) instance.statements.length = 0;
    expect((await hub.query(CONTACTS, { id: iserlohn })).data).toEqual(before.data);
    // The NW instance is asked; instances that refer to no NW alliance are not.
    expect(people.find((s) => (s.regions as string[]).includes('NW'))!.statements.length).toBeGreaterThan(0);
    expect(other.statements).toHaveLength(0);

    // A person of another region takes a role in the NW alliance: the next query finds them.
    const created = await hub.query(`mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`, {
      input: { region: other.regions![0], givenName: 'Marlene', familyName: 'Zuzug', roles: [{ kind: 'CONTACT', allianceId: iserlohn }] },
    });
    expect(created.errors).toBeUndefined();
    const after = await hub.query(CONTACTS, { id: iserlohn });
    expect(after.errors).toBeUndefined();
    expect(after.data.alliance.contacts.map((c: { name: string }) => c.name)).toContain('Marlene Zuzug');
    expect(await referencesOf(other)).toContain('NW');

    // Written straight into the database, past gateway and instance: the instance hears the commit and reads its references again.
    expect(await referencesOf(other)).not.toContain('HB');
    const database = new pg.Client({ connectionString: other.databaseUrl });
    await database.connect();
    try {
      await database.query(`update "role" set "alliance_id" = 'HB:alliance:zuzug' where "alliance_id" = $1`, [iserlohn]);
    } finally {
      await database.end();
    }
    expect(await waitFor(() => referencesOf(other), (regions) => regions.includes('HB'), 3_000)).toContain('HB');
  });

  it('reloads the topology: adds an instance, refuses one with another schema, removes one', async () => {
    const topology = () => hub.query(`{ hubTopology { lastReload { at accepted message }
      subgraphs { subgraph instances { name regions status } } } }`);
    const reloadedAfter = async (at: string) => (await waitFor(topology, (r) => r.data?.hubTopology.lastReload.at !== at)).data.hubTopology;
    const current = Object.values(hub.subgraphs);
    const hb = await startTestSubgraph(alliancesSubgraph, { regions: ['HB'] as Region[] });
    extra.push(hb);

    let at = (await topology()).data.hubTopology.lastReload.at;
    writeTopology(hub.topologyPath!, [...current, hb]);
    let state = await reloadedAfter(at);
    expect(state.lastReload.accepted).toBe(true);
    const created = await hub.query(CREATE_ALLIANCE, { input: { region: 'HB', name: 'Bremer Bündnis für Familie' } });
    expect(created.data.createAlliance.region).toBe('HB');

    // A people instance listed (and running) as an alliances instance: its schema differs, the whole file is refused.
    const impostor = await startTestSubgraph(peopleSubgraph, { regions: ['HH'] as Region[], name: 'alliances-hh' });
    extra.push(impostor);
    at = state.lastReload.at;
    writeTopology(hub.topologyPath!, [...current, hb, { ...impostor, name: 'alliances' } as TestSubgraph]);
    state = await reloadedAfter(at);
    expect(state.lastReload.accepted).toBe(false);
    expect(state.lastReload.message).toContain('instance alliances-hh');
    expect(state.lastReload.message).toMatch(/does not match the hub's alliances schema: Alliance\.region: Region! is missing/);
    const hh = await hub.query(CREATE_ALLIANCE, { input: { region: 'HH', name: 'Hamburg' } });
    expect(hh.errors?.[0].extensions?.code).toBe('REGION_NOT_SERVED');
    expect((await hub.query(CREATE_ALLIANCE, { input: { region: 'HB', name: 'Noch eins' } })).errors).toBeUndefined();

    at = state.lastReload.at;
    writeTopology(hub.topologyPath!, current);
    state = await reloadedAfter(at);
    expect(state.lastReload.accepted).toBe(true);
    const alliancesInstances = state.subgraphs.find((s: { subgraph: string }) => s.subgraph === 'alliances').instances;
    expect(alliancesInstances.map((i: { name: string }) => i.name)).not.toContain('alliances-hb');
    expect((await hub.query(CREATE_ALLIANCE, { input: { region: 'HB', name: 'Weg' } })).errors?.[0].extensions?.code).toBe('REGION_NOT_SERVED');
  });

  it('answers without a region that is down, says which one, and recovers when it is back', async () => {
    const instances = instanceUrls();
    const sl = instances['alliances-sl'];
    await sl.stop();
    const query = `{ alliances(first: 100) { totalCount edges { node { region } } }
      networks(region: DE) { memberAlliances { alliance { name } } } }`;
    const degraded = await hub.query(query);
    const regions = new Set(degraded.data.alliances.edges.map((e: { node: { region: string } }) => e.node.region));
    expect(regions.has('SL')).toBe(false);
    expect(regions.has('NW')).toBe(true);
    expect(degraded.errors).toContainEqual(expect.objectContaining({
      extensions: expect.objectContaining({ code: 'REGION_UNAVAILABLE', region: 'SL', subgraph: 'alliances' }),
    }));
    const members = degraded.data.networks[0].memberAlliances.map((m: { alliance: { name: string } | null }) => m.alliance?.name ?? null);
    expect(members.filter((name: string | null) => name === null)).toHaveLength(2);
    expect(members).toContain('Iserlohner Bündnis für Familie');

    const restarted = await startTestSubgraph(alliancesSubgraph, { regions: ['SL'] as Region[], port: sl.port, databaseUrl: sl.databaseUrl });
    extra.push(restarted);
    const recovered = await waitFor(() => hub.query(query), (r) => r.errors === undefined);
    expect(recovered.errors).toBeUndefined();
    expect(recovered.data.alliances.edges.some((e: { node: { region: string } }) => e.node.region === 'SL')).toBe(true);
  });

  it('gives up on a slow region after its timeout and keeps the others', async () => {
    const bw = instanceUrls()['people-bw'];
    // Answers probes at once but holds every other request for longer than the 2 s timeout.
    const slow: Server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString();
      if (!body.includes('_service') && !body.includes('{ __typename }')) await new Promise((r) => setTimeout(r, 2_500));
      const signature = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name.startsWith('x-hub-'))) as Record<string, string>;
      try {
        const answer = await fetch(bw.url, { method: 'POST', headers: { ...signature, 'content-type': 'application/json' }, body });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
      } catch {
        res.destroy();
      }
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/graphql`;
    try {
      const others = Object.values(hub.subgraphs).filter((s) => s !== bw);
      await hub.useTopology([...others, { ...bw, url: slowUrl }]);

      const started = Date.now();
      const result = await hub.query(`{ people(first: 100) { edges { node { name region } } } }`);
      expect(Date.now() - started).toBeLessThan(6_000);
      const names = result.data.people.edges.map((e: { node: { name: string } }) => e.node.name);
      expect(names).toContain('Michael Kemmer');
      expect(names).not.toContain('Aline Moser');
      expect(result.errors).toContainEqual(expect.objectContaining({
        extensions: expect.objectContaining({ code: 'REGION_UNAVAILABLE', region: 'BW', subgraph: 'people' }),
      }));
      expect(result.errors?.[0].message).toContain('no answer within 2000 ms');
    } finally {
      writeTopology(hub.topologyPath!, Object.values(hub.subgraphs));
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  }, 30_000);
});

