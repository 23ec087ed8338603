import { describe, expect, it } from 'vitest';
import { buildSchema, parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { Region, encodeCursor } from '../subgraphs/kit/index.js';
import { buildTopology } from '../gateway/regional/topology.js';
import { mergeAggregate, mergeConnection } from '../gateway/regional/merge.js';
import { fieldsOf, inlineFragments, PAGING } from '../gateway/regional/operation.js';
import { mutationRegion } from '../gateway/regional/mutation-fetch.js';
import { schemaDifferences } from '../gateway/regional/schema-check.js';

const rootField = (query: string): FieldNode =>
  fieldsOf((inlineFragments(parse(query)).definitions[0] as OperationDefinitionNode).selectionSet)[0];

describe('topology file', () => {
  const instance = (name: string, regions: string[]) => ({ name, url: `http://${name}:4000/graphql`, regions });

  it('orders instances by region and indexes the owner of each region', () => {
    const topology = buildTopology({ subgraphs: {
      alliances: [instance('a-sl', ['SL', 'RP']), instance('a-nw', ['NW'])],
      people: [instance('p-all', ['*'])],
    } }, ['alliances', 'people']);
    expect(topology.subgraphs.get('alliances')!.map((i) => i.name)).toEqual(['a-nw', 'a-sl']);
    expect(topology.owners.get('alliances')!.get(Region.RP)!.name).toBe('a-sl');
    expect(topology.owners.get('people')!.size).toBe(17);
    expect(topology.subgraphs.get('people')![0].timeoutMs).toBe(5_000);
  });

  it('names every problem at once', () => {
    expect(() => buildTopology({ subgraphs: {
      alliances: [instance('a', ['SL']), instance('a', ['SL'])],
      unknown: [instance('u', ['BW'])],
    } }, ['alliances', 'people'])).toThrowError(
      'subgraph people has no instance; instance name a is used twice; alliances: region SL is owned by both a and a; '
      + 'unknown is not a subgraph of this supergraph (known: alliances, people)');
    expect(() => buildTopology({ subgraphs: { alliances: [{ name: 'a', url: 'nope', regions: ['XX'] }] } }, ['alliances']))
      .toThrowError(/subgraphs\.alliances\.0\.url.*subgraphs\.alliances\.0\.regions\.0/);
  });
});

describe('merging a connection from several instances', () => {
  const field = rootField('{ alliances(first: 3) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }');
  const answer = (total: number, more: boolean, names: string[]) => ({
    totalCount: total, edges: names.map((name) => ({ node: { name } })), pageInfo: { hasNextPage: more, endCursor: 'x' },
    [PAGING.total]: total, [PAGING.pageInfo]: { [PAGING.more]: more },
    [PAGING.edges]: names.map((name) => ({ [PAGING.cursor]: encodeCursor(name.toLowerCase(), `id-${name}`) })),
  });

  it('orders by the cursors\' sort keys, cuts to first, sums totals and continues after the last edge', () => {
    const merged = mergeConnection(field, [answer(2, false, ['Bonn', 'Zell']), answer(3, false, ['Aalen', 'Celle', 'Dahn'])], 3);
    expect(merged).toEqual({
      totalCount: 5,
      edges: [{ node: { name: 'Aalen' } }, { node: { name: 'Bonn' } }, { node: { name: 'Celle' } }],
      pageInfo: { hasNextPage: true, endCursor: encodeCursor('celle', 'id-Celle') },
    });
  });

  it('knows there is more when an instance says so, even if the merged page is not full', () => {
    const merged = mergeConnection(field, [answer(9, true, ['Bonn'])], 3);
    expect(merged.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor('bonn', 'id-Bonn') });
  });
});

describe('merging statistics', () => {
  const field = rootField(`{ projectStatistics { total
    byYear { year count } byRegion { region n: count } byStatus { status count } } }`);

  it('sums counts, adds up rows with the same keys (never the keys themselves), unknown keys last', () => {
    const merged = mergeAggregate(fieldsOf(field.selectionSet), [
      { total: 3, byYear: [{ year: 2019, count: 2 }, { year: null, count: 1 }], byRegion: [{ region: 'SL', n: 3 }], byStatus: [] },
      { total: 4, byYear: [{ year: 2019, count: 1 }, { year: 2020, count: 3 }], byRegion: [{ region: 'BW', n: 4 }], byStatus: [{ status: null, count: 4 }] },
    ]);
    expect(merged).toEqual({
      total: 7,
      byYear: [{ year: 2019, count: 3 }, { year: 2020, count: 3 }, { year: null, count: 1 }],
      byRegion: [{ region: 'BW', n: 4 }, { region: 'SL', n: 3 }],
      byStatus: [{ status: null, count: 4 }],
    });
  });
});

describe('the region a mutation writes to', () => {
  const region = (query: string, variables = {}) => mutationRegion(rootField(query), variables);

  it('comes from the id, the input id, the input region or a referenced id, in that order', () => {
    expect(region('mutation { deleteAlliance(id: "NW:alliance:x") }')).toBe('NW');
    expect(region('mutation($i: UpdateAllianceInput!) { updateAlliance(input: $i) { id } }', { i: { id: 'SL:alliance:y', region: 'BW' } })).toBe('SL');
    expect(region('mutation { createAlliance(input: { region: ST, name: "x" }) { id } }')).toBe('ST');
    expect(region('mutation { createMembership(input: { allianceId: "BW:alliance:h", organizationId: "NW:organization:o" }) { id } }')).toBe('BW');
    expect(region('mutation { createAlliance(input: { name: "x" }) { id } }')).toBeUndefined();
  });
});

describe('schema comparison', () => {
  it('lists missing and unexpected fields, types and enum values, ignoring descriptions', () => {
    const expected = buildSchema(`type Query { a(id: ID!): A } type A { id: ID! name: String! } enum E { X Y }`);
    const actual = buildSchema(`type Query { a(id: ID!): A } """doc""" type A { id: ID! title: String } enum E { X } type B { b: Int }`);
    expect(schemaDifferences(expected, actual)).toEqual([
      'A.name: String! is missing', 'A.title: String is not in the hub\'s schema', 'E.Y is missing', 'type B is not in the hub\'s schema',
    ]);
    expect(schemaDifferences(expected, expected)).toEqual([]);
  });
});
