/**
 * The planner, table-tested without any I/O: which instances each root field goes to, what each
 * is asked in each round, and how their outcomes (answers or failures) become one answer.
 */
import { readFileSync } from 'node:fs';
import { parse, print, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../subgraphs/shared/cursor.js';
import type { Region } from '../subgraphs/shared/region.js';
import { ROUTING } from '../subgraphs/routing.js';
import { RoutingTable } from '../gateway/regional/declarations.js';
import { InstanceUnavailable, type Json, type Outcome } from '../gateway/regional/instance-client.js';
import { PAGING, fieldsOf, inlineFragments, withDefaults } from '../gateway/regional/operation.js';
import { afterFirstRound, assemble, firstRoundRequests, mainRequests, planFields, type TopologyView } from '../gateway/regional/planner.js';
import { expectedSubgraphSchemas } from '../gateway/regional/schema-check.js';
import { buildTopology, type Instance } from '../gateway/regional/topology.js';

const schemas = expectedSubgraphSchemas(readFileSync('schema/supergraph.graphql', 'utf8'));
const schema = schemas.get('alliances')!;
const routing = RoutingTable.build('alliances', ROUTING.alliances, schema) as RoutingTable;
const topology = buildTopology({ subgraphs: {
  alliances: [
    { name: 'a-sl', url: 'http://sl/graphql', regions: ['SL'] },
    { name: 'a-nw', url: 'http://nw/graphql', regions: ['NW'] },
    { name: 'a-bw', url: 'http://bw/graphql', regions: ['BW', 'DE'] },
  ],
} }, ['alliances']);
const view: TopologyView = {
  instances: (subgraph) => topology.subgraphs.get(subgraph) ?? [],
  owner: (subgraph, region: Region) => topology.owners.get(subgraph)?.get(region),
};
const byName = (name: string) => view.instances('alliances').find((i) => i.name === name)!;

function plan(query: string, variables: Json = {}) {
  const operation = inlineFragments(parse(query)).definitions[0] as OperationDefinitionNode;
  const roots = fieldsOf(operation.selectionSet);
  const effective = withDefaults(operation, variables) as Json;
  return { roots, plans: planFields('alliances', view, routing, schema, roots, effective) };
}
const names = (requests: Map<Instance, unknown>) => [...requests.keys()].map((i) => i.name).sort();
const answered = (instance: Instance, data: Json): Outcome => ({ instance, answer: { data } });

describe('where root fields go', () => {
  it.each([
    ['an id names its owner', '{ alliance(id: "NW:alliance:x") { name } }', {}, ['a-nw']],
    ['a variable\'s default names it too', 'query($id: ID! = "SL:alliance:x") { alliance(id: $id) { name } }', {}, ['a-sl']],
    ['a given variable beats its default', 'query($id: ID! = "SL:alliance:x") { alliance(id: $id) { name } }', { id: 'DE:alliance:y' }, ['a-bw']],
    ['a region list narrows a fan-out', '{ allianceStatistics(filter: { regions: [SL, DE] }) { total } }', {}, ['a-bw', 'a-sl']],
    ['a region list from a default', 'query($r: [Region!] = [NW]) { allianceStatistics(filter: { regions: $r }) { total } }', {}, ['a-nw']],
    ['no owner and no list: every instance', '{ allianceStatistics { total } }', {}, ['a-bw', 'a-nw', 'a-sl']],
    ['a malformed id: one instance, which refuses it', '{ alliance(id: "kaputt") { name } }', {}, ['a-bw']],
  ])('%s', (_, query, variables, expected) => {
    const { plans } = plan(query, variables as Json);
    expect(names(mainRequests(plans))).toEqual(expected);
    expect(firstRoundRequests(plans).size).toBe(0);
  });

  it('names a region nobody owns as not served, and still answers from one instance', () => {
    const { roots, plans } = plan('{ allianceStatistics(filter: { regions: [HB] }) { total } }');
    expect(names(mainRequests(plans))).toEqual(['a-bw']);
    const { errors } = assemble('alliances', roots, plans, new Map([[byName('a-bw'), answered(byName('a-bw'), { allianceStatistics: { total: 0 } })]]));
    expect(errors.map((e) => e.extensions?.code)).toEqual(['REGION_NOT_SERVED']);
  });
});

describe('a paged fan-out', () => {
  const query = '{ page: alliances(first: 2) { totalCount edges { node { id name } } pageInfo { hasNextPage endCursor } } }';
  const keys = (records: [string, string][], more: boolean, total: number) => ({
    page: { [PAGING.total]: total, [PAGING.pageInfo]: { [PAGING.more]: more },
      [PAGING.edges]: records.map(([key, id]) => ({ [PAGING.cursor]: encodeCursor(key, id) })) },
  });
  const full = (records: [string, string][], more: boolean, total: number) => ({
    page: { ...keys(records, more, total).page, totalCount: total, edges: records.map(([, id]) => ({ node: { id, name: id } })), pageInfo: { hasNextPage: more, endCursor: null } },
  });

  it('asks every instance for sort keys first (under the client\'s alias), then only those holding records', () => {
    const { roots, plans } = plan(query);
    const first = firstRoundRequests(plans);
    expect(names(first)).toEqual(['a-bw', 'a-nw', 'a-sl']);
    expect(print(first.get(byName('a-sl'))![0])).toContain('page: alliances(first: 2)');
    expect(mainRequests(plans).size).toBe(0);

    const round1 = new Map([
      [byName('a-sl'), answered(byName('a-sl'), keys([['bonn', 'SL:alliance:b'], ['zell', 'SL:alliance:z']], false, 2))],
      [byName('a-nw'), answered(byName('a-nw'), keys([['bonn', 'NW:alliance:b']], false, 1))],
      // An instance with no matching record is not asked again.
      [byName('a-bw'), answered(byName('a-bw'), keys([], false, 0))],
    ]);
    const paged = afterFirstRound(plans, round1);
    const main = mainRequests(paged);
    expect(names(main)).toEqual(['a-nw', 'a-sl']);
    // Each its share plus one look-ahead: SL holds one of the page (bonn ties, NW's id is smaller).
    expect(print(main.get(byName('a-sl'))![0])).toMatch(/alliances\(first: 2\)/);
    expect(print(main.get(byName('a-nw'))![0])).toMatch(/alliances\(first: 2\)/);

    const round2 = new Map([
      [byName('a-sl'), answered(byName('a-sl'), full([['bonn', 'SL:alliance:b'], ['zell', 'SL:alliance:z']], false, 2))],
      [byName('a-nw'), answered(byName('a-nw'), full([['bonn', 'NW:alliance:b']], false, 1))],
    ]);
    const { data, errors } = assemble('alliances', roots, paged, round2);
    expect(errors).toEqual([]);
    expect(data.page).toEqual({
      totalCount: 3,
      edges: [{ node: { id: 'NW:alliance:b', name: 'NW:alliance:b' } }, { node: { id: 'SL:alliance:b', name: 'SL:alliance:b' } }],
      pageInfo: { hasNextPage: true, endCursor: encodeCursor('bonn', 'SL:alliance:b') },
    });
  });

  it('keeps the other regions\' records and names the region when an instance fails in the second round', () => {
    const { roots, plans } = plan(query);
    const paged = afterFirstRound(plans, new Map([
      [byName('a-sl'), answered(byName('a-sl'), keys([['aalen', 'SL:alliance:a']], true, 5))],
      [byName('a-nw'), answered(byName('a-nw'), keys([['bonn', 'NW:alliance:b']], false, 1))],
      [byName('a-bw'), { instance: byName('a-bw'), failure: new InstanceUnavailable(byName('a-bw'), 'timed out') }],
    ]));
    expect(names(mainRequests(paged))).toEqual(['a-nw', 'a-sl']);
    const { data, errors } = assemble('alliances', roots, paged, new Map([
      [byName('a-sl'), { instance: byName('a-sl'), failure: new InstanceUnavailable(byName('a-sl'), 'connection refused') }],
      [byName('a-nw'), answered(byName('a-nw'), full([['bonn', 'NW:alliance:b']], false, 1))],
    ]));
    expect((data.page as { edges: unknown[] }).edges).toEqual([{ node: { id: 'NW:alliance:b', name: 'NW:alliance:b' } }]);
    expect(errors.map((e) => [e.extensions?.code, e.extensions?.region, e.path])).toEqual([
      ['REGION_UNAVAILABLE', 'BW', ['page']], ['REGION_UNAVAILABLE', 'DE', ['page']], ['REGION_UNAVAILABLE', 'SL', ['page']],
    ]);
  });
});

describe('a paged fan-out asking for keys only', () => {
  it('asks every instance for the whole page in one round and merges with the look-ahead bounds', () => {
    const { roots, plans } = plan('{ page: alliances(first: 2) { totalCount edges { cursor node { id } } pageInfo { hasNextPage } } }');
    expect(firstRoundRequests(plans).size).toBe(0);
    const main = mainRequests(plans);
    expect(names(main)).toEqual(['a-bw', 'a-nw', 'a-sl']);
    expect(print(main.get(byName('a-sl'))![0])).toContain('page: alliances(first: 2)');
    const page = (records: [string, string][], more: boolean) => ({ page: {
      [PAGING.total]: records.length + (more ? 5 : 0), [PAGING.pageInfo]: { [PAGING.more]: more },
      [PAGING.edges]: records.map(([key, id]) => ({ [PAGING.cursor]: encodeCursor(key, id) })),
      totalCount: records.length, edges: records.map(([key, id]) => ({ cursor: encodeCursor(key, id), node: { id } })), pageInfo: { hasNextPage: more },
    } });
    const { data, errors } = assemble('alliances', roots, plans, new Map([
      [byName('a-sl'), answered(byName('a-sl'), page([['bonn', 'SL:alliance:b'], ['celle', 'SL:alliance:c']], true))],
      [byName('a-nw'), answered(byName('a-nw'), page([['aalen', 'NW:alliance:a']], false))],
      [byName('a-bw'), answered(byName('a-bw'), page([], false))],
    ]));
    expect(errors).toEqual([]);
    expect(data.page).toEqual({
      totalCount: 8,
      edges: [
        { cursor: encodeCursor('aalen', 'NW:alliance:a'), node: { id: 'NW:alliance:a' } },
        { cursor: encodeCursor('bonn', 'SL:alliance:b'), node: { id: 'SL:alliance:b' } },
      ],
      pageInfo: { hasNextPage: true },
    });
  });
});

describe('statistics over several instances', () => {
  it('asks for the breakdown keys and counts the merge needs, and merges rows the client sees without keys', () => {
    const { roots, plans } = plan('{ s: allianceStatistics { total byRegion { n: count } } }');
    const sent = print(mainRequests(plans).get(byName('a-sl'))![0]);
    expect(sent).toContain('__hub_m_region: region');
    expect(sent).toContain('__hub_m_count: count');
    const row = (region: string, n: number) => ({ n, __hub_m_region: region, __hub_m_count: n });
    const outcomes = new Map([
      [byName('a-sl'), answered(byName('a-sl'), { s: { total: 2, byRegion: [row('SL', 2)] } })],
      [byName('a-nw'), answered(byName('a-nw'), { s: { total: 3, byRegion: [row('NW', 3)] } })],
      [byName('a-bw'), answered(byName('a-bw'), { s: { total: 3, byRegion: [row('BW', 2), row('DE', 1)] } })],
    ]);
    const { data } = assemble('alliances', roots, plans, outcomes);
    const merged = data.s as { total: number; byRegion: { n: number }[] };
    expect(merged.total).toBe(8);
    expect(merged.byRegion.map((r) => r.n)).toEqual([3, 2, 2, 1]);
    expect(merged.byRegion.map((r) => (r as Json).__hub_m_region)).toEqual(['NW', 'BW', 'SL', 'DE']);
  });

  it('reads breakdown keys and counts the client selects itself from its own fields, asking nothing twice', () => {
    const { roots, plans } = plan('{ s: allianceStatistics { total byRegion { region count } } }');
    const sent = print(mainRequests(plans).get(byName('a-sl'))![0]);
    expect(sent).not.toContain('__hub_m');
    const outcomes = new Map([
      [byName('a-sl'), answered(byName('a-sl'), { s: { total: 2, byRegion: [{ region: 'SL', count: 2 }] } })],
      [byName('a-nw'), answered(byName('a-nw'), { s: { total: 3, byRegion: [{ region: 'NW', count: 3 }] } })],
      [byName('a-bw'), answered(byName('a-bw'), { s: { total: 4, byRegion: [{ region: 'BW', count: 2 }, { region: 'DE', count: 1 }, { region: 'SL', count: 1 }] } })],
    ]);
    const merged = assemble('alliances', roots, plans, outcomes).data.s as { byRegion: { region: string; count: number }[] };
    expect(merged.byRegion.map((r) => [r.region, r.count])).toEqual([['NW', 3], ['SL', 3], ['BW', 2], ['DE', 1]]);
  });
});
