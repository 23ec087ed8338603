import { describe, expect, it } from 'vitest';
import { buildSchema } from 'graphql';
import { Region } from '../subgraphs/kit/index.js';
import { DEFAULT_MAX_IN_FLIGHT, buildTopology, mergeTopologies } from '../gateway/regional/topology.js';
import { Turns } from '../gateway/regional/instance-client.js';
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

  it('bounds the requests under way at each instance: the file\'s default, the instance\'s own, an overlay\'s', () => {
    const file = { subgraphs: { alliances: [instance('a-sl', ['SL']), { ...instance('a-nw', ['NW']), maxInFlight: 2 }] } };
    const limits = (raw: unknown) => buildTopology(raw, ['alliances']).subgraphs.get('alliances')!.map((i) => [i.name, i.maxInFlight]);
    expect(limits(file)).toEqual([['a-nw', 2], ['a-sl', DEFAULT_MAX_IN_FLIGHT]]);
    expect(limits({ ...file, maxInFlight: 20 })).toEqual([['a-nw', 2], ['a-sl', 20]]);
    expect(limits(mergeTopologies(file, { maxInFlight: 3 }))).toEqual([['a-nw', 2], ['a-sl', 3]]);
    expect(() => limits({ ...file, maxInFlight: 0 })).toThrowError(/maxInFlight/);
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

describe('turns at an instance', () => {
  const never = new AbortController().signal;

  it('lets `limit` requests under way and the rest follow in order as each ends', async () => {
    const turns = new Turns();
    const started: number[] = [];
    const ask = (n: number) => turns.take(2, never).then(() => { started.push(n); });
    const asked = [1, 2, 3, 4].map(ask);
    await Promise.all(asked.slice(0, 2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([1, 2]);
    expect([turns.underWay, turns.waiting]).toEqual([2, 2]);
    turns.give(2);
    await asked[2];
    expect(started).toEqual([1, 2, 3]);
    // A lower limit (a topology reload) lets the next one start only once the count is below it.
    turns.give(1);
    turns.give(1);
    await asked[3];
    expect(started).toEqual([1, 2, 3, 4]);
    expect([turns.underWay, turns.waiting]).toEqual([1, 0]);
  });

  it('takes a waiting request out of the line when its time is up, and lets the next one have its turn', async () => {
    const turns = new Turns();
    await turns.take(1, never);
    const impatient = new AbortController();
    const late = turns.take(1, impatient.signal);
    const next = turns.take(1, never);
    impatient.abort(new Error('timed out'));
    await expect(late).rejects.toThrow('timed out');
    expect(turns.waiting).toBe(1);
    turns.give(1);
    await next;
    expect([turns.underWay, turns.waiting]).toEqual([1, 0]);
  });
});
