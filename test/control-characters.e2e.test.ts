import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../subgraphs/kit/index.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { HUB_ADMIN, gatewaySignature } from './support/security.js';
import type { TestSubgraph } from './support/subgraph.js';

/**
 * Text PostgreSQL cannot store (NUL, a lone surrogate) and control characters no form carries are
 * refused as BAD_USER_INPUT naming the field, before any resolver runs: in every subgraph, for
 * inline literals and variables, in inputs, filters, ids, cursors and import rows alike.
 */
let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub({ seed: false });
}, 120_000);
afterAll(async () => { await hub?.stop(); });

const subgraph = (name: string): TestSubgraph => hub.subgraphs[name];

const TABLES: Record<string, string[]> = {
  alliances: ['alliance', 'organization', 'membership', 'audit_log'],
  networks: ['network', 'meeting', 'audit_log'],
  projects: ['project', 'audit_log'],
  people: ['person', 'audit_log'],
};

/** Rows of every table of the subgraph, to show a refusal wrote nothing. */
async function rowCounts(name: string): Promise<Record<string, number>> {
  const connection = subgraph(name).orm.em.fork().getConnection();
  const counts: Record<string, number> = {};
  for (const table of TABLES[name]) {
    const [row] = await connection.execute(`select count(*)::int as n from ${table}`);
    counts[table] = row.n;
  }
  return counts;
}

/** Asks the subgraph and expects the refusal of `field`, with nothing written. */
async function expectRefused(name: string, query: string, variables: Record<string, unknown>, field: string) {
  const before = await rowCounts(name);
  const answer = await subgraph(name).query(query, variables);
  expect(answer.errors, JSON.stringify(answer)).toHaveLength(1);
  expect(answer.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
  expect(answer.errors![0].message).toMatch(new RegExp(`^${field.replace(/\./g, '\\.')} of `));
  expect(answer.data ?? null).toBeNull();
  expect(await rowCounts(name)).toEqual(before);
  return answer.errors![0];
}

const NUL = '\u0000';

describe('text with a NUL byte is refused in every subgraph, naming the field', () => {
  const CASES: [string, string, string, Record<string, unknown>, string][] = [
    ['alliances', 'createAlliance, name', 'mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }',
      { input: { region: 'SL', name: `Bündnis${NUL}Merzig` } }, 'input.name'],
    ['alliances', 'createAlliance, website', 'mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }',
      { input: { region: 'SL', name: 'Bündnis Merzig', website: `https://merzig.example/${NUL}` } }, 'input.website'],
    ['alliances', 'createAlliance, a nested municipality', 'mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }',
      { input: { region: 'SL', name: 'Bündnis Merzig', municipality: { name: `Merzig${NUL}` } } }, 'input.municipality.name'],
    ['alliances', 'createOrganization, name', 'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
      { input: { region: 'SL', name: `Stadtwerke${NUL}`, kind: 'COMPANY' } }, 'input.name'],
    ['alliances', 'importAlliances, the second row', 'mutation($input: AllianceImportInput!) { importAlliances(input: $input) { created errors { line } } }',
      { input: { region: 'SL', rows: [{ line: 2, name: 'Bündnis Eins' }, { line: 3, name: 'Bündnis Zwei', goals: `Ziel${NUL}` }] } }, 'input.rows.1.goals'],
    ['alliances', 'alliances, filter.text', 'query($t: String) { alliances(filter: { text: $t }) { totalCount } }',
      { t: `Fami${NUL}lie` }, 'filter.text'],
    ['alliances', 'organizations, filter.text', 'query($f: OrganizationFilter) { organizations(filter: $f) { totalCount } }',
      { f: { text: NUL } }, 'filter.text'],
    ['alliances', 'alliances, after', 'query($after: String) { alliances(after: $after) { totalCount } }',
      { after: `${encodeCursor('Bündnis', 'SL:alliance:x')}${NUL}` }, 'after'],
    ['alliances', 'alliance, id', 'query($id: ID!) { alliance(id: $id) { id } }', { id: `SL:alliance:merzig${NUL}` }, 'id'],
    ['alliances', 'deleteAlliance, id', 'mutation($id: ID!) { deleteAlliance(id: $id) }', { id: `SL:alliance:${NUL}` }, 'id'],
    ['networks', 'createNetwork, name', 'mutation($input: CreateNetworkInput!) { createNetwork(input: $input) { id } }',
      { input: { region: 'SL', name: `Landesnetzwerk${NUL}`, kind: 'LANDESNETZWERK' } }, 'input.name'],
    ['networks', 'networks, filter.text', 'query($t: String) { networks(filter: { text: $t }) { id } }', { t: NUL }, 'filter.text'],
    ['networks', 'network, id', 'query($id: ID!) { network(id: $id) { id } }', { id: `SL:network:${NUL}` }, 'id'],
    ['projects', 'createProject, summary', 'mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }',
      { input: { region: 'SL', title: 'Ferienbetreuung', summary: `Zeile 1\nZeile 2${NUL}` } }, 'input.summary'],
    ['projects', 'importProjects, a row', 'mutation($input: ProjectImportInput!) { importProjects(input: $input) { created } }',
      { input: { region: 'SL', rows: [{ line: 2, title: `Ferien${NUL}betreuung` }] } }, 'input.rows.0.title'],
    ['projects', 'projects, after', 'query($after: String) { projects(after: $after) { totalCount } }', { after: NUL }, 'after'],
    ['people', 'createPerson, familyName', 'mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }',
      { input: { region: 'SL', familyName: `Muster${NUL}` } }, 'input.familyName'],
    ['people', 'importPeople, a row', 'mutation($input: PersonImportInput!) { importPeople(input: $input) { created } }',
      { input: { region: 'SL', rows: [{ line: 2, familyName: 'Muster', givenName: `Eva${NUL}` }] } }, 'input.rows.0.givenName'],
    ['people', 'people, filter.text', 'query($t: String) { people(filter: { text: $t }) { totalCount } }', { t: NUL }, 'filter.text'],
    ['people', '_entities, a representation\'s id', 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id } } }',
      { r: [{ __typename: 'Person', id: `SL:person:${NUL}` }] }, 'representations.0.id'],
  ];

  it.each(CASES)('%s: %s', async (name, _what, query, variables, field) => {
    const error = await expectRefused(name, query, variables, field);
    expect(error.message).toMatch(/contains U\+0000 \(a control character\) at character \d+/);
  });
});

describe('inline literals and variables alike', () => {
  it('refuses a NUL written into the document as \\u0000, in a mutation and in a filter', async () => {
    const created = await expectRefused('alliances', 'mutation { createAlliance(input: { region: SL, name: "Bündnis\\u0000Merzig" }) { id } }', {}, 'input.name');
    expect(created.message).toBe('input.name of createAlliance contains U+0000 (a control character) at character 8; '
      + 'text may hold no control characters other than tab and line breaks, and no unpaired surrogates');
    await expectRefused('alliances', '{ alliances(filter: { text: "Fami\\u0000lie" }) { totalCount } }', {}, 'filter.text');
    await expectRefused('alliances', '{ alliance(id: "SL:alliance:\\u0000") { id } }', {}, 'id');
  });

  it('refuses a variable\'s default value and a string in a fragment\'s arguments', async () => {
    await expectRefused('alliances', 'query($t: String = "\\u0000") { alliances(filter: { text: $t }) { totalCount } }', {}, 'filter.text');
    await expectRefused('alliances', `query { ...list } fragment list on Query { alliances(after: "\\u0000") { totalCount } }`, {}, 'after');
  });

  it('answers HTTP 400, with no stack trace and no internal error', async () => {
    const body = JSON.stringify({ query: 'query($t: String) { alliances(filter: { text: $t }) { totalCount } }', variables: { t: NUL } });
    const response = await fetch(subgraph('alliances').url, {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', ...gatewaySignature(subgraph('alliances'), body, HUB_ADMIN) },
    });
    expect(response.status).toBe(400);
    const answer = await response.json();
    expect(Object.keys(answer)).toEqual(['errors']);
    expect(answer.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.text' });
  });
});

describe('other characters PostgreSQL or a form should not get', () => {
  const CREATE = 'mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }';
  const REFUSED: [string, string, string][] = [
    ['U+0001', '\u0001', 'U+0001 (a control character)'],
    ['a bell', '\u0007', 'U+0007 (a control character)'],
    ['a vertical tab', '\u000b', 'U+000B (a control character)'],
    ['a form feed', '\u000c', 'U+000C (a control character)'],
    ['an escape (terminal sequences)', '\u001b[31m', 'U+001B (a control character)'],
    ['U+001F', '\u001f', 'U+001F (a control character)'],
    ['DEL', '\u007f', 'U+007F (a control character)'],
    ['a lone high surrogate', '\ud83d', 'U+D83D (an unpaired surrogate)'],
    ['a lone low surrogate', '\ude00', 'U+DE00 (an unpaired surrogate)'],
    ['surrogates in the wrong order', '\ude00\ud83d', 'U+DE00 (an unpaired surrogate)'],
  ];

  it.each(REFUSED)('refuses %s in a name', async (_what, text, described) => {
    const error = await expectRefused('alliances', CREATE, { input: { region: 'SL', name: `Bündnis ${text} Merzig` } }, 'input.name');
    expect(error.message).toContain(`contains ${described} at character 9`);
  });

  it('refuses a cursor whose decoded sort key or id carries a NUL (a well-formed cursor otherwise)', async () => {
    for (const cursor of [encodeCursor(`Bündnis${NUL}`, 'SL:alliance:x'), encodeCursor('Bündnis', `SL:alliance:${NUL}`),
      encodeCursor('Bündnis\ud800', 'SL:alliance:x')]) {
      for (const [name, list] of [['alliances', 'alliances'], ['alliances', 'organizations'], ['projects', 'projects'], ['people', 'people']]) {
        const answer = await subgraph(name).query(`query($after: String) { ${list}(after: $after) { totalCount } }`, { after: cursor });
        expect(answer.errors?.[0].extensions, `${list} ${cursor}`).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
        expect(answer.errors?.[0].message).toBe(`"${cursor}" is not a cursor of this list`);
      }
    }
  });
});

describe('legitimate text is still taken as it is', () => {
  it('keeps line breaks and tabs in multi-line texts, umlauts, ß and emoji (surrogate pairs) everywhere', async () => {
    const goals = 'Familie und Beruf:\n\t– Kinderbetreuung\r\n\t– Pflege\rEnde';
    const name = 'Bündnis für Familie Groß-Gerau 👨‍👩‍👧‍👦 🏳️‍🌈 Ça va';
    const created = await subgraph('alliances').query(
      'mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id name goals } }',
      { input: { region: 'HE', name, goals } },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createAlliance).toMatchObject({ name, goals });
    const read = await subgraph('alliances').query('query($id: ID!) { alliance(id: $id) { name goals } }', { id: created.data.createAlliance.id });
    expect(read.data.alliance).toEqual({ name, goals });

    const summary = 'Erste Zeile\nZweite Zeile\n\nDritte Zeile 🎉';
    const project = await subgraph('projects').query(
      'mutation { createProject(input: { region: HE, title: "Ferienbetreuung Groß-Gerau", summary: "Erste Zeile\\nZweite Zeile\\n\\nDritte Zeile 🎉" }) { summary } }',
    );
    expect(project.errors).toBeUndefined();
    expect(project.data.createProject.summary).toBe(summary);

    const found = await subgraph('alliances').query('query($t: String) { alliances(filter: { text: $t }) { totalCount } }', { t: 'Groß 👨‍👩‍👧‍👦\tGerau\n' });
    expect(found.errors).toBeUndefined();
    expect(found.data.alliances.totalCount).toBe(1);
  });

  it('pages on with a cursor it gave', async () => {
    const first = await subgraph('alliances').query('{ alliances(first: 1) { pageInfo { endCursor } } }');
    const next = await subgraph('alliances').query('query($after: String) { alliances(first: 1, after: $after) { totalCount } }',
      { after: first.data.alliances.pageInfo.endCursor });
    expect(next.errors).toBeUndefined();
  });
});

describe('through the gateway, for an anonymous caller', () => {
  it('passes the refusal on as BAD_USER_INPUT naming the field, for a filter and a cursor', async () => {
    const text = await hub.anonymous('query($t: String) { alliances(filter: { text: $t }) { totalCount } }', { t: `Fami${NUL}lie` });
    expect(text.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.text' });
    expect(text.data?.alliances ?? null).toBeNull();
    const literal = await hub.anonymous('{ projects(filter: { text: "\\u0000" }) { totalCount } }');
    expect(literal.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.text' });
    const cursor = await hub.anonymous('query($after: String) { people(after: $after) { totalCount } }',
      { after: encodeCursor(`Muster${NUL}`, 'SL:person:x') });
    expect(cursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const id = await hub.anonymous('query($id: ID!) { network(id: $id) { id } }', { id: `SL:network:${NUL}` });
    expect(id.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    for (const answer of [text, literal, cursor, id]) expect(answer.errors?.map((e) => e.extensions?.code)).not.toContain('INTERNAL_SERVER_ERROR');
  });
});
