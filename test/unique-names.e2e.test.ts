import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Region } from '../subgraphs/kit/index.js';
import { runImport } from '../scripts/hub/import.js';
import { exportAsJson, runExport } from '../scripts/hub/export.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { tokenFor } from './support/security.js';

/** Unique names, search over fields of action and whole validation answers, through the gateway on regional instances. */
let hub: TestHub;
let editorSL: string;

beforeAll(async () => {
  hub = await startTestHub({ seed: true, regions: [['SL'], ['NW'], ['ST', 'BW', 'DE']] as Region[][] });
  editorSL = await tokenFor('jana@saarland.example', ['editor:SL']);
}, 120_000);
afterAll(async () => { await hub?.stop(); });

const CREATE = 'mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id name } }';

describe('through the gateway', () => {
  it('refuses a second "Bündnis Merzig" in SL, spelled out, with DUPLICATE_NAME naming the first; NW may have one', async () => {
    const editor = hub.as(['editor:SL', 'editor:NW']);
    const first = await editor(CREATE, { input: { region: 'SL', name: 'Bündnis Merzig' } });
    expect(first.errors).toBeUndefined();
    const second = await editor(CREATE, { input: { region: 'SL', name: 'Buendnis  merzig' } });
    expect(second.errors?.[0].extensions).toMatchObject({
      code: 'DUPLICATE_NAME', field: 'name', existingId: first.data.createAlliance.id,
    });
    expect((await editor(CREATE, { input: { region: 'NW', name: 'Bündnis Merzig' } })).errors).toBeUndefined();
  });

  it('lets one of several concurrent creates of a name win on the regional instance', async () => {
    const names = ['Bündnis Blieskastel', 'Buendnis Blieskastel', 'BÜNDNIS BLIESKASTEL', 'bündnis - blieskastel'];
    const results = await Promise.all(names.map((name) => hub.query(CREATE, { input: { region: 'SL', name } })));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => r.errors).map((r) => r.errors?.[0].extensions?.code)).toEqual(['DUPLICATE_NAME', 'DUPLICATE_NAME', 'DUPLICATE_NAME']);
  });

  it('refuses two spellings of one name in one file, by line, writing nothing', async () => {
    const text = 'region,name,goals\nSL,Bündnis St. Ingbert,A\nSL,Buendnis St Ingbert,B\n';
    const outcome = await runImport({ url: hub.gateway.url, token: editorSL, kind: 'alliances', text, format: 'csv' });
    expect(outcome.ok).toBe(false);
    expect(outcome.errors.map((e) => [e.line, e.message])).toEqual([[3, 'the same record as line 2, with other values']]);
    const found = await hub.query(`{ alliances(filter: { text: "Ingbert" }) { totalCount } }`);
    expect(found.data.alliances.totalCount).toBe(0);
  });

  it('exports SL and imports the file back: every row matches its record, none is refused', async () => {
    const exported = await runExport({ url: hub.gateway.url, token: editorSL, kind: 'alliances', regions: ['SL'] });
    expect(exported.rows.length).toBeGreaterThan(2);
    const outcome = await runImport({ url: hub.gateway.url, token: editorSL, kind: 'alliances', text: exportAsJson(exported), format: 'json' });
    expect(outcome.errors).toEqual([]);
    expect(outcome.totals).toEqual({ created: 0, updated: 0, unchanged: exported.rows.length });
  });

  it('finds projects and alliances of the childcare field by "Kinderbetreuung" across instances', async () => {
    const { data, errors } = await hub.query(`{
      projects(filter: { text: "Kinderbetreuung" }, first: 100) { edges { node { id fieldsOfAction } } }
      alliances(filter: { text: "Kinderbetreuung" }, first: 100) { edges { node { id region fieldsOfAction } } } }`);
    expect(errors).toBeUndefined();
    const all = await hub.query(`{ projects(first: 100) { edges { node { id fieldsOfAction } } }
      alliances(first: 100) { edges { node { id fieldsOfAction } } } }`);
    const inChildcare = (edges: { node: { id: string; fieldsOfAction: string[] } }[]) =>
      edges.filter((e) => e.node.fieldsOfAction.includes('CHILDCARE')).map((e) => e.node.id).sort();
    expect(inChildcare(all.data.projects.edges).length).toBeGreaterThanOrEqual(5);
    expect(inChildcare(data.projects.edges)).toEqual(inChildcare(all.data.projects.edges));
    expect(inChildcare(data.alliances.edges)).toEqual(inChildcare(all.data.alliances.edges));
    expect(new Set(data.alliances.edges.map((e: { node: { region: string } }) => e.node.region)).size).toBeGreaterThan(1);
  });

  it('answers a bad date together with every other wrong field, each by its path, in one BAD_USER_INPUT', async () => {
    const result = await hub.query(CREATE, { input: { region: 'SL', name: '  ', foundedOn: '2024-13', website: 'example.org' } });
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].extensions?.validationErrors.map((e: { field: string }) => e.field).sort())
      .toEqual(['input.foundedOn', 'input.name', 'input.website']);
    const future = await hub.query(CREATE, { input: { region: 'SL', name: 'Bündnis Zukunft', foundedOn: '2099' } });
    expect(future.errors?.[0].extensions?.validationErrors).toEqual([
      { field: 'input.foundedOn', messages: ['foundedOn (2099) is in the future; it records what has happened'] },
    ]);
  });
});
