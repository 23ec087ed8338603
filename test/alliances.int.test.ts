import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alliancesSubgraph } from '../subgraphs/alliances/index.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(alliancesSubgraph);
});
afterAll(async () => subgraph?.stop());

const CREATE = `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id region name version } }`;

describe('alliances subgraph', () => {
  it('creates an alliance whose id names its region, and finds it by German full-text search', async () => {
    const created = await subgraph.query(CREATE, {
      input: { region: 'NW', name: 'Iserlohner Bündnis für Familie', goals: 'Familie und Beruf besser vereinbaren' },
    });
    expect(created.errors).toBeUndefined();
    expect(created.data.createAlliance).toMatchObject({ region: 'NW', version: 1 });
    expect(created.data.createAlliance.id).toMatch(/^NW:alliance:/);

    const found = await subgraph.query(`{ alliances(filter: { text: "Familien" }) { totalCount edges { node { name } } } }`);
    expect(found.data.alliances.totalCount).toBe(1);
    expect(found.data.alliances.edges[0].node.name).toBe('Iserlohner Bündnis für Familie');
  });

  it('refuses a blank name and a website without scheme, naming both fields, and writes nothing', async () => {
    const before = await subgraph.query(`{ alliances { totalCount } }`);
    const result = await subgraph.query(CREATE, { input: { region: 'NW', name: '  ', website: 'www.example.org' } });
    expect(result.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      validationErrors: [
        { field: 'name', messages: ['name must not be blank'] },
        { field: 'website', messages: ['website must be an http(s) URL such as https://example.org/'] },
      ],
    });
    const after = await subgraph.query(`{ alliances { totalCount } }`);
    expect(after.data.alliances.totalCount).toBe(before.data.alliances.totalCount);
  });

  it('refuses an update from a stale version with CONFLICT and keeps the newer change', async () => {
    const { data } = await subgraph.query(CREATE, { input: { region: 'SL', name: 'Bündnis A' } });
    const id = data.createAlliance.id;
    const update = `mutation($input: UpdateAllianceInput!) { updateAlliance(input: $input) { name version } }`;
    const first = await subgraph.query(update, { input: { id, version: 1, name: 'Bündnis B' } });
    expect(first.data.updateAlliance).toEqual({ name: 'Bündnis B', version: 2 });
    const stale = await subgraph.query(update, { input: { id, version: 1, name: 'Bündnis C' } });
    expect(stale.errors?.[0].extensions).toEqual({ code: 'CONFLICT', currentVersion: 2 });
    const current = await subgraph.query(`query($id: ID!) { alliance(id: $id) { name version } }`, { id });
    expect(current.data.alliance).toEqual({ name: 'Bündnis B', version: 2 });
  });
});
