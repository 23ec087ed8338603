import { ANONYMOUS, viewerFromRoles } from '../subgraphs/kit/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../data/demo/ids.js';
import { peopleSubgraph } from '../subgraphs/people/index.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';

const { alliance: A, person: P } = DEMO;
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(peopleSubgraph, { seed: true });
});
afterAll(async () => subgraph?.stop());

/** The SQL statements one operation sends. */
async function statementsOf(query: string, variables: Record<string, unknown> = {}) {
  subgraph.statements.length = 0;
  const result = await subgraph.query(query, variables);
  expect(result.errors).toBeUndefined();
  return { result, count: subgraph.statements.length };
}

const PERSON = `query($id: ID!) { person(id: $id) {
  id name givenName familyName version
  consent { publicListing recordedOn source }
  contact { email phone address }
  roles { kind title since until alliance { id } network { id } organization { id } }
} }`;
const ALLIANCE_CONTACTS = `query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Alliance { id contacts { id name contact { email phone } } }
} }`;
const PEOPLE_ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Person { id name contact { email } roles { kind alliance { id } } }
} }`;
const CREATE = `mutation($input: CreatePersonInput!) { createPerson(input: $input) {
  id region name version consent { publicListing } contact { email phone address }
  roles { kind title since until alliance { id } network { id } organization { id } }
} }`;
const UPDATE = `mutation($input: UpdatePersonInput!) { updatePerson(input: $input) {
  id name familyName version consent { publicListing recordedOn source } contact { email phone address }
  roles { kind title since until organization { id } }
} }`;

const personCount = async () => (await subgraph.query(`{ people { totalCount } }`)).data.people.totalCount as number;
const roleCount = async () => Number((await subgraph.orm.em.fork().getConnection().execute('select count(*) as n from role'))[0].n);

describe('people subgraph: demo data and consent', () => {
  it('shows no contact for Kemmer (no consent) and Moser\'s published contact with its consent record', async () => {
    const kemmer = await subgraph.query(PERSON, { id: P.kemmer });
    expect(kemmer.errors).toBeUndefined();
    expect(kemmer.data.person).toMatchObject({
      name: 'Michael Kemmer', consent: { publicListing: false, recordedOn: null, source: null }, contact: null,
      roles: [{
        kind: 'REPRESENTATIVE', title: 'Regionale Geschäftsleitung Süd', since: '2018-05-16', until: null,
        alliance: { id: A.saarbruecken }, network: null, organization: { id: DEMO.organization.impuls },
      }],
    });

    const moser = await subgraph.query(PERSON, { id: P.moser });
    expect(moser.data.person).toMatchObject({
      name: 'Aline Moser',
      contact: { email: 'moser@hddienste.de', phone: '06221-141013', address: null },
      consent: {
        publicListing: true, recordedOn: '2026-11-25',
        source: 'Als Kontakt des Bündnisses veröffentlicht im Pressetext data/seeds/004',
      },
    });
  });

  it('lists current roles first, then by start date', async () => {
    const braemer = await subgraph.query(PERSON, { id: P.braemer });
    expect(braemer.data.person.roles.map((r: { kind: string }) => r.kind)).toEqual(['SPEAKER', 'CONTACT']);
  });

  it('finds Evelyn Brämer by "Brämer" and by "Bramer"', async () => {
    for (const text of ['Brämer', 'Bramer']) {
      const found = await subgraph.query(`query($text: String) { people(filter: { text: $text }) {
        totalCount edges { node { id name } } } }`, { text });
      expect(found.errors).toBeUndefined();
      expect(found.data.people.totalCount).toBe(1);
      expect(found.data.people.edges[0].node).toEqual({ id: P.braemer, name: 'Evelyn Brämer' });
    }
  });

  it('filters by role kind and region, listing a person with two matching roles once', async () => {
    const found = await subgraph.query(`{ people(filter: { roleKinds: [SPEAKER, CONTACT], regions: [ST] }) {
      totalCount edges { node { familyName } } } }`);
    expect(found.data.people.totalCount).toBe(6);
    expect(found.data.people.edges.map((e: { node: { familyName: string } }) => e.node.familyName))
      .toEqual(['Borkowski', 'Brämer', 'Frommann', 'Gottschalk', 'Kutz', 'Oelke']);
  });

  it('resolves Alliance.contacts with the same two statements for one or four alliances', async () => {
    const one = await statementsOf(ALLIANCE_CONTACTS, { reps: [{ __typename: 'Alliance', id: A.saarbruecken }] });
    expect(one.result.data._entities).toEqual([{
      id: A.saarbruecken,
      contacts: [
        { id: P.altmeierKoletzki, name: 'Mirjam Altmeier-Koletzki', contact: null },
        { id: P.kemmer, name: 'Michael Kemmer', contact: null },
      ],
    }]);
    const reps = [A.saarbruecken, A.unimedkids, A.iserlohn, A.heidelberg].map((id) => ({ __typename: 'Alliance', id }));
    const four = await statementsOf(ALLIANCE_CONTACTS, { reps });
    expect(four.result.data._entities.map((a: { contacts: unknown[] }) => a.contacts.length)).toEqual([2, 0, 0, 1]);
    expect(one.count).toBe(2);
    expect(four.count).toBe(one.count);
  });

  it('resolves Person entities with the same statements for two and eight people', async () => {
    const ids = Object.values(P);
    const two = await statementsOf(PEOPLE_ENTITIES, { reps: ids.slice(0, 2).map((id) => ({ __typename: 'Person', id })) });
    const eight = await statementsOf(PEOPLE_ENTITIES, { reps: ids.slice(0, 8).map((id) => ({ __typename: 'Person', id })) });
    expect(eight.result.data._entities.map((p: { id: string }) => p.id)).toEqual(ids.slice(0, 8));
    expect(two.count).toBe(2);
    expect(eight.count).toBe(two.count);
  });

  it('hides Moser\'s stored contact from every response once she withdraws consent', async () => {
    const before = await subgraph.query(PERSON, { id: P.moser });
    const withdrawn = await subgraph.query(UPDATE, {
      input: { id: P.moser, version: before.data.person.version, consent: { publicListing: false } },
    });
    expect(withdrawn.errors).toBeUndefined();
    expect(withdrawn.data.updatePerson).toMatchObject({ consent: { publicListing: false } });

    // The public (and editors of other regions) no longer see it anywhere.
    const outsider = subgraph.as(viewerFromRoles('editor-sl', ['editor:SL']));
    const responses = [
      await subgraph.as(ANONYMOUS)(PERSON, { id: P.moser }),
      await outsider(PERSON, { id: P.moser }),
      await subgraph.as(ANONYMOUS)(`{ people(first: 100) { edges { node { id contact { email phone address } } } } }`),
      await subgraph.as(ANONYMOUS)(PEOPLE_ENTITIES, { reps: [{ __typename: 'Person', id: P.moser }] }),
      await subgraph.as(ANONYMOUS)(ALLIANCE_CONTACTS, { reps: [{ __typename: 'Alliance', id: A.heidelberg }] }),
    ];
    for (const response of responses) {
      expect(response.errors).toBeUndefined();
      const text = JSON.stringify(response);
      expect(text).not.toContain('hddienste');
      expect(text).not.toContain('141013');
    }
    expect(responses[4].data._entities[0].contacts).toEqual([{ id: P.moser, name: 'Aline Moser', contact: null }]);
    // Her own region's editors still reach her; withdrawal hides the details, it does not erase them.
    const ownRegion = await subgraph.as(viewerFromRoles('editor-bw', ['editor:BW']))(PERSON, { id: P.moser });
    expect(ownRegion.data.person.contact).toMatchObject({ email: 'moser@hddienste.de' });
    const stored = await subgraph.orm.em.fork().getConnection()
      .execute('select contact_email from person where id = ?', [P.moser]);
    expect(stored[0].contact_email).toBe('moser@hddienste.de');
  });
});

describe('people subgraph: mutations', () => {
  const valid = {
    region: 'ST', givenName: 'Erika', familyName: 'Musterfrau',
    contact: { email: 'erika@example.org', phone: '039203 1234' },
    consent: { publicListing: true, recordedOn: '2026-11', source: 'Schriftliche Einwilligung' },
    roles: [
      { kind: 'SPEAKER', networkId: DEMO.network.familienakteureBoerde, since: '2019-03-26', until: '2019-03-26' },
      { kind: 'CONTACT', organizationId: DEMO.organization.liba, title: 'Projektleitung', since: '2020' },
    ],
  };

  it('refuses invalid input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const [people, roles] = [await personCount(), await roleCount()];
    const cases: [object, string][] = [
      [{ ...valid, contact: { email: 'not-an-address' } }, 'input.contact.email'],
      [{ ...valid, roles: [{ kind: 'MENTOR', title: 'ohne Ziel' }] }, 'roles.0'],
      [{ ...valid, roles: [valid.roles[1], { kind: 'CONTACT', allianceId: A.heidelberg, since: '2020-05', until: '2020-04' }] }, 'roles.1.until'],
      [{ ...valid, consent: { publicListing: true, recordedOn: '2026-11' } }, 'consent.source'],
      [{ ...valid, consent: { publicListing: true, source: 'Telefonat' } }, 'consent.recordedOn'],
    ];
    for (const [input, field] of cases) {
      const result = await subgraph.query(CREATE, { input });
      expect(result.data).toBeNull();
      const extensions = result.errors?.[0].extensions ?? {};
      expect(extensions.code).toBe('BAD_USER_INPUT');
      const fields = extensions.validationErrors?.map((e: { field: string }) => e.field) ?? [extensions.field];
      expect(fields).toEqual([field]);
    }
    const badEmail = await subgraph.query(CREATE, { input: { ...valid, contact: { email: 'x' } } });
    expect(badEmail.errors?.[0].extensions?.validationErrors).toEqual([
      { field: 'input.contact.email', messages: ['email must be an e-mail address'] },
    ]);
    expect([await personCount(), await roleCount()]).toEqual([people, roles]);
  });

  it('creates, updates (replacing roles, withdrawing consent), refuses a stale version and deletes', async () => {
    const created = await subgraph.query(CREATE, { input: valid });
    expect(created.errors).toBeUndefined();
    const person = created.data.createPerson;
    expect(person).toMatchObject({
      region: 'ST', name: 'Erika Musterfrau', version: 1, consent: { publicListing: true },
      contact: { email: 'erika@example.org', phone: '039203 1234', address: null },
      roles: [
        { kind: 'CONTACT', title: 'Projektleitung', since: '2020', until: null, organization: { id: DEMO.organization.liba } },
        { kind: 'SPEAKER', since: '2019-03-26', until: '2019-03-26', network: { id: DEMO.network.familienakteureBoerde } },
      ],
    });
    expect(person.id).toMatch(/^ST:person:/);

    const updated = await subgraph.query(UPDATE, { input: {
      id: person.id, version: 1, familyName: 'Musterfrau-Beispiel',
      roles: [{ kind: 'MENTOR', organizationId: DEMO.organization.zfa, since: '2021' }],
    } });
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updatePerson).toMatchObject({
      name: 'Erika Musterfrau-Beispiel', version: 2, contact: { email: 'erika@example.org' },
      roles: [{ kind: 'MENTOR', since: '2021', organization: { id: DEMO.organization.zfa } }],
    });
    const roles = await subgraph.orm.em.fork().getConnection()
      .execute('select kind from role where person_id = ?', [person.id]);
    expect(roles).toEqual([{ kind: 'MENTOR' }]);

    const stale = await subgraph.query(UPDATE, { input: {
      id: person.id, version: 1, familyName: 'Veraltet', consent: { publicListing: false }, roles: [],
    } });
    expect(stale.errors?.[0].extensions).toEqual({ code: 'CONFLICT', currentVersion: 2 });
    const unchanged = await subgraph.query(PERSON, { id: person.id });
    expect(unchanged.data.person).toMatchObject({
      familyName: 'Musterfrau-Beispiel', version: 2, consent: { publicListing: true },
      contact: { email: 'erika@example.org' }, roles: [{ kind: 'MENTOR' }],
    });

    const badDates = await subgraph.query(UPDATE, { input: {
      id: person.id, version: 2, roles: [{ kind: 'MENTOR', organizationId: DEMO.organization.zfa, since: '2021', until: '2020' }],
    } });
    expect(badDates.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'roles.0.until' });

    const deleted = await subgraph.query(`mutation($id: ID!) { deletePerson(id: $id) }`, { id: person.id });
    expect(deleted.data).toEqual({ deletePerson: person.id });
    expect((await subgraph.query(PERSON, { id: person.id })).data.person).toBeNull();
    const left = await subgraph.orm.em.fork().getConnection()
      .execute('select count(*) as n from role where person_id = ?', [person.id]);
    expect(Number(left[0].n)).toBe(0);

    const missing = await subgraph.query(`mutation($id: ID!) { deletePerson(id: $id) }`, { id: person.id });
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
