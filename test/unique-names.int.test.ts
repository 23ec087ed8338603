import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { alliancesSubgraph } from '../subgraphs/alliances/index.js';
import { projectsSubgraph } from '../subgraphs/projects/index.js';
import { alliances as DEMO_ALLIANCES } from '../subgraphs/alliances/seed.js';
import { PROJECTS } from '../subgraphs/projects/seed.js';
import { FieldOfAction, FIELD_OF_ACTION_LABELS, initOrm, migrate, sortKeyOf, todayInGermany } from '../subgraphs/kit/index.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';
import { createTestDatabase } from './support/databases.js';

let alliances: TestSubgraph;
let projects: TestSubgraph;

beforeAll(async () => {
  [alliances, projects] = await Promise.all([
    startTestSubgraph(alliancesSubgraph, { seed: true }),
    startTestSubgraph(projectsSubgraph, { seed: true }),
  ]);
}, 60_000);
afterAll(async () => { await Promise.all([alliances?.stop(), projects?.stop()]); });

const CREATE_ALLIANCE = `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id name } }`;
const UPDATE_ALLIANCE = `mutation($input: UpdateAllianceInput!) { updateAlliance(input: $input) { id name } }`;
const CREATE_ORGANIZATION = `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id name } }`;
const IMPORT_ALLIANCES = `mutation($input: AllianceImportInput!) {
  importAlliances(input: $input) { created updated unchanged errors { line field message } } }`;

async function count(table: string, where = 'true'): Promise<number> {
  const client = new pg.Client({ connectionString: alliances.databaseUrl });
  await client.connect();
  try {
    return Number((await client.query(`select count(*) from "${table}" where ${where}`)).rows[0].count);
  } finally {
    await client.end();
  }
}

describe('names are unique per region, compared as the search compares them', () => {
  it('folds case, umlauts and their spelled-out forms, ß and punctuation into one key', () => {
    expect(sortKeyOf('Bündnis Merzig')).toBe(sortKeyOf('Buendnis  merzig'));
    expect(sortKeyOf('Bündnis Merzig')).toBe(sortKeyOf('BUNDNIS-MERZIG!'));
    expect(sortKeyOf('Familienbüro Straße')).toBe(sortKeyOf('Familienbuero Strasse'));
    expect(sortKeyOf('Quelle')).toBe('quelle');
    expect(sortKeyOf('Bündnis Merzig')).not.toBe(sortKeyOf('Bündnis Merzig-Wadern'));
  });

  it('refuses a second alliance of the same name in the region with DUPLICATE_NAME naming the holder; another region may use it', async () => {
    const first = await alliances.query(CREATE_ALLIANCE, { input: { region: 'SL', name: 'Bündnis Merzig' } });
    expect(first.errors).toBeUndefined();
    const before = await count('alliance');
    const second = await alliances.query(CREATE_ALLIANCE, { input: { region: 'SL', name: 'Buendnis  merzig' } });
    expect(second.data).toBeNull();
    expect(second.errors?.[0].extensions).toEqual({ code: 'DUPLICATE_NAME', field: 'name', existingId: first.data.createAlliance.id });
    expect(second.errors?.[0].message).toContain(`"${first.data.createAlliance.id}" is already named "Bündnis Merzig"`);
    expect(await count('alliance')).toBe(before);
    const elsewhere = await alliances.query(CREATE_ALLIANCE, { input: { region: 'NW', name: 'Bündnis Merzig' } });
    expect(elsewhere.errors).toBeUndefined();
  });

  it('refuses an update to a name another record holds, and keeps a record\'s own name re-spelled', async () => {
    const a = (await alliances.query(CREATE_ALLIANCE, { input: { region: 'SL', name: 'Familienbündnis Losheim' } })).data.createAlliance;
    const b = (await alliances.query(CREATE_ALLIANCE, { input: { region: 'SL', name: 'Familienbündnis Wadern' } })).data.createAlliance;
    const taken = await alliances.query(UPDATE_ALLIANCE, { input: { id: b.id, version: 1, name: 'familienbuendnis LOSHEIM' } });
    expect(taken.errors?.[0].extensions).toEqual({ code: 'DUPLICATE_NAME', field: 'name', existingId: a.id });
    const own = await alliances.query(UPDATE_ALLIANCE, { input: { id: a.id, version: 1, name: 'Familienbuendnis Losheim' } });
    expect(own.errors).toBeUndefined();
    expect(own.data.updateAlliance.name).toBe('Familienbuendnis Losheim');
  });

  it('holds organisation names unique too', async () => {
    const first = await alliances.query(CREATE_ORGANIZATION, { input: { region: 'SL', name: 'Stadtwerke Völklingen', kind: 'COMPANY' } });
    expect(first.errors).toBeUndefined();
    const second = await alliances.query(CREATE_ORGANIZATION, { input: { region: 'SL', name: 'stadtwerke voelklingen', kind: 'OTHER' } });
    expect(second.errors?.[0].extensions).toEqual({
      code: 'DUPLICATE_NAME', field: 'name', existingId: first.data.createOrganization.id,
    });
  });

  it('lets exactly one of several concurrent creates of one name win; the others get DUPLICATE_NAME', async () => {
    const spellings = ['Bündnis Dillingen', 'Buendnis Dillingen', 'bündnis dillingen', 'BÜNDNIS  DILLINGEN', 'Bündnis-Dillingen', 'Bundnis Dillingen'];
    const results = await Promise.all(spellings.map((name) => alliances.query(CREATE_ALLIANCE, { input: { region: 'SL', name } })));
    const won = results.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    const winner = won[0].data.createAlliance.id;
    for (const lost of results.filter((r) => r.errors)) {
      expect(lost.errors?.[0].extensions).toEqual({ code: 'DUPLICATE_NAME', field: 'name', existingId: winner });
    }
    expect(await count('alliance', `region = 'SL' and sort_key = '${sortKeyOf('Bündnis Dillingen')}'`)).toBe(1);
  });

  it('imports match names the same way: another spelling updates the record, two spellings in one file are refused', async () => {
    const existing = (await alliances.query(CREATE_ALLIANCE, { input: { region: 'SL', name: 'Bündnis Beckingen' } })).data.createAlliance;
    const twice = await alliances.query(IMPORT_ALLIANCES, { input: { region: 'SL', rows: [
      { line: 2, name: 'Bündnis Schmelz', goals: 'A' }, { line: 3, name: 'Buendnis  schmelz', goals: 'B' },
    ] } });
    expect(twice.data.importAlliances.created).toBe(0);
    expect(twice.data.importAlliances.errors).toEqual([
      { line: 3, field: null, message: 'alliance "Buendnis  schmelz" is already on line 2 with other values' },
    ]);
    expect(await count('alliance', `sort_key = '${sortKeyOf('Bündnis Schmelz')}'`)).toBe(0);

    const respelled = await alliances.query(IMPORT_ALLIANCES, { input: { region: 'SL', rows: [{ line: 2, name: 'Buendnis Beckingen', goals: 'Neu' }] } });
    expect(respelled.data.importAlliances).toEqual({ created: 0, updated: 1, unchanged: 0, errors: [] });
    const stored = await alliances.query(`query($id: ID!) { alliance(id: $id) { name goals } }`, { id: existing.id });
    expect(stored.data.alliance).toEqual({ name: 'Buendnis Beckingen', goals: 'Neu' });
  });

  it('gives concurrent imports of one new name one winner; the other is refused with DUPLICATE_NAME, never an internal error', async () => {
    const rows = (goals: string) => [{ line: 2, name: 'Bündnis Perl', goals }];
    const results = await Promise.all(['A', 'B', 'C', 'D'].map((goals) =>
      alliances.query(IMPORT_ALLIANCES, { input: { region: 'SL', rows: rows(goals) } })));
    // An import that starts after the winner committed finds the record and updates it instead; two
    // such updates at once are an ordinary edit conflict (CONFLICT), never an internal error.
    const outcomes = results.map((r) => (r.errors ? String(r.errors[0]?.extensions?.code)
      : r.data.importAlliances.created === 1 ? 'created' : r.data.importAlliances.updated === 1 ? 'updated' : JSON.stringify(r.data)));
    expect(outcomes.filter((o) => o === 'created'), outcomes.join()).toHaveLength(1);
    expect(outcomes.filter((o) => !['created', 'updated', 'DUPLICATE_NAME', 'CONFLICT'].includes(o)), outcomes.join()).toEqual([]);
    for (const r of results.filter((x) => x.errors?.[0]?.extensions?.code === 'DUPLICATE_NAME')) {
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'DUPLICATE_NAME', field: 'name', existingId: expect.stringMatching(/^SL:alliance:/) });
    }
    expect(await count('alliance', `sort_key = '${sortKeyOf('Bündnis Perl')}'`)).toBe(1);
  });
});

describe('a migration over names held twice', () => {
  it('keeps the oldest, renames the later ones visibly, recomputes keys and then holds names unique', async () => {
    const { migrations, entities } = alliancesSubgraph;
    const ours = migrations.findIndex((m) => m.name === 'Migration20261201102000UniqueNames');
    expect(ours).toBeGreaterThan(0);
    const databaseUrl = await createTestDatabase('unique_names_migration');
    const before = await initOrm({ databaseUrl, entities, migrations: migrations.slice(0, ours) });
    await migrate(before);
    await before.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      // Keys as the earlier normalisation stored them: "ue" was not folded, so these were different names then.
      const insert = `insert into alliance (id, region, created_at, updated_at, name, sort_key, fields_of_action, working_groups)
        values ($1, 'SL', $2, $2, $3, $4, '{}', '[]')`;
      await client.query(insert, ['SL:alliance:old', '2020-01-01', 'Bündnis Merzig', 'bundnis merzig']);
      await client.query(insert, ['SL:alliance:new', '2021-01-01', 'Buendnis Merzig', 'buendnis merzig']);
      await client.query(insert, ['SL:alliance:other', '2021-01-01', 'Bündnis Saarlouis', 'bundnis saarlouis']);
      const after = await initOrm({ databaseUrl, entities, migrations });
      await migrate(after);
      await after.close();
      const rows = (await client.query(`select id, name, sort_key from alliance order by id`)).rows;
      expect(rows).toEqual([
        { id: 'SL:alliance:new', name: 'Buendnis Merzig (doppelt, SL:alliance:new)', sort_key: sortKeyOf('Buendnis Merzig (doppelt, SL:alliance:new)') },
        { id: 'SL:alliance:old', name: 'Bündnis Merzig', sort_key: 'bundnis merzig' },
        { id: 'SL:alliance:other', name: 'Bündnis Saarlouis', sort_key: 'bundnis saarlouis' },
      ]);
      await expect(client.query(insert, ['SL:alliance:again', '2022-01-01', 'BUENDNIS merzig', 'bundnis merzig']))
        .rejects.toThrow(/alliance_region_sort_key_unique/);
    } finally {
      await client.end();
    }
  });
});

describe('search covers fields of action by their German labels', () => {
  const mentions = (...texts: (string | null | undefined)[]) => texts.some((t) => /kinderbetreu/i.test(t ?? ''));

  it('finds every seeded project and alliance working in childcare by "Kinderbetreuung"', async () => {
    const inChildcare = PROJECTS.filter((p) => p.fieldsOfAction.includes(FieldOfAction.CHILDCARE));
    // Meaningful only if some of them do not say the word in their own texts.
    expect(inChildcare.filter((p) => !mentions(p.title, p.summary)).length).toBeGreaterThan(0);
    const found = await projects.query(`{ projects(filter: { text: "Kinderbetreuung" }, first: 100) { edges { node { id } } } }`);
    expect(found.errors).toBeUndefined();
    const ids = found.data.projects.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toEqual(expect.arrayContaining(inChildcare.map((p) => p.id)));

    const alliancesInChildcare = DEMO_ALLIANCES.filter((a) => a.fieldsOfAction.includes(FieldOfAction.CHILDCARE));
    expect(alliancesInChildcare.filter((a) => !mentions(a.name, a.goals, a.municipality?.name)).length).toBeGreaterThan(0);
    const foundAlliances = await alliances.query(`{ alliances(filter: { text: "Kinderbetreuung" }, first: 100) { edges { node { id } } } }`);
    expect(foundAlliances.data.alliances.edges.map((e: { node: { id: string } }) => e.node.id))
      .toEqual(expect.arrayContaining(alliancesInChildcare.map((a) => a.id)));
  });

  it('reads every label through the SQL function, and the search still uses its GIN index', async () => {
    const client = new pg.Client({ connectionString: projects.databaseUrl });
    await client.connect();
    try {
      const values = Object.values(FieldOfAction);
      const { rows } = await client.query(`select hub_field_of_action_labels($1::text[]) as labels`, [values]);
      expect(rows[0].labels).toBe(values.map((v) => FIELD_OF_ACTION_LABELS[v]).join(' '));
      await client.query('set enable_seqscan = off');
      const plan = (await client.query(`explain select id from project where search @@ to_tsquery('hub_german', 'Kinderbetreuung:*')`))
        .rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain('project_search_index');
    } finally {
      await client.end();
    }
  });
});

describe('validation names every wrong field in one answer', () => {
  it('lists a bad date with the other wrong fields, each by its input path', async () => {
    const result = await alliances.query(CREATE_ALLIANCE, { input: {
      region: 'SL', name: ' ', foundedOn: '2024-13', website: 'www.example.org', municipality: { name: 'Merzig', ags: '1' },
    } });
    expect(result.data).toBeNull();
    expect(result.errors).toHaveLength(1);
    const { code, validationErrors } = result.errors?.[0].extensions ?? {};
    expect(code).toBe('BAD_USER_INPUT');
    expect(validationErrors.map((e: { field: string }) => e.field).sort()).toEqual([
      'input.foundedOn', 'input.municipality.ags', 'input.name', 'input.website',
    ]);
    expect(validationErrors.find((e: { field: string }) => e.field === 'input.foundedOn').messages)
      .toEqual(['foundedOn must be YYYY, YYYY-MM or YYYY-MM-DD naming a real date, not "2024-13"']);
  });

  it('does the same for a date given in the query text rather than in variables', async () => {
    const result = await alliances.query(`mutation { createAlliance(input: { region: SL, name: "", foundedOn: "2024-02-30" }) { id } }`);
    expect(result.errors?.[0].extensions?.validationErrors.map((e: { field: string }) => e.field).sort())
      .toEqual(['input.foundedOn', 'input.name']);
  });

  it('refuses a founding date in the future, and takes this year', async () => {
    const future = await alliances.query(CREATE_ALLIANCE, { input: { region: 'SL', name: 'Bündnis der Zukunft', foundedOn: '2099' } });
    expect(future.errors?.[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      validationErrors: [{ field: 'input.foundedOn', messages: ['foundedOn (2099) is in the future; it records what has happened'] }],
    });
    for (const [name, foundedOn] of [['Bündnis von heute', todayInGermany()], ['Bündnis dieses Jahres', todayInGermany().slice(0, 4)]]) {
      const ok = await alliances.query(CREATE_ALLIANCE, { input: { region: 'SL', name, foundedOn } });
      expect(ok.errors).toBeUndefined();
    }
  });

  it('keeps planned project dates in the future allowed', async () => {
    const created = await projects.query(`mutation($input: CreateProjectInput!) { createProject(input: $input) { startsOn endsOn } }`,
      { input: { region: 'SL', title: 'Ferienbetreuung 2099', startsOn: '2098', endsOn: '2099-08' } });
    expect(created.errors).toBeUndefined();
    expect(created.data.createProject).toEqual({ startsOn: '2098', endsOn: '2099-08' });
  });

  it('refuses a future founding date in an import row too, by line and field', async () => {
    const report = await alliances.query(IMPORT_ALLIANCES, { input: { region: 'SL', rows: [{ line: 7, name: 'Bündnis Mettlach', foundedOn: '2099-01' }] } });
    expect(report.data.importAlliances.errors).toEqual([
      { line: 7, field: 'foundedOn', message: 'foundedOn (2099-01) is in the future; it records what has happened' },
    ]);
  });
});
