import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../data/demo/ids.js';
import { SUPERGRAPH_PATH } from '../scripts/lib/supergraph.js';
import type { Region } from '../subgraphs/kit/index.js';
import type { GraphQLClient, GraphQLResponse } from './support/client.js';
import { startTestHub, type TestHub } from './support/hub.js';

/**
 * Every mutation of the public schema, tried by every kind of caller through the gateway:
 * anonymous → UNAUTHENTICATED, another region's editor or admin → FORBIDDEN, and in both cases
 * nothing written; the owning region's editor and admin and a hub admin → done (erasure: admins
 * only). Each attempt works on records it creates itself in SL, so no test depends on another.
 * Then who sees a person's contact details.
 */
const LAYOUTS: [string, Region[][] | undefined][] = [
  ['one instance per subgraph', undefined],
  ['regional instances', [['SL'], ['NW'], ['BW', 'ST', 'DE', 'TH']] as Region[][]],
];

const ROLES = ['anonymous', 'editor:NW', 'admin:NW', 'editor:SL', 'admin:SL', 'hub-admin'] as const;
type Role = (typeof ROLES)[number];
const subjectOf = (role: Role) => `authz-${role}`;

type Outcome = { refused: 'UNAUTHENTICATED' | 'FORBIDDEN'; message: string } | 'done';

/** What a caller in `role` gets for a write to SL (`write`) or for erasing an SL person (`erase`). */
function expected(kind: 'write' | 'erase', role: Role): Outcome {
  if (role === 'anonymous') {
    return { refused: 'UNAUTHENTICATED', message: kind === 'write'
      ? 'Writing needs a signed-in editor: send a bearer token' : 'Erasure needs a signed-in admin: send a bearer token' };
  }
  const allowed = role === 'hub-admin' || role === 'admin:SL' || (kind === 'write' && role === 'editor:SL');
  if (allowed) return 'done';
  return { refused: 'FORBIDDEN', message: `${subjectOf(role)} may not ${kind === 'write' ? 'write data' : 'erase people'} of region SL` };
}

/** One try of a mutation on fresh records. */
interface Attempt {
  query: string;
  variables: Record<string, unknown>;
  /** What the mutation would change, read by a hub admin: equal before and after a refused try. */
  state(): Promise<unknown>;
  /** Checks the answer of a successful try and its effect. */
  succeeded(data: any): Promise<void>;
}

interface MutationSpec {
  mutation: string;
  kind: 'write' | 'erase';
  arrange(): Promise<Attempt>;
}

/** The mutations of the public API (those the gateway serves), from the checked-in supergraph. */
function publicMutations(): string[] {
  const sdl = readFileSync(SUPERGRAPH_PATH, 'utf8');
  const block = /\ntype Mutation\b[^{]*\{([\s\S]*?)\n\}/.exec(sdl)?.[1] ?? '';
  const withoutDocs = block.replace(/"""[\s\S]*?"""/g, '');
  return [...withoutDocs.matchAll(/^\s+(\w+)(?:\([^)]*\))?\s*:[^\n]*$/gm)]
    .filter((m) => !m[0].includes('@inaccessible'))
    .map((m) => m[1]);
}

describe.each(LAYOUTS)('authorization, %s', (_layout, regions) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ seed: true, regions });
  }, 120_000);
  afterAll(async () => hub?.stop());

  const client = (role: Role): GraphQLClient => (role === 'anonymous' ? hub.anonymous : hub.as([role], subjectOf(role)));
  let counter = 0;
  const unique = (what: string) => `Autorisierung ${what} ${++counter}`;

  /** A hub admin's request that must succeed. */
  async function admin(query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const result = await hub.query(query, variables);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data;
  }

  const newAlliance = async (region = 'SL') => (await admin(
    'mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id version name } }',
    { input: { region, name: unique('Bündnis') } })).createAlliance;
  const newOrganization = async (region = 'SL') => (await admin(
    'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id version name } }',
    { input: { region, name: unique('Organisation'), kind: 'OTHER' } })).createOrganization;
  const newMembership = async () => {
    const [alliance, organization] = [await newAlliance(), await newOrganization()];
    const { createMembership } = await admin(
      'mutation($input: CreateMembershipInput!) { createMembership(input: $input) { id version joinedOn } }',
      { input: { allianceId: alliance.id, organizationId: organization.id, joinedOn: '2020' } });
    return { ...createMembership, alliance, organization };
  };
  const newNetwork = async (region = 'SL') => (await admin(
    'mutation($input: CreateNetworkInput!) { createNetwork(input: $input) { id version name } }',
    { input: { region, name: unique('Netzwerk'), kind: 'REGIONAL_COOPERATION' } })).createNetwork;
  const newMeeting = async () => {
    const network = await newNetwork();
    const { createMeeting } = await admin(
      'mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { id version title } }',
      { input: { networkId: network.id, title: unique('Treffen') } });
    return { ...createMeeting, network };
  };
  const newProject = async () => (await admin(
    'mutation($input: CreateProjectInput!) { createProject(input: $input) { id version title } }',
    { input: { region: 'SL', title: unique('Projekt') } })).createProject;
  const newPerson = async (input: Record<string, unknown> = {}) => (await admin(
    'mutation($input: CreatePersonInput!) { createPerson(input: $input) { id version name region } }',
    { input: { region: 'SL', familyName: unique('Person'), ...input } })).createPerson;

  const count = async (list: 'alliances' | 'organizations' | 'projects' | 'people') =>
    (await admin(`{ list: ${list}(first: 0, filter: { regions: [SL] }) { totalCount } }`)).list.totalCount as number;
  const networkIds = async () => (await admin('{ networks(region: SL) { id } }')).networks.map((n: { id: string }) => n.id).sort();
  const read = async (field: string, id: string, selection: string) =>
    (await admin(`query($id: ID!) { record: ${field}(id: $id) { ${selection} } }`, { id })).record;

  /** Creating: the number of SL records is the state; success adds one, owned by SL. */
  const creating = (mutation: string, inputType: string, list: 'alliances' | 'organizations' | 'projects' | 'people',
    field: string, input: () => Record<string, unknown>): MutationSpec => ({
    mutation, kind: 'write',
    async arrange() {
      const value = input();
      return {
        query: `mutation($input: ${inputType}!) { result: ${mutation}(input: $input) { id region ${field} } }`,
        variables: { input: { region: 'SL', ...value } },
        state: () => count(list),
        async succeeded(data) {
          expect(data.result).toMatchObject({ region: 'SL', [field]: value[field] });
          expect(data.result.id).toMatch(new RegExp(`^SL:${mutation.replace('create', '').toLowerCase()}:`));
        },
      };
    },
  });

  /** Updating a fresh record: its version and the changed field are the state; success bumps the version. */
  const updating = (mutation: string, inputType: string, readField: string, field: string,
    make: () => Promise<{ id: string; version: number }>, newValue: unknown): MutationSpec => ({
    mutation, kind: 'write',
    async arrange() {
      const record = await make();
      // Names are unique per region: each success renames to a name of its own.
      const value = typeof newValue === 'function' ? (newValue as () => unknown)() : newValue;
      const state = () => read(readField, record.id, `id version region ${field}`);
      return {
        query: `mutation($input: ${inputType}!) { result: ${mutation}(input: $input) { id version region ${field} } }`,
        variables: { input: { id: record.id, version: record.version, [field]: value } },
        state,
        async succeeded(data) {
          expect(data.result).toEqual({ id: record.id, version: record.version + 1, region: 'SL', [field]: value });
          expect(await state()).toEqual(data.result);
        },
      };
    },
  });

  /** Deleting a fresh record: whether it is there is the state; success returns its id and removes it. */
  const deleting = (mutation: string, readField: string, make: () => Promise<{ id: string }>, kind: 'write' | 'erase' = 'write'): MutationSpec => ({
    mutation, kind,
    async arrange() {
      const record = await make();
      const state = () => read(readField, record.id, 'id version');
      return {
        query: `mutation($id: ID!) { result: ${mutation}(id: $id) }`,
        variables: { id: record.id },
        state,
        async succeeded(data) {
          expect(data.result).toBe(record.id);
          expect(await state()).toBeNull();
        },
      };
    },
  });

  /** Importing one new row into SL: the number of SL records is the state; success creates one. */
  const importing = (mutation: string, inputType: string, list: 'alliances' | 'organizations' | 'projects' | 'people',
    row: () => Record<string, unknown>): MutationSpec => ({
    mutation, kind: 'write',
    async arrange() {
      const initial = await count(list);
      return {
        query: `mutation($input: ${inputType}!) { result: ${mutation}(input: $input) { created updated unchanged errors { line field message } } }`,
        variables: { input: { region: 'SL', rows: [{ line: 2, ...row() }] } },
        state: () => count(list),
        async succeeded(data) {
          expect(data.result).toEqual({ created: 1, updated: 0, unchanged: 0, errors: [] });
          expect(await count(list)).toBe(initial + 1);
        },
      };
    },
  });

  const SPECS: MutationSpec[] = [
    creating('createAlliance', 'CreateAllianceInput', 'alliances', 'name', () => ({ name: unique('Neues Bündnis'), foundedOn: '2024-05' })),
    updating('updateAlliance', 'UpdateAllianceInput', 'alliance', 'name', newAlliance, () => unique('Umbenanntes Bündnis')),
    deleting('deleteAlliance', 'alliance', newAlliance),
    creating('createOrganization', 'CreateOrganizationInput', 'organizations', 'name', () => ({ name: unique('Neue Organisation'), kind: 'COMPANY' })),
    updating('updateOrganization', 'UpdateOrganizationInput', 'organization', 'name', newOrganization, () => unique('Umbenannte Organisation')),
    deleting('deleteOrganization', 'organization', newOrganization),
    {
      mutation: 'createMembership', kind: 'write',
      async arrange() {
        const [alliance, organization] = [await newAlliance(), await newOrganization()];
        const state = async () => (await read('alliance', alliance.id, 'memberships { id }')).memberships;
        return {
          query: 'mutation($input: CreateMembershipInput!) { result: createMembership(input: $input) { id region organization { id } alliance { id } } }',
          variables: { input: { allianceId: alliance.id, organizationId: organization.id, joinedOn: '2024' } },
          state,
          async succeeded(data) {
            expect(data.result).toMatchObject({ region: 'SL', organization: { id: organization.id }, alliance: { id: alliance.id } });
            expect(await state()).toEqual([{ id: data.result.id }]);
          },
        };
      },
    },
    updating('updateMembership', 'UpdateMembershipInput', 'membership', 'joinedOn', newMembership, '2019-03'),
    deleting('deleteMembership', 'membership', newMembership),
    {
      mutation: 'createNetwork', kind: 'write',
      async arrange() {
        const name = unique('Neues Netzwerk');
        return {
          query: 'mutation($input: CreateNetworkInput!) { result: createNetwork(input: $input) { id region name } }',
          variables: { input: { region: 'SL', name, kind: 'REGIONAL_COOPERATION' } },
          state: networkIds,
          async succeeded(data) {
            expect(data.result).toMatchObject({ region: 'SL', name });
            expect(await networkIds()).toContain(data.result.id);
          },
        };
      },
    },
    updating('updateNetwork', 'UpdateNetworkInput', 'network', 'name', () => newNetwork(), 'Umbenanntes Netzwerk'),
    deleting('deleteNetwork', 'network', () => newNetwork()),
    {
      mutation: 'createMeeting', kind: 'write',
      async arrange() {
        const network = await newNetwork();
        const state = async () => (await read('network', network.id, 'version meetings { id }'));
        return {
          query: 'mutation($input: CreateMeetingInput!) { result: createMeeting(input: $input) { id region title network { id } } }',
          variables: { input: { networkId: network.id, title: 'Netzwerktreffen', date: '2025-03-12', topics: ['Pflege'] } },
          state,
          async succeeded(data) {
            expect(data.result).toMatchObject({ region: 'SL', title: 'Netzwerktreffen', network: { id: network.id } });
            expect((await state()).meetings).toEqual([{ id: data.result.id }]);
          },
        };
      },
    },
    updating('updateMeeting', 'UpdateMeetingInput', 'meeting', 'title', newMeeting, 'Umbenanntes Treffen'),
    deleting('deleteMeeting', 'meeting', newMeeting),
    creating('createProject', 'CreateProjectInput', 'projects', 'title', () => ({ title: unique('Neues Projekt'), status: 'PLANNED' })),
    updating('updateProject', 'UpdateProjectInput', 'project', 'title', newProject, 'Umbenanntes Projekt'),
    deleting('deleteProject', 'project', newProject),
    creating('createPerson', 'CreatePersonInput', 'people', 'familyName', () => ({ givenName: 'Neue', familyName: unique('Person') })),
    updating('updatePerson', 'UpdatePersonInput', 'person', 'familyName', () => newPerson(), 'Umbenannt'),
    deleting('deletePerson', 'person', () => newPerson()),
    importing('importAlliances', 'AllianceImportInput', 'alliances', () => ({ name: unique('Importiertes Bündnis'), foundedOn: '11.2005', fieldsOfAction: ['Kinderbetreuung; Pflege'] })),
    importing('importOrganizations', 'OrganizationImportInput', 'organizations', () => ({ name: unique('Importierte Organisation'), kind: 'COMPANY' })),
    {
      mutation: 'importMemberships', kind: 'write',
      async arrange() {
        const [alliance, organization] = [await newAlliance(), await newOrganization()];
        const state = async () => (await read('alliance', alliance.id, 'memberships { id organization { id } }')).memberships;
        return {
          query: 'mutation($input: MembershipImportInput!) { result: importMemberships(input: $input) { created updated unchanged errors { line field message } } }',
          variables: { input: { region: 'SL', rows: [{ line: 2, alliance: alliance.name, organization: organization.name, joinedOn: '2024' }] } },
          state,
          async succeeded(data) {
            expect(data.result).toEqual({ created: 1, updated: 0, unchanged: 0, errors: [] });
            expect(await state()).toEqual([{ id: expect.stringMatching(/^SL:membership:/), organization: { id: organization.id } }]);
          },
        };
      },
    },
    importing('importPeople', 'PersonImportInput', 'people', () => ({ familyName: unique('Importierte Person'), givenName: 'Ida', email: 'ida@example.org' })),
    importing('importProjects', 'ProjectImportInput', 'projects', () => ({ title: unique('Importiertes Projekt'), status: 'PLANNED' })),
    {
      mutation: 'erasePerson', kind: 'erase',
      async arrange() {
        const person = await newPerson({
          contact: { email: 'loeschen@example.org' },
          roles: [{ kind: 'CONTACT', allianceId: DEMO.alliance.saarbruecken }],
        });
        const state = () => read('person', person.id, 'id version roles { id } contact { email }');
        return {
          query: 'mutation($id: ID!) { result: erasePerson(id: $id) { personId complete steps { subgraph error } } }',
          variables: { id: person.id },
          state,
          async succeeded(data) {
            expect(data.result).toMatchObject({ personId: person.id, complete: true });
            expect(data.result.steps.every((step: { error: string | null }) => step.error === null)).toBe(true);
            expect(await state()).toBeNull();
            const contacts = (await read('alliance', DEMO.alliance.saarbruecken, 'contacts { id }')).contacts;
            expect(contacts).not.toContainEqual({ id: person.id });
          },
        };
      },
    },
  ];

  it('covers every mutation of the public schema', () => {
    expect(SPECS.map((s) => s.mutation).sort()).toEqual(publicMutations().sort());
  });

  describe.each(SPECS.map((spec) => [spec.mutation, spec] as const))('%s', (_mutation, spec) => {
    const cases = ROLES.map((role) => {
      const outcome = expected(spec.kind, role);
      return [role, outcome === 'done' ? 'succeeds' : `is refused with ${outcome.refused}, nothing written`, outcome] as const;
    });
    it.each(cases)('%s %s', async (role, _title, outcome) => {
      const attempt = await spec.arrange();
      const before = await attempt.state();
      const { data, errors } = await client(role)(attempt.query, attempt.variables);
      if (outcome === 'done') {
        expect(errors, JSON.stringify(errors)).toBeUndefined();
        await attempt.succeeded(data);
        return;
      }
      expect(errors, `a ${role} must be refused`).toHaveLength(1);
      expect(errors![0].extensions?.code).toBe(outcome.refused);
      expect(errors![0].message).toBe(outcome.message);
      if (outcome.refused === 'FORBIDDEN') expect(errors![0].extensions?.region).toBe('SL');
      expect(errors![0].extensions?.stacktrace).toBeUndefined();
      expect(data).toBeNull();
      expect(await attempt.state(), 'nothing was written').toEqual(before);
    });
  });

  describe('what a record belongs to', () => {
    it('a membership belongs to its alliance\'s region: editor:NW cannot add its own organisation to an SL alliance', async () => {
      const [alliance, organization] = [await newAlliance('SL'), await newOrganization('NW')];
      // organizationId first: a router that took the first id would pick NW.
      const { data, errors } = await client('editor:NW')(
        'mutation($input: CreateMembershipInput!) { createMembership(input: $input) { id } }',
        { input: { organizationId: organization.id, allianceId: alliance.id } });
      expect(data).toBeNull();
      expect(errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', region: 'SL' });
      expect((await read('alliance', alliance.id, 'memberships { id }')).memberships).toEqual([]);
    });

    it('a membership belongs to its alliance\'s region: editor:SL cannot add its own organisation to an NW alliance', async () => {
      const [alliance, organization] = [await newAlliance('NW'), await newOrganization('SL')];
      const { data, errors } = await client('editor:SL')(
        'mutation($input: CreateMembershipInput!) { createMembership(input: $input) { id } }',
        { input: { organizationId: organization.id, allianceId: alliance.id } });
      expect(data).toBeNull();
      expect(errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', region: 'NW' });
      expect((await read('alliance', alliance.id, 'memberships { id }')).memberships).toEqual([]);
    });

    it('a meeting belongs to its network\'s region: editor:SL cannot add one to an NW network', async () => {
      const network = await newNetwork('NW');
      const { data, errors } = await client('editor:SL')(
        'mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { id } }',
        { input: { networkId: network.id, title: 'Fremdes Treffen' } });
      expect(data).toBeNull();
      expect(errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', region: 'NW' });
      expect((await read('network', network.id, 'meetings { id }')).meetings).toEqual([]);
    });

    it('an editor of several regions writes in each of them, and in no other', async () => {
      const both = hub.as(['editor:NW', 'editor:SL'], 'authz-two-regions');
      for (const region of ['SL', 'NW']) {
        const { data, errors } = await both('mutation($input: CreateProjectInput!) { createProject(input: $input) { id region } }',
          { input: { region, title: unique('Projekt zweier Regionen') } });
        expect(errors).toBeUndefined();
        expect(data.createProject.region).toBe(region);
      }
      const { errors } = await both('mutation { createProject(input: { region: BW, title: "Nicht erlaubt" }) { id } }');
      expect(errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', region: 'BW' });
    });

    const MOVES: [string, string, string, () => Promise<{ id: string; version: number }>, string][] = [
      ['updateAlliance', 'UpdateAllianceInput', 'alliance', newAlliance, 'region: NW'],
      ['updateOrganization', 'UpdateOrganizationInput', 'organization', newOrganization, 'region: NW'],
      ['updateMembership', 'UpdateMembershipInput', 'membership', newMembership, 'region: NW'],
      ['updateMembership', 'UpdateMembershipInput', 'membership', newMembership, `allianceId: "${DEMO.alliance.iserlohn}"`],
      ['updateNetwork', 'UpdateNetworkInput', 'network', () => newNetwork(), 'region: NW'],
      ['updateMeeting', 'UpdateMeetingInput', 'meeting', newMeeting, 'region: NW'],
      ['updateMeeting', 'UpdateMeetingInput', 'meeting', newMeeting, 'networkId: "NW:network:x"'],
      ['updateProject', 'UpdateProjectInput', 'project', newProject, 'region: NW'],
      ['updatePerson', 'UpdatePersonInput', 'person', () => newPerson(), 'region: NW'],
    ];
    it.each(MOVES)('%s cannot move a record to another region (%s: %s)', async (mutation, inputType, field, make, move) => {
      const record = await make();
      const { data, errors } = await hub.query(
        `mutation { ${mutation}(input: { id: "${record.id}", version: ${record.version}, ${move} }) { id } }`);
      expect(data).toBeUndefined();
      const moved = move.split(':')[0];
      expect(errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(errors?.[0].message).toMatch(new RegExp(`^Field "${moved}" is not defined by type "${inputType}"\\.`));
      expect(await read(field, record.id, 'id version region')).toEqual({ id: record.id, version: record.version, region: 'SL' });
    });
  });

  describe('contact details through the gateway', () => {
    const PERSON = 'query($id: ID!) { person(id: $id) { id consent { publicListing } contact { email phone address } } }';
    const CONTACT = { email: 'kontakt@buendnis-bw.example', phone: '+49 6221 555 01', address: 'Marktplatz 1, 69117 Heidelberg' };
    const viewerOf = (roles: string[] | null) => (roles ? hub.as(roles, `authz-${roles.join('-')}`) : hub.anonymous);
    const contactSeenBy = async (roles: string[] | null, id: string) => {
      const { data, errors } = await viewerOf(roles)(PERSON, { id });
      expect(errors).toBeUndefined();
      return data.person.contact;
    };
    /** A BW person with contact details, created by a hub admin. */
    const bwPerson = async (consent?: Record<string, unknown>) => (await admin(
      'mutation($input: CreatePersonInput!) { createPerson(input: $input) { id version } }',
      { input: { region: 'BW', givenName: 'Bea', familyName: unique('Kontakt'), contact: CONTACT, consent,
        roles: [{ kind: 'CONTACT', allianceId: DEMO.alliance.heidelberg }] } })).createPerson;

    it('Aline Moser (BW, public consent) is visible to everyone', async () => {
      for (const roles of [null, ['editor:SL'], ['admin:NW'], ['editor:BW'], ['hub-admin']]) {
        expect(await contactSeenBy(roles, DEMO.person.moser), JSON.stringify(roles))
          .toEqual({ email: 'moser@hddienste.de', phone: '06221-141013', address: null });
      }
    });

    it('without consent: null for anonymous and other regions, visible to BW\'s editors and admins and hub admins', async () => {
      const person = await bwPerson();
      for (const roles of [null, ['editor:SL'], ['admin:SL'], ['editor:NW', 'admin:SL']]) {
        expect(await contactSeenBy(roles, person.id), JSON.stringify(roles)).toBeNull();
      }
      for (const roles of [['editor:BW'], ['admin:BW'], ['hub-admin'], ['editor:SL', 'editor:BW']]) {
        expect(await contactSeenBy(roles, person.id), JSON.stringify(roles)).toEqual(CONTACT);
      }
    });

    it('without consent: null in lists and through the alliance\'s contacts too', async () => {
      const person = await bwPerson();
      const query = `query($text: String) {
        people(filter: { text: $text }) { edges { node { id contact { email } } } }
        alliance(id: "${DEMO.alliance.heidelberg}") { contacts { id contact { email } } }
      }`;
      const familyName = (await read('person', person.id, 'familyName')).familyName;
      const seen = async (roles: string[] | null) => {
        const { data, errors } = await viewerOf(roles)(query, { text: familyName });
        expect(errors).toBeUndefined();
        const inList = data.people.edges.map((e: { node: unknown }) => e.node).find((n: { id: string }) => n.id === person.id);
        const inAlliance = data.alliance.contacts.find((c: { id: string }) => c.id === person.id);
        return [inList ? inList.contact : 'missing', inAlliance ? inAlliance.contact : 'missing'];
      };
      expect(await seen(null)).toEqual([null, null]);
      expect(await seen(['editor:SL'])).toEqual([null, null]);
      expect(await seen(['editor:BW'])).toEqual([{ email: CONTACT.email }, { email: CONTACT.email }]);
    });

    it('after editor:BW withdraws consent, anonymous sees null; BW still sees the details', async () => {
      const person = await bwPerson({ publicListing: true, recordedOn: '2025-01-15', source: 'Einwilligungserklärung vom 15.01.2025' });
      expect(await contactSeenBy(null, person.id)).toEqual(CONTACT);
      expect(await contactSeenBy(['editor:SL'], person.id)).toEqual(CONTACT);

      const { data, errors } = await hub.as(['editor:BW'], 'authz-editor-bw')(
        'mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { id version consent { publicListing } } }',
        { input: { id: person.id, version: person.version, consent: { publicListing: false } } });
      expect(errors).toBeUndefined();
      expect(data.updatePerson).toEqual({ id: person.id, version: person.version + 1, consent: { publicListing: false } });

      expect(await contactSeenBy(null, person.id)).toBeNull();
      expect(await contactSeenBy(['editor:SL'], person.id)).toBeNull();
      expect(await contactSeenBy(['editor:BW'], person.id)).toEqual(CONTACT);
      const anonymous = await hub.anonymous(PERSON, { id: person.id });
      expect(anonymous.data.person.consent).toEqual({ publicListing: false });
    });

    it('another region\'s editor can neither publish nor withdraw a BW person\'s consent', async () => {
      const hidden = await bwPerson();
      const published = await bwPerson({ publicListing: true, recordedOn: '2025', source: 'Aushang' });
      const attempts: [{ id: string; version: number }, Record<string, unknown>][] = [
        [hidden, { publicListing: true, recordedOn: '2025', source: 'erfunden' }],
        [published, { publicListing: false }],
      ];
      for (const [person, consent] of attempts) {
        const result: GraphQLResponse = await hub.as(['editor:SL'], 'authz-editor-sl')(
          'mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { id } }',
          { input: { id: person.id, version: person.version, consent } });
        expect(result.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', region: 'BW' });
        expect(result.data).toBeNull();
      }
      expect(await contactSeenBy(null, hidden.id)).toBeNull();
      expect(await contactSeenBy(null, published.id)).toEqual(CONTACT);
    });
  });
});
