import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Region } from '../subgraphs/kit/index.js';
import { exportAsCsv, runExport } from '../scripts/hub/export.js';
import { runImport } from '../scripts/hub/import.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { tokenFor } from './support/security.js';

/**
 * An organisation of one region as a member of alliances of others (a federal body in state
 * alliances), on regional instances with their own databases: the membership lives with its
 * alliance, the organisation with its region, and the gateway joins them.
 */
const GROUPS = [['SL'], ['NW'], ['DE', 'BW']] as Region[][];
let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub({ seed: false, regions: GROUPS });
}, 120_000);
afterAll(async () => hub?.stop());

async function create(mutation: string, input: Record<string, unknown>): Promise<string> {
  const result = await hub.query(`mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { id } }`, { input });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data[mutation].id;
}

const ids: Record<string, string> = {};

/**
 * SQL statements the requests since `resetStatements()` cost: without the reference index each
 * instance recomputes in the background, once after a write, for the gateway's health probe.
 */
const requestStatements = () => Object.values(hub.subgraphs)
  .flatMap((s) => s.statements).filter((sql) => !sql.startsWith('select distinct type, region from'));

const MEMBERS = `query($sl: ID!, $nw: ID!) {
  sl: alliance(id: $sl) { name memberships { joinedOn organization { id name region kind } } }
  nw: alliance(id: $nw) { name memberships { joinedOn organization { name region } } }
}`;

describe('memberships across regions', () => {
  it('accepts a federal organisation as a member of alliances in SL and NW, and refuses one that does not exist', async () => {
    ids.federal = await create('createOrganization', { region: 'DE', name: 'Bundesagentur für Arbeit', kind: 'EMPLOYMENT_AGENCY' });
    ids.local = await create('createOrganization', { region: 'SL', name: 'Regionalverband Saarbrücken', kind: 'MUNICIPALITY' });
    ids.sl = await create('createAlliance', { region: 'SL', name: 'Lokales Bündnis für Familien Saarbrücken' });
    ids.nw = await create('createAlliance', { region: 'NW', name: 'Iserlohner Bündnis für Familie' });
    await create('createMembership', { allianceId: ids.sl, organizationId: ids.federal, joinedOn: '2019' });
    await create('createMembership', { allianceId: ids.sl, organizationId: ids.local, joinedOn: '2005-11' });
    await create('createMembership', { allianceId: ids.nw, organizationId: ids.federal, joinedOn: '2004-07-15' });

    const missing = await hub.query(`mutation($input: CreateMembershipInput!) { createMembership(input: $input) { id } }`,
      { input: { allianceId: ids.nw, organizationId: 'DE:organization:gibt-es-nicht' } });
    expect(missing.data?.createMembership ?? null).toBeNull();
    expect(missing.errors?.[0].extensions?.code).toMatch(/NOT_FOUND|BAD_USER_INPUT/);
    // The SL instance holds no organisations of DE: the membership's organisation is only its id there.
    const onSl = await hub.subgraphs['alliances-sl'].query('{ organizations { totalCount } }');
    expect(onSl.data.organizations.totalCount).toBe(1);
  });

  it('reads each alliance\'s members from their own regions in one query, earliest first', async () => {
    const { data, errors } = await hub.query(MEMBERS, { sl: ids.sl, nw: ids.nw });
    expect(errors).toBeUndefined();
    expect(data.sl.memberships).toEqual([
      { joinedOn: '2005-11', organization: { id: ids.local, name: 'Regionalverband Saarbrücken', region: 'SL', kind: 'MUNICIPALITY' } },
      { joinedOn: '2019', organization: { id: ids.federal, name: 'Bundesagentur für Arbeit', region: 'DE', kind: 'EMPLOYMENT_AGENCY' } },
    ]);
    expect(data.nw.memberships).toEqual([{ joinedOn: '2004-07-15', organization: { name: 'Bundesagentur für Arbeit', region: 'DE' } }]);
    // Organisations by kind count those of their alliance's region, as a single instance holding every region would.
    const statistics = await hub.query('{ allianceStatistics { memberships organizationsByKind { kind count } } }');
    expect(statistics.data.allianceStatistics).toEqual({ memberships: 3, organizationsByKind: [{ kind: 'MUNICIPALITY', count: 1 }] });
  });

  it('completes nested and listed memberships too: the alliance list, and the alliance of each membership', async () => {
    const { data, errors } = await hub.query(`{ alliances(first: 10) { edges { node { region memberships {
      organization { name memberships { joinedOn } } alliance { region } } } } } }`);
    expect(errors).toBeUndefined();
    const rows = data.alliances.edges.flatMap((e: any) => e.node.memberships.map((m: any) => [e.node.region, m.alliance.region, m.organization.name]));
    expect(rows).toEqual([
      ['NW', 'NW', 'Bundesagentur für Arbeit'],
      ['SL', 'SL', 'Regionalverband Saarbrücken'],
      ['SL', 'SL', 'Bundesagentur für Arbeit'],
    ]);
  });

  it('lists an organisation\'s memberships in every region\'s alliances, earliest first, also nested under a membership', async () => {
    const { data, errors } = await hub.query(`query($f: ID!, $l: ID!, $sl: ID!) {
      f: organization(id: $f) { name memberships { joinedOn alliance { name region } } }
      l: organization(id: $l) { memberships { alliance { name } } }
      sl: alliance(id: $sl) { memberships { organization { name memberships { joinedOn alliance { region } organization { region } } } } }
    }`, { f: ids.federal, l: ids.local, sl: ids.sl });
    expect(errors).toBeUndefined();
    expect(data.f).toEqual({ name: 'Bundesagentur für Arbeit', memberships: [
      { joinedOn: '2004-07-15', alliance: { name: 'Iserlohner Bündnis für Familie', region: 'NW' } },
      { joinedOn: '2019', alliance: { name: 'Lokales Bündnis für Familien Saarbrücken', region: 'SL' } },
    ] });
    expect(data.l.memberships).toEqual([{ alliance: { name: 'Lokales Bündnis für Familien Saarbrücken' } }]);
    // Two levels of records held elsewhere: the federal member of an SL alliance, and that member's memberships in NW and SL.
    expect(data.sl.memberships[1].organization).toEqual({ name: 'Bundesagentur für Arbeit', memberships: [
      { joinedOn: '2004-07-15', alliance: { region: 'NW' }, organization: { region: 'DE' } },
      { joinedOn: '2019', alliance: { region: 'SL' }, organization: { region: 'DE' } },
    ] });
  });

  it('costs the same number of SQL statements for few and for many cross-region members', async () => {
    const query = `{ alliances(first: 50) { edges { node { name memberships { joinedOn organization { name kind memberships { joinedOn } } } } } } }`;
    const measure = async () => {
      // A write makes the gateway ask an instance about every organisation's memberships until its
      // next health probe (every 2 s) reads what it refers to again: measured once that is known.
      await new Promise((resolve) => setTimeout(resolve, 4_500));
      hub.resetStatements();
      const result = await hub.query(query);
      expect(result.errors).toBeUndefined();
      const members = result.data.alliances.edges.flatMap((e: any) => e.node.memberships);
      expect(members.every((m: any) => typeof m.organization?.name === 'string')).toBe(true);
      const statements = requestStatements();
      return { statements: statements.length, members: members.length, sql: statements };
    };
    const small = await measure();
    for (let i = 0; i < 6; i++) {
      const federal = await create('createOrganization', { region: 'DE', name: `Bundesverband ${i}`, kind: 'ASSOCIATION' });
      const employer = await create('createOrganization', { region: 'BW', name: `Arbeitgeber ${i}`, kind: 'COMPANY' });
      for (const region of ['SL', 'NW']) {
        const alliance = await create('createAlliance', { region, name: `Bündnis ${region} ${i}` });
        await create('createMembership', { allianceId: alliance, organizationId: federal, joinedOn: '2020' });
        await create('createMembership', { allianceId: alliance, organizationId: employer, joinedOn: '2021' });
      }
    }
    const large = await measure();
    expect(small.members).toBe(3);
    expect(large.members).toBe(27);
    expect(large.statements, `small:\n${small.sql.join('\n')}\nlarge:\n${large.sql.join('\n')}`).toBe(small.statements);
  }, 60_000);

  it('exports a cross-region membership with its organisation\'s id and imports it back into another region', async () => {
    const token = await tokenFor('test-hub-admin', ['hub-admin']);
    const exported = await runExport({ url: hub.gateway.url, token, kind: 'memberships', regions: ['NW'] });
    const iserlohn = exported.rows.filter((row) => row.alliance === 'Iserlohner Bündnis für Familie');
    expect(iserlohn).toEqual([expect.objectContaining({
      region: 'NW', organization: 'Bundesagentur für Arbeit', organizationId: ids.federal, joinedOn: '2004-07-15',
    })]);
    // The same file again changes nothing; into SL (whose alliance of that name is created first) it creates the membership.
    const csv = exportAsCsv({ ...exported, rows: iserlohn });
    const again = await runImport({ url: hub.gateway.url, token, kind: 'memberships', text: csv, format: 'csv' });
    expect(again.errors).toEqual([]);
    expect(again.totals).toEqual({ created: 0, updated: 0, unchanged: 1 });
    await create('createAlliance', { region: 'SL', name: 'Iserlohner Bündnis für Familie' });
    const moved = exportAsCsv({ ...exported, rows: iserlohn.map((row) => ({ ...row, region: 'SL' })) });
    const imported = await runImport({ url: hub.gateway.url, token, kind: 'memberships', text: moved, format: 'csv' });
    expect(imported.errors).toEqual([]);
    expect(imported.totals).toEqual({ created: 1, updated: 0, unchanged: 0 });
    const back = await runExport({ url: hub.gateway.url, token, kind: 'memberships', regions: ['SL'] });
    expect(back.rows.filter((row) => row.alliance === 'Iserlohner Bündnis für Familie')).toEqual(iserlohn.map((row) => ({ ...row, region: 'SL' })));
    // An id of an organisation that does not exist is refused with its line, and nothing is written.
    const wrong = exportAsCsv({ ...exported, rows: iserlohn.map((row) => ({ ...row, organizationId: 'DE:organization:gibt-es-nicht' })) });
    const refused = await runImport({ url: hub.gateway.url, token, kind: 'memberships', text: wrong, format: 'csv' });
    expect(refused.ok).toBe(false);
  }, 60_000);

  it('answers the membership with a null organisation and REGION_UNAVAILABLE while the organisation\'s region is down', async () => {
    await hub.subgraphs['alliances-de-bw'].stop();
    const { data, errors } = await hub.query(MEMBERS, { sl: ids.sl, nw: ids.nw });
    expect(data.sl.memberships).toEqual([
      { joinedOn: '2005-11', organization: { id: ids.local, name: 'Regionalverband Saarbrücken', region: 'SL', kind: 'MUNICIPALITY' } },
      { joinedOn: '2019', organization: null },
    ]);
    expect(data.nw.memberships).toEqual([{ joinedOn: '2004-07-15', organization: null }]);
    expect(errors?.length).toBeGreaterThan(0);
    for (const error of errors!) {
      expect(error.extensions).toMatchObject({ code: 'REGION_UNAVAILABLE', region: 'DE', subgraph: 'alliances' });
    }
    expect(errors!.map((e) => e.path)).toEqual(expect.arrayContaining([['sl', 'memberships', 1, 'organization']]));
  }, 30_000);
});
