import { describe, expect, it } from 'vitest';
import { buildSchema } from 'graphql';
import { Region } from '../subgraphs/kit/index.js';
import { buildTopology } from '../gateway/regional/topology.js';
import { schemaDifferences } from '../gateway/regional/schema-check.js';

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
