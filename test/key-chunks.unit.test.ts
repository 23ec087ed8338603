/**
 * Pages of keys cut from chunks (gateway/regional/key-chunks.ts), against instances kept in
 * memory: every page after every cursor equals the page the instances would give for it, the
 * chunk requests are the same whatever the cursor, and the walk gives way to one direct request
 * where chunks could mislead (a write during a walk over several chunks, an error, a cursor the
 * instance would refuse).
 */
import { readFileSync } from 'node:fs';
import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE, encodeCursor, readCursor } from '../subgraphs/shared/cursor.js';
import type { Region } from '../subgraphs/shared/region.js';
import { ROUTING } from '../subgraphs/routing.js';
import { RoutingTable } from '../gateway/regional/declarations.js';
import type { Json, OutgoingRequest, Send } from '../gateway/regional/instance-client.js';
import { keyChunksOf, readKeyChunks } from '../gateway/regional/key-chunks.js';
import { fieldsOf, inlineFragments, withDefaults } from '../gateway/regional/operation.js';
import { assemble, planFields, type TopologyView } from '../gateway/regional/planner.js';
import { expectedSubgraphSchemas } from '../gateway/regional/schema-check.js';
import { buildTopology, type Instance } from '../gateway/regional/topology.js';

const schema = expectedSubgraphSchemas(readFileSync('schema/supergraph.graphql', 'utf8')).get('alliances')!;
const routing = RoutingTable.build('alliances', ROUTING.alliances, schema) as RoutingTable;
const topology = buildTopology({ subgraphs: {
  alliances: [
    { name: 'a-sl', url: 'http://sl/graphql', regions: ['SL'] },
    { name: 'a-nw', url: 'http://nw/graphql', regions: ['NW'] },
  ],
} }, ['alliances']);
const view: TopologyView = {
  instances: (subgraph) => topology.subgraphs.get(subgraph) ?? [],
  owner: (subgraph, region: Region) => topology.owners.get(subgraph)?.get(region),
};

type Key = [string, string];
const compare = (a: Key, b: Key) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

/** SL holds more than two chunks of keys, NW a few; names interleave and tie across the two. */
const lists: Record<string, Key[]> = { 'a-sl': [], 'a-nw': [] };
for (let n = 0; n < 2 * MAX_PAGE_SIZE + 50; n++) lists['a-sl'].push([`name ${String(n).padStart(3, '0')}`, `SL:alliance:${n}`]);
for (let n = 0; n < 30; n++) lists['a-nw'].push([`name ${String(n * 9).padStart(3, '0')}`, `NW:alliance:${n}`]);
for (const list of Object.values(lists)) list.sort(compare);
const everything = Object.values(lists).flat().sort(compare);

/** What an instance answers to `alliances(first, after)` for the selection the gateway sends (keys only). */
function page(list: Key[], after: string | null | undefined, first: number, key: string): Json {
  const from = after ? readCursor(after)! : undefined;
  const rows = list.filter((row) => !from || compare(row, from) > 0);
  const edges = rows.slice(0, first).map(([sortKey, id]) => ({ cursor: encodeCursor(sortKey, id), node: { id } }));
  const more = rows.length > first;
  return { [key]: {
    totalCount: list.length, edges, pageInfo: { hasNextPage: more, endCursor: edges.at(-1)?.cursor ?? null },
    __hub_total: list.length, __hub_edges: edges.map((e) => ({ __hub_cursor: e.cursor })), __hub_page: { __hub_more: more },
  } };
}

const QUERY = 'query($after: String) { alliances(first: 3, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }';

function setUp(query: string, variables: Json) {
  const operation = inlineFragments(parse(query)).definitions[0] as OperationDefinitionNode;
  const roots = fieldsOf(operation.selectionSet);
  const effective = withDefaults(operation, variables) as Json;
  const plans = planFields('alliances', view, routing, schema, roots, effective);
  return { operation, roots, plans, chunks: keyChunksOf(operation, plans, effective) };
}

/** Instances in memory: every chunk request recorded; `direct` answers the client's own page. */
function instances(options: { onChunk?: (instance: Instance, request: OutgoingRequest) => void; failing?: string } = {}) {
  const asked: string[] = [];
  const directly: string[] = [];
  const send: Send = async (instance, request) => {
    asked.push(`${instance.name} ${JSON.stringify(request.variables)}`);
    expect(request.query).toContain(`first: ${MAX_PAGE_SIZE}`);
    options.onChunk?.(instance, request);
    if (instance.name === options.failing) return { data: null, errors: [{ message: 'chunk refused', extensions: { code: 'BAD_USER_INPUT' } }] };
    return { data: page(lists[instance.name], request.variables?.__hub_after as string | null, MAX_PAGE_SIZE, 'alliances') };
  };
  const direct = (after: string | null) => async (instance: Instance) => {
    directly.push(instance.name);
    return { instance, answer: { data: page(lists[instance.name], after, 4, 'alliances') } };
  };
  return { send, direct, asked, directly };
}

async function pageThroughChunks(after: string | null, setup = instances(), clock = { generation: 0, inFlight: 0 }) {
  const { roots, plans, chunks } = setUp(QUERY, { after });
  expect(chunks).toBeDefined();
  const outcomes = await readKeyChunks(setup.send, chunks!, clock, setup.direct(after));
  return assemble('alliances', roots, plans, outcomes);
}

const expectedAfter = (at: number) => {
  const rows = everything.slice(at + 1, at + 4);
  return {
    totalCount: everything.length,
    edges: rows.map(([key, id]) => ({ cursor: encodeCursor(key, id), node: { id } })),
    pageInfo: { hasNextPage: at + 4 < everything.length, endCursor: rows.length ? encodeCursor(...rows.at(-1)!) : null },
  };
};

describe('pages cut from chunks', () => {
  it('equal the instances\' own pages after every cursor, from the start and past the end', async () => {
    const setup = instances();
    expect((await pageThroughChunks(null, setup)).data.alliances).toEqual(expectedAfter(-1));
    for (let at = 0; at < everything.length; at++) {
      const { data, errors } = await pageThroughChunks(encodeCursor(...everything[at]), setup);
      expect(errors, `after ${at}`).toEqual([]);
      expect(data.alliances, `after ${at}`).toEqual(expectedAfter(at));
    }
    // Whatever the cursor, each instance was asked the same few chunk requests (SL three, NW one).
    expect(new Set(setup.asked).size).toBe(4);
    expect(setup.directly).toEqual([]);
  });

  it('give way to a direct request when a write went through the gateway during a walk over several chunks', async () => {
    const clock = { generation: 0, inFlight: 0 };
    const setup = instances({ onChunk: (instance, request) => { if (request.variables?.__hub_after) clock.generation++; } });
    const at = MAX_PAGE_SIZE + 20;
    const { data } = await pageThroughChunks(encodeCursor(...lists['a-sl'][at]), setup, clock);
    expect(setup.directly).toEqual(['a-sl']);
    expect((data.alliances as { edges: { node: { id: string } }[] }).edges.map((e) => e.node.id)).toEqual(everything
      .filter((row) => compare(row, lists['a-sl'][at]) > 0).slice(0, 3).map(([, id]) => id));
  });

  it('give way to a direct request when a chunk is answered with errors, and to none while a write is on for one chunk', async () => {
    const setup = instances({ failing: 'a-nw' });
    await pageThroughChunks(null, setup, { generation: 0, inFlight: 1 });
    expect(setup.directly).toEqual(['a-nw']);
  });

  it.each([
    ['a cursor that is not one', QUERY, { after: 'kaputt' }],
    ['a cursor holding a control character', QUERY, { after: encodeCursor('name\u0000', 'SL:alliance:1') }],
    ['a page size the instance would refuse', '{ alliances(first: 101) { edges { node { id } } } }', {}],
    ['an empty page', '{ alliances(first: 0) { edges { node { id } } } }', {}],
    ['records, not keys (two rounds)', '{ alliances(first: 3) { edges { node { id name } } } }', {}],
    ['one instance', '{ alliances(first: 3, filter: { regions: [SL] }) { edges { node { id } } } }', {}],
    ['two root fields', '{ a: alliances(first: 3) { edges { node { id } } } b: alliances(first: 4) { edges { node { id } } } }', {}],
  ])('are not used for %s', (_, query, variables) => {
    expect(setUp(query, variables as Json).chunks).toBeUndefined();
  });

  it('ask each chunk with the client\'s other arguments and only the variables they use', () => {
    const { chunks } = setUp('query($t: String, $after: String, $unused: Int) { alliances(first: 5, after: $after, filter: { text: $t }) { edges { node { id } } } }',
      { t: 'Familie', after: encodeCursor('x', 'SL:alliance:x'), unused: 3 });
    expect(chunks!.variables).toEqual({ t: 'Familie' });
    expect(chunks!.query).toContain('filter: {text: $t}');
    expect(chunks!.query).not.toContain('$after');
    expect(chunks!.first).toBe(5);
  });
});
