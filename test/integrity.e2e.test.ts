import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Region } from '../subgraphs/kit/index.js';
import { subgraphFetches } from '../subgraphs/kit/observability.js';
import { DEMO } from '../data/demo/ids.js';
import { startTestHub, type TestHub } from './support/hub.js';

/**
 * Referential integrity across subgraphs and regions, through the gateway: writes naming records
 * that do not exist are refused, deletes of records others refer to are refused or, when asked,
 * remove the references in every region first.
 */
let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub({ seed: true, regions: [['SL'], ['ST'], ['NW'], ['BW'], ['DE', 'TH']] as Region[][] });
}, 90_000);
afterAll(async () => {
  await hub?.stop();
});

const MISSING = {
  alliance: 'SL:alliance:gibtesnicht',
  organization: 'NW:organization:gibtesnicht',
  person: 'NW:person:niemand',
  network: 'BW:network:gibtesnicht',
};

async function must<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const answer = await hub.query(query, variables);
  expect(answer.errors).toBeUndefined();
  return answer.data as T;
}

/** Requests the gateway sent to each instance while `work` ran. */
async function requestsDuring(work: () => Promise<unknown>): Promise<Record<string, number>> {
  const counts = async () => Object.fromEntries((await subgraphFetches.get()).values
    .filter((v) => v.metricName?.endsWith('_count')).map((v) => [`${v.labels.instance}/${v.labels.outcome}`, v.value]));
  const before = await counts();
  await work();
  const after = await counts();
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k.split('/')[0], v - (before[k] ?? 0)] as const).filter(([, v]) => v > 0));
}

const CREATE_PROJECT = 'mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }';
const CREATE_MEMBERSHIP = 'mutation($input: CreateMembershipInput!) { createMembership(input: $input) { id } }';
const UPDATE_MEMBERSHIP = 'mutation($input: UpdateMembershipInput!) { updateMembership(input: $input) { id } }';
const CREATE_MEETING = 'mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { id } }';
const CREATE_NETWORK = 'mutation($input: CreateNetworkInput!) { createNetwork(input: $input) { id } }';
const CREATE_PERSON = 'mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }';
const DELETE_ALLIANCE = 'mutation($id: ID!, $references: ReferenceAction) { deleteAlliance(id: $id, references: $references) }';
const IMPORT_PROJECTS = 'mutation($input: ProjectImportInput!) { importProjects(input: $input) { created } }';

/** Each kind of reference a write can make, with one record that does not exist. */
const cases: { reference: string; query: string; input: Record<string, unknown>; field: string; id: string }[] = [
  { reference: 'project lead alliance', query: CREATE_PROJECT, input: { region: 'SL', title: 'X', leadAllianceId: MISSING.alliance }, field: 'input.leadAllianceId', id: MISSING.alliance },
  { reference: 'project partner alliance', query: CREATE_PROJECT, input: { region: 'SL', title: 'X', partnerAllianceIds: [DEMO.alliance.iserlohn, MISSING.alliance] }, field: 'input.partnerAllianceIds[1]', id: MISSING.alliance },
  { reference: 'project partner organisation', query: CREATE_PROJECT, input: { region: 'BW', title: 'X', partnerOrganizationIds: [MISSING.organization] }, field: 'input.partnerOrganizationIds[0]', id: MISSING.organization },
  { reference: 'project contact', query: CREATE_PROJECT, input: { region: 'SL', title: 'X', contactIds: [DEMO.person.kemmer, MISSING.person] }, field: 'input.contactIds[1]', id: MISSING.person },
  { reference: 'imported project lead alliance', query: IMPORT_PROJECTS, input: { region: 'SL', rows: [{ line: 2, title: 'X' }, { line: 3, title: 'Y', leadAllianceId: MISSING.alliance }] }, field: 'input.rows[1].leadAllianceId', id: MISSING.alliance },
  { reference: 'membership organisation', query: CREATE_MEMBERSHIP, input: { allianceId: DEMO.alliance.saarbruecken, organizationId: MISSING.organization }, field: 'input.organizationId', id: MISSING.organization },
  { reference: 'membership representative', query: CREATE_MEMBERSHIP, input: { allianceId: DEMO.alliance.saarbruecken, organizationId: DEMO.organization.msgff, representativeId: MISSING.person }, field: 'input.representativeId', id: MISSING.person },
  { reference: 'membership representative on update', query: UPDATE_MEMBERSHIP, input: { id: DEMO.membership.impulsSaarbruecken, version: 1, representativeId: MISSING.person }, field: 'input.representativeId', id: MISSING.person },
  { reference: 'talk speaker', query: CREATE_MEETING, input: { networkId: DEMO.network.argeBw, title: 'X', talks: [{ title: 'a' }, { title: 'b', speakerId: MISSING.person }] }, field: 'input.talks[1].speakerId', id: MISSING.person },
  { reference: 'talk organisation', query: CREATE_MEETING, input: { networkId: DEMO.network.argeBw, title: 'X', talks: [{ title: 'a', organizationId: MISSING.organization }] }, field: 'input.talks[0].organizationId', id: MISSING.organization },
  { reference: 'meeting network', query: CREATE_MEETING, input: { networkId: MISSING.network, title: 'X' }, field: 'input.networkId', id: MISSING.network },
  { reference: 'network member alliance', query: CREATE_NETWORK, input: { region: 'BW', name: 'X', kind: 'REGIONAL_COOPERATION', memberAlliances: [{ allianceId: DEMO.alliance.heidelberg }, { allianceId: MISSING.alliance }] }, field: 'input.memberAlliances[1].allianceId', id: MISSING.alliance },
  { reference: 'network partner', query: CREATE_NETWORK, input: { region: 'BW', name: 'X', kind: 'REGIONAL_COOPERATION', partners: [{ organizationId: MISSING.organization }] }, field: 'input.partners[0].organizationId', id: MISSING.organization },
  { reference: 'network coordinating body', query: CREATE_NETWORK, input: { region: 'BW', name: 'X', kind: 'REGIONAL_COOPERATION', coordinatingBodyId: MISSING.organization }, field: 'input.coordinatingBodyId', id: MISSING.organization },
  { reference: 'role alliance', query: CREATE_PERSON, input: { region: 'ST', familyName: 'X', roles: [{ kind: 'COORDINATOR', allianceId: MISSING.alliance }] }, field: 'input.roles[0].allianceId', id: MISSING.alliance },
  { reference: 'role network', query: CREATE_PERSON, input: { region: 'ST', familyName: 'X', roles: [{ kind: 'COORDINATOR', networkId: MISSING.network }] }, field: 'input.roles[0].networkId', id: MISSING.network },
  { reference: 'role organisation', query: CREATE_PERSON, input: { region: 'ST', familyName: 'X', roles: [{ kind: 'CONTACT', organizationId: MISSING.organization }] }, field: 'input.roles[0].organizationId', id: MISSING.organization },
];

describe('a write naming a record that does not exist', () => {
  it.each(cases)('is refused for a $reference, naming the field', async ({ query, input, field, id }) => {
    const answer = await hub.query(query, { input });
    expect(answer.data).toBeNull();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, id });
    expect(answer.errors![0].message).toContain(field);
  });

  it('is refused for who may not write first, so a caller without the right learns nothing about which records exist', async () => {
    const input = { region: 'SL', title: 'X', leadAllianceId: MISSING.alliance };
    expect((await hub.anonymous(CREATE_PROJECT, { input })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await hub.as(['editor:NW'])(CREATE_PROJECT, { input })).errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', region: 'SL' });
    expect((await hub.as(['editor:NW'])(DELETE_ALLIANCE, { id: DEMO.alliance.saarbruecken })).errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', region: 'SL' });
  });

  it('writes nothing, and names every missing record at once', async () => {
    const answer = await hub.query(CREATE_PROJECT, {
      input: { region: 'SL', title: 'Nirgendwo-Projekt', leadAllianceId: MISSING.alliance, contactIds: [DEMO.person.moser, MISSING.person] },
    });
    expect(answer.errors?.map((e) => e.extensions?.field)).toEqual(['input.leadAllianceId', 'input.contactIds[1]']);
    const found = await must(`{ projects(filter: { text: "Nirgendwo" }) { totalCount } }`);
    expect(found.projects.totalCount).toBe(0);
  });

  it('is accepted when every record exists, with one lookup per owning instance', async () => {
    let created: string | undefined;
    const requests = await requestsDuring(async () => {
      const data = await must(CREATE_PROJECT, { input: {
        region: 'ST', title: 'Vier Regionen',
        leadAllianceId: DEMO.alliance.saarbruecken, partnerAllianceIds: [DEMO.alliance.unimedkids, DEMO.alliance.iserlohn, DEMO.alliance.heidelberg],
        partnerOrganizationIds: [DEMO.organization.liba, DEMO.organization.awo, DEMO.organization.servicestelle],
        contactIds: [DEMO.person.kemmer, DEMO.person.altmeierKoletzki, DEMO.person.moser],
      } });
      created = data.createProject.id;
    });
    expect(created).toMatch(/^ST:project:/);
    // Alliances and organisations of SL, NW, BW, ST and DE; people of SL and BW; then the write itself.
    expect(requests).toEqual({
      'alliances-sl': 1, 'alliances-nw': 1, 'alliances-bw': 1, 'alliances-st': 1, 'alliances-de-th': 1,
      'people-sl': 1, 'people-bw': 1, 'projects-st': 1,
    });
  });
});

/** A fresh SL alliance named by a project in NW, a network in BW and a person's role in ST. */
async function referencedAlliance(name: string) {
  const alliance = (await must(`mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }`,
    { input: { region: 'SL', name } })).createAlliance.id as string;
  const project = (await must(CREATE_PROJECT, { input: { region: 'NW', title: `${name} Projekt`, leadAllianceId: alliance, partnerAllianceIds: [DEMO.alliance.iserlohn] } })).createProject.id as string;
  const network = (await must(CREATE_NETWORK, { input: { region: 'BW', name: `${name} Netz`, kind: 'REGIONAL_COOPERATION', memberAlliances: [{ allianceId: alliance }, { allianceId: DEMO.alliance.heidelberg }] } })).createNetwork.id as string;
  const person = (await must(CREATE_PERSON, { input: { region: 'ST', familyName: `${name} Koordination`, roles: [{ kind: 'COORDINATOR', allianceId: alliance, title: 'Koordinatorin' }] } })).createPerson.id as string;
  return { alliance, project, network, person };
}


async function auditOf(log: string, recordId: string) {
  const data = await must(`query($recordId: ID!) { ${log}(filter: { recordId: $recordId }) { edges { node { action recordType actor fields } } } }`, { recordId });
  return data[log].edges.map((e: { node: unknown }) => e.node);
}

describe('deleting a record others refer to', () => {
  it('is refused with REFERENCED listing the referrers of every region, keeps everything, and is audited', async () => {
    const { alliance, project, network, person } = await referencedAlliance('Bündnis Merzig');
    const refused = await hub.as(['editor:SL'], 'redaktion@saarland.example')(DELETE_ALLIANCE, { id: alliance });
    expect(refused.data).toBeNull();
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'REFERENCED', id: alliance, referrerCount: 3 });
    expect(new Set(refused.errors?.[0].extensions?.referrers as unknown[])).toEqual(new Set([
      { type: 'Project', id: project, field: 'leadAlliance' },
      { type: 'Network', id: network, field: 'memberAlliances' },
      { type: 'Person', id: person, field: 'roles.alliance' },
    ]));
    expect((await must(`query($id: ID!) { alliance(id: $id) { id } }`, { id: alliance })).alliance).toEqual({ id: alliance });
    expect(await auditOf('alliancesAuditLog', alliance)).toContainEqual({
      action: 'REFUSE', recordType: 'Alliance', actor: 'redaktion@saarland.example',
      fields: ['Network.memberAlliances', 'Person.roles.alliance', 'Project.leadAlliance'],
    });
  });

  it('is refused by the instance itself for references in its own database (a write that bypasses the gateway); REMOVE clears every region', async () => {
    const instance = hub.subgraphs['alliances-sl'];
    const organization = (await must(`mutation { createOrganization(input: { region: SL, name: "Stadtwerke Merzig", kind: COMPANY }) { id } }`)).createOrganization.id;
    await must(CREATE_MEMBERSHIP, { input: { allianceId: DEMO.alliance.saarbruecken, organizationId: organization } });
    const direct = await instance.query(`mutation($id: ID!) { deleteOrganization(id: $id) }`, { id: organization });
    expect(direct.errors?.[0].extensions).toMatchObject({ code: 'REFERENCED', referrerCount: 1, referrers: [{ type: 'Membership', field: 'organization' }] });

    // Named by a membership in NW too; removing the references deletes both memberships, then the organisation.
    await must(CREATE_MEMBERSHIP, { input: { allianceId: DEMO.alliance.iserlohn, organizationId: organization } });
    const removed = await hub.query(`mutation($id: ID!) { deleteOrganization(id: $id, references: REMOVE) }`, { id: organization });
    expect(removed).toEqual({ data: { deleteOrganization: organization } });
    const after = await hub.query(`query($sl: ID!, $nw: ID!) { sl: alliance(id: $sl) { memberships { organization { id } } } nw: alliance(id: $nw) { memberships { organization { id } } } }`,
      { sl: DEMO.alliance.saarbruecken, nw: DEMO.alliance.iserlohn });
    expect(after.errors).toBeUndefined();
    const members = [...after.data.sl.memberships, ...after.data.nw.memberships].map((m: { organization: { id: string } | null }) => m.organization?.id);
    expect(members).not.toContain(organization);
    expect(members).not.toContain(undefined);
  });

  it('with references: REMOVE, removes the references in every region, then the record; reads have no nulls', async () => {
    const { alliance, project, network, person } = await referencedAlliance('Bündnis Losheim');
    const deleted = await hub.as(['editor:SL'], 'redaktion@saarland.example')(DELETE_ALLIANCE, { id: alliance, references: 'REMOVE' });
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data).toEqual({ deleteAlliance: alliance });

    const after = await hub.query(`query($project: ID!, $network: ID!, $person: ID!, $alliance: ID!) {
      alliance(id: $alliance) { id }
      project(id: $project) { leadAlliance { name } partnerAlliances { name } }
      network(id: $network) { memberAlliances { alliance { name } } }
      person(id: $person) { roles { kind title alliance { name } } }
    }`, { project, network, person, alliance });
    expect(after.errors).toBeUndefined();
    // Apollo reports a non-null field that came back null (a dangling reference) here.
    expect((after as { extensions?: Record<string, unknown> }).extensions?.valueCompletion).toBeUndefined();
    expect(after.data).toEqual({
      alliance: null,
      project: { leadAlliance: null, partnerAlliances: [{ name: expect.stringContaining('Iserlohn') }] },
      network: { memberAlliances: [{ alliance: { name: expect.stringContaining('Heidelberg') } }] },
      person: { roles: [{ kind: 'COORDINATOR', title: 'Koordinatorin', alliance: null }] },
    });
    expect(await auditOf('projectsAuditLog', project)).toContainEqual({ action: 'UPDATE', recordType: 'Project', actor: 'redaktion@saarland.example', fields: ['leadAllianceId'] });
    // Member rows and roles are logged under their own ids: read the region's latest entries.
    const latest = async (log: string, region: string) => (await must(`query($regions: [Region!]) {
      ${log}(filter: { regions: $regions }, first: 20) { edges { node { action recordType actor fields } } } }`, { regions: [region] }))[log].edges
      .map((e: { node: unknown }) => e.node);
    expect(await latest('networksAuditLog', 'BW')).toContainEqual({ action: 'DELETE', recordType: 'NetworkMember', actor: 'redaktion@saarland.example', fields: [] });
    expect(await latest('peopleAuditLog', 'ST')).toContainEqual({ action: 'UPDATE', recordType: 'Role', actor: 'redaktion@saarland.example', fields: ['allianceId'] });
    expect(await auditOf('alliancesAuditLog', alliance)).toContainEqual({ action: 'DELETE', recordType: 'Alliance', actor: 'redaktion@saarland.example', fields: [] });

    // Repeating finds nothing left to do.
    expect((await hub.query(DELETE_ALLIANCE, { id: alliance, references: 'REMOVE' })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('while a region is down', () => {
  it('refuses a write naming its records, and a delete whose referrers it may hold, with REGION_UNAVAILABLE', async () => {
    const { alliance } = await referencedAlliance('Bündnis Mettlach');
    await hub.subgraphs['people-nw'].stop();
    const write = await hub.query(CREATE_PROJECT, { input: { region: 'SL', title: 'Blind', contactIds: [DEMO.person.kemmer, 'NW:person:irgendwer'] } });
    expect(write.data).toBeNull();
    expect(write.errors?.[0].extensions).toMatchObject({ code: 'REGION_UNAVAILABLE', region: 'NW', subgraph: 'people', fields: ['input.contactIds[1]'] });
    expect((await must(`{ projects(filter: { text: "Blind" }) { totalCount } }`)).projects.totalCount).toBe(0);

    for (const references of ['REFUSE', 'REMOVE']) {
      const deleted = await hub.query(DELETE_ALLIANCE, { id: alliance, references });
      expect(deleted.errors?.[0].extensions).toMatchObject({ code: 'REGION_UNAVAILABLE', region: 'NW', subgraph: 'people' });
    }
    expect((await must(`query($id: ID!) { alliance(id: $id) { id } }`, { id: alliance })).alliance).toEqual({ id: alliance });
  });
});
