import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from './support/hub.js';

/**
 * The number of SQL statements a query costs must not grow with the rows it returns: every
 * relation and every entity reference is batched. Measured over all four subgraphs at two sizes.
 */
let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub({ seed: false });
}, 90_000);
afterAll(async () => hub?.stop());

async function mutate(query: string, input: Record<string, unknown>) {
  const result = await hub.query(query, { input });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return Object.values(result.data as Record<string, { id: string }>)[0].id;
}

let created = 0;

/** A federal organisation, a new one for every other alliance: each is a member of two alliances. */
const federal: string[] = [];
async function federalMember(n: number): Promise<string> {
  if (n % 2 === 1) {
    federal.push(await mutate('mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
      { region: 'DE', name: `Bundesverband ${n}`, kind: 'PUBLIC_BODY' }));
  }
  return federal[federal.length - 1];
}

/** Adds `count` alliances, each with two members of its region, a federal one and a representative, a contact, a co-funded project; and a network of them. */
async function addAlliances(count: number, region: string): Promise<void> {
  const allianceIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = ++created;
    const allianceId = await mutate('mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }',
      { region, name: `Bündnis für Familie ${n}`, fieldsOfAction: ['CHILDCARE'] });
    allianceIds.push(allianceId);
    const personId = await mutate('mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }',
      { region, givenName: 'Vera', familyName: `Koordinatorin ${n}`, roles: [{ kind: 'COORDINATOR', allianceId }] });
    // Two members of the alliance's region and a federal one (DE), which is a member in several regions.
    for (const kind of ['COMPANY', 'CHURCH', 'PUBLIC_BODY']) {
      const organizationId = kind === 'PUBLIC_BODY' ? await federalMember(n) : await mutate('mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
        { region, name: `${kind} ${n}`, kind });
      await mutate('mutation($input: CreateMembershipInput!) { createMembership(input: $input) { id } }',
        { allianceId, organizationId, joinedOn: '2020', representativeId: personId });
    }
    await mutate('mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }',
      { region, title: `Projekt ${n}`, leadAllianceId: allianceId, contactIds: [personId], status: 'ACTIVE',
        fundingLines: [{ programme: 'ESF', amountCents: 9_000_000 * n, share: 60 }, { programme: 'STATE', funder: 'Land' }] });
  }
  await mutate('mutation($input: CreateNetworkInput!) { createNetwork(input: $input) { id } }',
    { region, name: `Netzwerk ${created}`, kind: 'REGIONAL_COOPERATION', memberAlliances: allianceIds.map((allianceId) => ({ allianceId })) });
}

const EVERYTHING = `{
  alliances(first: 50) {
    totalCount
    edges { node { id name
      memberships { joinedOn organization { name kind region memberships { joinedOn } } representative { name roles { kind } } }
      contacts { name } projects { title contacts { name } leadAlliance { name } fundingProgramme fundingLines { programme funder amountCents } } networks { name memberAlliances { alliance { name } } }
    } }
  }
}`;

async function statementsFor(query: string): Promise<{ statements: number; alliances: number }> {
  hub.resetStatements();
  const result = await hub.query(query);
  expect(result.errors).toBeUndefined();
  const members = result.data.alliances.edges.flatMap((e: { node: { memberships: { organization: { region: string } }[] } }) => e.node.memberships);
  expect(members.filter((m: { organization: { region: string } }) => m.organization.region === 'DE')).toHaveLength(result.data.alliances.edges.length);
  // Without the reference index an instance recomputes in the background after a write, for the gateway's probe.
  const statements = Object.values(hub.subgraphs).flatMap((s) => s.statements).filter((sql) => !sql.startsWith('select distinct type, region from'));
  return { statements: statements.length, alliances: result.data.alliances.edges.length };
}

describe('batching', () => {
  it('costs the same number of SQL statements for 2 and for 12 alliances with all their relations', async () => {
    await addAlliances(2, 'SL');
    const small = await statementsFor(EVERYTHING);
    await addAlliances(10, 'NW');
    const large = await statementsFor(EVERYTHING);
    expect(small.alliances).toBe(2);
    expect(large.alliances).toBe(12);
    expect(large.statements).toBe(small.statements);
    expect(small.statements).toBeGreaterThan(0);
  });
});
