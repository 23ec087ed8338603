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
    // An explicit null means "no text filter", as an absent one does.
    const all = await subgraph.query(`{ alliances(filter: { text: null, regions: null }) { totalCount } }`);
    expect(all.errors).toBeUndefined();
    expect(all.data.alliances.totalCount).toBe(1);
    expect(found.data.alliances.edges[0].node.name).toBe('Iserlohner Bündnis für Familie');
  });

  it('refuses a blank name and a website without scheme, naming both fields, and writes nothing', async () => {
    const before = await subgraph.query(`{ alliances { totalCount } }`);
    const result = await subgraph.query(CREATE, { input: { region: 'NW', name: '  ', website: 'www.example.org' } });
    expect(result.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      validationErrors: [
        { field: 'input.name', messages: ['name must not be blank'] },
        { field: 'input.website', messages: ['website must be an http(s) URL such as https://example.org/'] },
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

  it('names nested fields in validation errors and refuses to clear a required field', async () => {
    const nested = await subgraph.query(CREATE, { input: { region: 'BW', name: 'Bündnis X', municipality: { name: 'Heidelberg', ags: '0822' } } });
    expect(nested.errors?.[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      validationErrors: [{ field: 'input.municipality.ags', messages: ['ags must be an official key of 2, 3, 5 or 8 digits'] }],
    });
    const { data } = await subgraph.query(CREATE, { input: { region: 'BW', name: 'Bündnis Y' } });
    const cleared = await subgraph.query(`mutation($input: UpdateAllianceInput!) { updateAlliance(input: $input) { name } }`,
      { input: { id: data.createAlliance.id, version: 1, name: null } });
    expect(cleared.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
    const missing = await subgraph.query(`mutation($input: UpdateAllianceInput!) { updateAlliance(input: $input) { name } }`,
      { input: { id: 'BW:alliance:does-not-exist', version: 1, name: 'Z' } });
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps memberships consistent: one per organisation, dates in order, organisations in use cannot go', async () => {
    const alliance = (await subgraph.query(CREATE, { input: { region: 'SL', name: 'Bündnis für Familie Merzig' } })).data.createAlliance;
    const organization = (await subgraph.query(`mutation { createOrganization(input: { region: SL, name: "Stadtwerke Merzig", kind: COMPANY }) { id } }`)).data.createOrganization;
    const createMembership = `mutation($input: CreateMembershipInput!) { createMembership(input: $input) { id region joinedOn representative { id } } }`;
    const input = { allianceId: alliance.id, organizationId: organization.id, joinedOn: '2019-03', representativeId: 'SL:person:max-muster' };

    const backwards = await subgraph.query(createMembership, { input: { ...input, leftOn: '2018' } });
    expect(backwards.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'leftOn' });

    const created = await subgraph.query(createMembership, { input });
    expect(created.data.createMembership).toMatchObject({ region: 'SL', joinedOn: '2019-03', representative: { id: 'SL:person:max-muster' } });
    const twice = await subgraph.query(createMembership, { input });
    expect(twice.errors?.[0].extensions?.code).toBe('CONFLICT');

    const inUse = await subgraph.query(`mutation($id: ID!) { deleteOrganization(id: $id) }`, { id: organization.id });
    expect(inUse.errors?.[0].extensions).toMatchObject({ code: 'REFERENCED', referrerCount: 1, referrers: [{ type: 'Membership', field: 'organization' }] });

    const deleted = await subgraph.query(`mutation($id: ID!) { deleteAlliance(id: $id) }`, { id: alliance.id });
    expect(deleted.data.deleteAlliance).toBe(alliance.id);
    const orphan = await subgraph.query(`query($id: ID!) { membership(id: $id) { id } }`, { id: created.data.createMembership.id });
    expect(orphan.data.membership).toBeNull();
    const freed = await subgraph.query(`mutation($id: ID!) { deleteOrganization(id: $id) }`, { id: organization.id });
    expect(freed.data.deleteOrganization).toBe(organization.id);
  });

  it('records every write in the audit log: who, what, which fields, which region', async () => {
    const { data } = await subgraph.query(CREATE, { input: { region: 'NW', name: 'Bündnis für Familie Hagen' } });
    const id = data.createAlliance.id;
    await subgraph.query(`mutation($input: UpdateAllianceInput!) { updateAlliance(input: $input) { version } }`,
      { input: { id, version: 1, goals: 'Kinderbetreuung' } });
    await subgraph.query(`mutation($id: ID!) { deleteAlliance(id: $id) }`, { id });
    const entries = await subgraph.orm.em.fork().getConnection().execute(
      'select actor, action, entity, region, fields from audit_log where entity_id = ? order by at', [id]);
    expect(entries).toEqual([
      { actor: 'test-hub-admin', action: 'create', entity: 'Alliance', region: 'NW', fields: expect.arrayContaining(['name', 'region']) },
      { actor: 'test-hub-admin', action: 'update', entity: 'Alliance', region: 'NW', fields: ['goals'] },
      { actor: 'test-hub-admin', action: 'delete', entity: 'Alliance', region: 'NW', fields: [] },
    ]);
  });
});
