/**
 * Declared routing on regional instances: every documented order holds after a merge, with names
 * that tie across regions (ties break by id, as on one instance); mutations go where their
 * declared argument points, whatever the order of the input's fields; variable defaults route
 * like given values; paging sees every record once while others are written between pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sortKeyOf, type Region } from '../subgraphs/kit/index.js';
import { instanceName, startTestHub, type TestHub } from './support/hub.js';
import { expectEveryRecordOnceWhileWriting } from './support/paging.js';
import type { TestSubgraph } from './support/subgraph.js';

const GROUPS = [['SL'], ['NW'], ['BW', 'DE', 'ST', 'TH']] as Region[][];
let hub: TestHub;
const instance = (subgraph: string, regions: string[]): TestSubgraph => hub.subgraphs[instanceName(subgraph, regions as Region[])];

/** The order every name-ordered list documents: the name's sort key, then the id. */
const byName = <T extends { id: string }>(name: (item: T) => string) => (a: T, b: T) => {
  const [x, y] = [sortKeyOf(name(a)), sortKeyOf(name(b))];
  return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

async function ok(query: string, variables?: Record<string, unknown>) {
  const result = await hub.query(query, variables);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data;
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  hub = await startTestHub({ seed: true, regions: GROUPS });
  // Records whose names tie across regions (equal sort keys), so only the id decides their order.
  for (const region of ['SL', 'NW', 'DE'] as Region[]) {
    const name = region === 'DE' ? 'bündnis  ZWILLING' : 'Bündnis Zwilling';
    ids[`alliance${region}`] = (await ok('mutation($i: CreateAllianceInput!) { createAlliance(input: $i) { id } }',
      { i: { region, name } })).createAlliance.id;
  }
  const target = ids.allianceSL;
  for (const region of ['SL', 'NW', 'BW'] as Region[]) {
    for (const name of ['Netz Gleich', 'Anderes Netz']) {
      await ok('mutation($i: CreateNetworkInput!) { createNetwork(input: $i) { id } }', {
        i: { region, name, kind: 'REGIONAL_COOPERATION', memberAlliances: name === 'Netz Gleich' ? [{ allianceId: target }] : [] },
      });
    }
    for (const [family, given] of [['Maier', 'Anna'], ['Mayer', 'Anna'], ['Äbi', null]]) {
      await ok('mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }', {
        i: { region, familyName: family, givenName: given, roles: [{ kind: 'CONTACT', allianceId: target }] },
      });
    }
    await ok('mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }', {
      i: { region, title: 'Projekt Gleich', fieldsOfAction: ['CHILDCARE'], partnerAllianceIds: [target] },
    });
  }
}, 120_000);
afterAll(async () => {
  await hub?.stop();
});

describe('merged lists come back in the documented order', () => {
  it('alliances: every page in name order, ties by id, the same as sorting every instance\'s records', async () => {
    const stored: { id: string; name: string }[] = [];
    for (const regions of GROUPS) {
      stored.push(...(await instance('alliances', regions).query('{ alliances(first: 100) { edges { node { id name } } } }'))
        .data.alliances.edges.map((e: { node: { id: string; name: string } }) => e.node));
    }
    const seen: { id: string; name: string }[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const { alliances } = await ok('query($after: String) { alliances(first: 2, after: $after) { edges { node { id name } } pageInfo { hasNextPage endCursor } } }', { after });
      seen.push(...alliances.edges.map((e: { node: { id: string; name: string } }) => e.node));
      if (!alliances.pageInfo.hasNextPage) break;
      after = alliances.pageInfo.endCursor;
    }
    expect(seen).toEqual([...stored].sort(byName((a) => a.name)));
    const twins = seen.filter((a) => sortKeyOf(a.name) === 'bundnis zwilling').map((a) => a.id);
    expect(twins).toEqual([ids.allianceDE, ids.allianceNW, ids.allianceSL].sort());
  });

  it('networks(first: n): the first n networks by name of all regions, ties by id', async () => {
    const { networks: all } = await ok('{ networks { id name } }');
    expect(all).toEqual([...all].sort(byName((n: { id: string; name: string }) => n.name)));
    const { networks: firstFour } = await ok('{ networks(first: 4) { name } }');
    expect(firstFour.map((n: { name: string }) => n.name)).toEqual(all.slice(0, 4).map((n: { name: string }) => n.name));
    expect(all.filter((n: { name: string }) => n.name === 'Netz Gleich')).toHaveLength(3);
  });

  it('an alliance\'s contacts, networks and projects from several regions, each in its documented order', async () => {
    const { alliance } = await ok(`query($id: ID!) { alliance(id: $id) {
      contacts { id name familyName givenName } networks { id name } projects { id title } } }`, { id: ids.allianceSL });
    const person = (p: { id: string; familyName: string; givenName: string | null }) => `${p.familyName} ${p.givenName ?? ''}`;
    expect(alliance.contacts).toHaveLength(9);
    expect(alliance.contacts).toEqual([...alliance.contacts].sort(byName(person)));
    expect(alliance.contacts[0].familyName).toBe('Äbi');
    expect(new Set(alliance.contacts.map((c: { id: string }) => c.id.slice(0, 2)))).toEqual(new Set(['SL', 'NW', 'BW']));
    expect(alliance.networks.map((n: { name: string }) => n.name)).toEqual(['Netz Gleich', 'Netz Gleich', 'Netz Gleich']);
    expect(alliance.networks).toEqual([...alliance.networks].sort(byName((n: { id: string; name: string }) => n.name)));
    expect(alliance.projects).toEqual([...alliance.projects].sort(byName((p: { id: string; title: string }) => p.title)));
    expect(alliance.projects).toHaveLength(3);
  });

  it('statistics: member counts most members first, then by name; breakdowns keep their rows without the key selected', async () => {
    const { networkStatistics } = await ok('{ networkStatistics { memberCounts { network { id name } members } } }');
    const counts = networkStatistics.memberCounts as { network: { id: string; name: string }; members: number }[];
    const expected = [...counts].sort((a, b) => b.members - a.members || byName((n: { id: string; name: string }) => n.name)(a.network, b.network));
    expect(counts).toEqual(expected);
    expect(counts.filter((c) => c.network.name === 'Anderes Netz').map((c) => c.members)).toEqual([0, 0, 0]);

    const { projectStatistics: withKeys } = await ok('{ projectStatistics { byStatus { status count } byYear { year count } } }');
    const { projectStatistics: countsOnly } = await ok('{ projectStatistics { byStatus { count } byYear { count } } }');
    expect(countsOnly.byStatus).toEqual(withKeys.byStatus.map((row: { count: number }) => ({ count: row.count })));
    expect(countsOnly.byYear).toEqual(withKeys.byYear.map((row: { count: number }) => ({ count: row.count })));
    expect(withKeys.byStatus.length).toBeGreaterThan(1);
  });
});

describe('routing by declaration', () => {
  it('routes createMembership by its alliance, whatever the order of the input\'s fields', async () => {
    const { people } = await ok('{ people(filter: { regions: [NW] }, first: 1) { edges { node { id } } } }');
    const { organizations } = await ok('{ organizations(filter: { regions: [SL] }, first: 1) { edges { node { id } } } }');
    const representative = people.edges[0].node.id;
    const organization = organizations.edges[0].node.id;
    const { createMembership } = await ok(`mutation { createMembership(input: {
      representativeId: "${representative}", organizationId: "${organization}", allianceId: "${ids.allianceSL}" }) { id alliance { id } } }`);
    expect(createMembership.id.slice(0, 2)).toBe('SL');
    expect(createMembership.alliance.id).toBe(ids.allianceSL);
  });

  it('routes by a variable\'s default like by a given value, and asks only the owning instance', async () => {
    const { createAlliance } = await ok(`mutation($input: CreateAllianceInput = { region: NW, name: "Bündnis aus Vorgabe" }) {
      createAlliance(input: $input) { id region } }`);
    expect(createAlliance.region).toBe('NW');
    hub.resetStatements();
    const { alliance } = await ok(`query($id: ID = "${createAlliance.id}") { alliance(id: $id) { name } }`);
    expect(alliance).toEqual({ name: 'Bündnis aus Vorgabe' });
    expect(instance('alliances', ['SL']).statements).toEqual([]);
    expect(instance('alliances', ['BW', 'DE', 'ST', 'TH']).statements).toEqual([]);
    expect(instance('alliances', ['NW']).statements.length).toBeGreaterThan(0);
  });
});

describe('paging while others write', () => {
  it('sees every record that stays exactly once, with alliances created and deleted between pages', async () => {
    await expectEveryRecordOnceWhileWriting(hub.query, ['SL', 'NW', 'BW', 'DE']);
  }, 60_000);
});

describe('a page most of whose records sit on one instance', () => {
  it('comes back whole and in order, and the next page holds the rest', async () => {
    const names = Array.from({ length: 12 }, (_, n) => `Aaa Seitenbündnis ${String(12 - n).padStart(2, '0')}`);
    for (const name of names) await ok('mutation($i: CreateAllianceInput!) { createAlliance(input: $i) { id } }', { i: { region: 'SL', name } });
    const page = 'query($after: String) { alliances(first: 10, after: $after, filter: { text: "Seitenbündnis" }) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }';
    const first = (await ok(page)).alliances;
    const sorted = [...names].sort();
    expect(first.totalCount).toBe(12);
    expect(first.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(sorted.slice(0, 10));
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await ok(page, { after: first.pageInfo.endCursor })).alliances;
    expect(second.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(sorted.slice(10));
    expect(second.pageInfo.hasNextPage).toBe(false);
  });
});
