import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { costVariables, hardeningPlugin, operationCost, overlongList } from '../gateway/hardening.js';
import { clientAddress } from '../gateway/rate-limit.js';
import { SUPERGRAPH_PATH } from '../scripts/lib/supergraph.js';

/** The schema clients see through the gateway. */
const schema = Supergraph.build(readFileSync(SUPERGRAPH_PATH, 'utf8')).apiSchema().toGraphQLJSSchema();
const MAX_COST = 20_000;

function operationOf(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return { document, operation };
}
const cost = (query: string, variables: Record<string, unknown> = {}, maxCost = Number.MAX_SAFE_INTEGER) => {
  const { document, operation } = operationOf(query);
  return operationCost(schema, document, operation, variables, maxCost);
};
const longList = (query: string, variables: Record<string, unknown> = {}, max = 100) => {
  const { document, operation } = operationOf(query);
  return overlongList(schema, document, operation, variables, max);
};

/** Nested lists: far above the cost limit with 100 alliances a page, far below with 1. */
const nested = (first: string) => `{ alliances${first} { edges { node { memberships { organization { memberships {
  alliance { memberships { organization { name kind } } } } } } } } } }`;

describe('the cost limit counts every page size as the subgraph uses it', () => {
  it('a literal, a sent variable and a variable\'s default cost the same', () => {
    const literal = cost(nested('(first: 100)'));
    expect(literal).toBeGreaterThan(MAX_COST);
    expect(cost(`query($n: Int!) ${nested('(first: $n)')}`, { n: 100 })).toBe(literal);
    expect(cost(`query($n: Int! = 100) ${nested('(first: $n)')}`)).toBe(literal);
    expect(cost(`query($n: Int = 100) ${nested('(first: $n)')}`, { n: null }), 'null sent: the default counts').toBe(literal);
  });

  it('a sent variable wins over its default', () => {
    expect(cost(`query($n: Int! = 100) ${nested('(first: $n)')}`, { n: 1 })).toBe(cost(nested('(first: 1)')));
  });

  it('a page size not given counts with the schema\'s default (connections 20, networks 100)', () => {
    expect(cost(nested(''))).toBe(cost(nested('(first: 20)')));
    expect(cost('{ networks { id name memberAlliances { alliance { name } } } }'))
      .toBe(cost('{ networks(first: 100) { id name memberAlliances { alliance { name } } } }'));
    expect(cost('query($n: Int) { networks(first: $n) { id name } }')).toBe(cost('{ networks(first: 100) { id name } }'));
    // Inside fragments too.
    expect(cost('{ ...Q } fragment Q on Query { alliances { edges { node { name } } } }'))
      .toBe(cost('{ ...Q } fragment Q on Query { alliances(first: 20) { edges { node { name } } } }'));
  });

  it('above the limit, graphql-armor\'s own refusal, whichever way the page size came', () => {
    const refusal = /^Syntax Error: Query Cost limit of 20000 exceeded, found [\d.]+\.$/;
    expect(cost(nested('(first: 100)'), {}, MAX_COST)).toMatch(refusal);
    expect(cost(`query($n: Int! = 100) ${nested('(first: $n)')}`, {}, MAX_COST)).toBe(cost(nested('(first: 100)'), {}, MAX_COST));
    // Over the limit by the schema's default alone: networks(first = 100).
    const networks = (first: string) => `{ networks${first} { memberAlliances { alliance { memberships { organization {
      memberships { alliance { name municipality { name ags } memberships { id } } } } } } } } }`;
    expect(cost(networks('(first: 1)'), {}, MAX_COST)).toBeLessThan(MAX_COST);
    expect(cost(networks(''), {}, MAX_COST)).toMatch(refusal);
    expect(cost(networks(''), {}, MAX_COST)).toBe(cost(networks('(first: 100)'), {}, MAX_COST));
  });
});

describe('the gateway\'s limits, applied per request', () => {
  /** The plugin's verdict on one parsed operation with these variables: its cost (told to onCost) or the refusal. */
  async function verdict(plugin: ApolloServerPlugin<BaseContext>, parsed: ReturnType<typeof operationOf>, variables: Record<string, unknown>) {
    const hooks = await plugin.requestDidStart!({} as never);
    try {
      await hooks!.didResolveOperation!({ ...parsed, request: { variables }, schema, contextValue: {} } as never);
      return told.pop();
    } catch (error) {
      return (error as Error).message;
    }
  }
  const told: number[] = [];
  const limits = () => hardeningPlugin<BaseContext>({ maxCost: MAX_COST, maxListValues: 100, maxWriteListValues: 1_000, onCost: async (c) => { told.push(c); } });

  it('judge a repeated query by its variables, every time: a kept verdict never stands in for other values', async () => {
    const plugin = limits();
    const query = operationOf(`query($n: Int!, $regions: [Region!]) { alliances(first: $n, filter: { regions: $regions }) {
      edges { node { memberships { organization { memberships { alliance { memberships { organization { name kind } } } } } } } } } }`);
    const small = { n: 1, regions: ['SL'] };
    const cheap = await verdict(plugin, query, small);
    expect(cheap).toBeTypeOf('number');
    expect(await verdict(plugin, query, { n: 100, regions: ['SL'] })).toMatch(/Query Cost limit of 20000 exceeded/);
    expect(await verdict(plugin, query, { n: 1, regions: Array(101).fill('SL') })).toBe('filter.regions of alliances holds 101 values; a list may hold at most 100 in a query');
    expect(await verdict(plugin, query, small), 'told again for the same variables').toBe(cheap);
    expect(await verdict(plugin, query, { n: 2, regions: ['SL'] })).toBeGreaterThan(cheap as number);
    // An input object variable decides too: its lists are counted.
    const filtered = operationOf('query($n: Int!, $filter: AllianceFilter) { alliances(first: $n, filter: $filter) { totalCount } }');
    expect(await verdict(plugin, filtered, { n: 1, filter: { regions: ['SL'] } })).toBeTypeOf('number');
    expect(await verdict(plugin, filtered, { n: 1, filter: { regions: Array(101).fill('SL') } })).toMatch(/filter.regions of alliances holds 101 values/);
    // Sent as null, a list variable counts as no list; not sent, its default counts.
    const defaulted = operationOf(`query($regions: [Region!] = [${Array(101).fill('SL').join(', ')}]) { projectStatistics(filter: { regions: $regions }) { total } }`);
    expect(await verdict(plugin, defaulted, { regions: null })).toBeTypeOf('number');
    expect(await verdict(plugin, defaulted, {})).toMatch(/filter.regions of projectStatistics holds 101 values/);
    // A document parsed anew (another query text) is judged on its own.
    expect(await verdict(plugin, operationOf(nested('(first: 100)')), {})).toMatch(/Query Cost limit/);
    expect(await verdict(plugin, operationOf(nested('(first: 1)')), {})).toBeTypeOf('number');
  });

  it('key a cost by the variables that can change it only: integers, not ids, texts, enums or lists', () => {
    const deciding = (query: string) => costVariables(schema, operationOf(query).operation);
    expect(deciding('query($a: ID!, $p: ID!, $n: ID!) { alliance(id: $a) { name } project(id: $p) { title } network(id: $n) { name } }')).toEqual([]);
    expect(deciding('query($text: String, $after: String, $region: Region!) { alliances(after: $after, filter: { text: $text }) { totalCount } networks(region: $region) { name } }')).toEqual([]);
    expect(deciding('query($regions: [Region!], $first: Int, $filter: AllianceFilter!, $last: Int!) { alliances(first: $first, last: $last, filter: $filter) { totalCount } projectStatistics(filter: { regions: $regions }) { total } }'))
      .toEqual(['first', 'last']);
  });

  it('look through sent lists every time, also where the cost is kept: one too long among many is refused', async () => {
    const plugin = limits();
    const query = operationOf('query($r: [Region!], $f: AllianceFilter) { a: alliances(filter: { regions: $r }) { totalCount } b: alliances(filter: $f) { totalCount } }');
    expect(await verdict(plugin, query, { r: ['SL'], f: { regions: ['HH'] } })).toBeTypeOf('number');
    expect(await verdict(plugin, query, { r: ['SL'], f: { regions: Array(101).fill('HH') } })).toMatch(/filter.regions of alliances holds 101 values/);
    expect(await verdict(plugin, query, { r: Array(101).fill('SL'), f: null })).toMatch(/filter.regions of alliances holds 101 values/);
    // A long list in a variable no argument uses is no refusal: the full walk decides.
    expect(await verdict(plugin, query, { r: ['SL'], unused: Array(500).fill(1) })).toBeTypeOf('number');
    // Variables too many to look through are judged in full, not waved through.
    const many = Array.from({ length: 120 }, () => Array.from({ length: 100 }, () => 'SL'));
    expect(await verdict(plugin, query, { r: ['SL'], f: { regions: ['HH'] }, unused: many })).toBeTypeOf('number');
    expect(await verdict(plugin, query, { r: Array(101).fill('SL'), unused: many })).toMatch(/holds 101 values/);
  });
});

describe('list arguments are bounded before anything is routed', () => {
  it('in a literal, in a variable, in a variable\'s default', () => {
    const literal = `{ alliances(filter: { regions: [${Array(101).fill('SL').join(', ')}] }) { totalCount } }`;
    expect(longList(literal)).toEqual({ field: 'alliances', path: 'filter.regions', count: 101 });
    expect(longList(literal.replace(/SL, /, ''))).toBeUndefined();
    expect(longList('query($r: [Region!]) { alliances(filter: { regions: $r }) { totalCount } }', { r: Array(150_000).fill('SL') }))
      .toEqual({ field: 'alliances', path: 'filter.regions', count: 150_000 });
    expect(longList('query($f: AllianceFilter) { alliances(filter: $f) { totalCount } }', { f: { regions: Array(30_000).fill('HH') } }))
      .toEqual({ field: 'alliances', path: 'filter.regions', count: 30_000 });
    expect(longList(`query($r: [Region!] = [${Array(101).fill('SL').join(' ')}]) { people(filter: { regions: $r }) { totalCount } }`))
      .toEqual({ field: 'people', path: 'filter.regions', count: 101 });
  });

  it('inside lists of input objects, with the path to the list', () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ line: i + 2, name: `B${i}`, fieldsOfAction: i === 3 ? Array(1_001).fill('Pflege') : ['Pflege'] }));
    expect(longList('mutation($i: AllianceImportInput!) { importAlliances(input: $i) { created } }', { i: { region: 'SL', rows } }, 1_000))
      .toEqual({ field: 'importAlliances', path: 'input.rows[3].fieldsOfAction', count: 1_001 });
    expect(longList('mutation($i: AllianceImportInput!) { importAlliances(input: $i) { created } }',
      { i: { region: 'SL', rows: Array(1_000).fill({ line: 2, name: 'B' }) } }, 1_000)).toBeUndefined();
  });

  it('values that are no list where a list is expected, or unknown fields, are left to variable coercion', () => {
    expect(longList('query($f: AllianceFilter) { alliances(filter: $f) { totalCount } }', { f: { regions: 'SL', other: Array(500).fill(1) } })).toBeUndefined();
    expect(longList('query($f: AllianceFilter) { alliances(filter: $f) { totalCount } }', { f: 'x'.repeat(1_000) })).toBeUndefined();
  });
});

describe('a caller without a token is counted by its address', () => {
  const address = (remoteAddress: string) => clientAddress({ socket: { remoteAddress } } as never);
  it('IPv4, also mapped into IPv6, as it is; IPv6 by its /64', () => {
    expect(address('203.0.113.7')).toBe('203.0.113.7');
    expect(address('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(address('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(address('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(address('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(address('::1')).toBe('0:0:0:0::/64');
    expect(address('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(address('1:2::5:6:192.0.2.1')).toBe('1:2:0:0::/64');
  });
});
