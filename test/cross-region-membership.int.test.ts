import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initOrm, migrate, type MikroORM } from '../subgraphs/kit/index.js';
import { alliancesSubgraph } from '../subgraphs/alliances/index.js';
import { createTestDatabase } from './support/databases.js';

/**
 * A membership may name an organisation of another region, which this database does not hold;
 * one of its own region must exist here and stays while the membership names it.
 */
let orm: MikroORM;

beforeAll(async () => {
  orm = await initOrm({
    databaseUrl: await createTestDatabase('cross_region_membership'), entities: alliancesSubgraph.entities, migrations: alliancesSubgraph.migrations,
  });
  await migrate(orm);
  const sql = orm.em.getConnection();
  await sql.execute(`insert into alliance (id, region, created_at, updated_at, name, sort_key, fields_of_action, working_groups)
    values ('SL:alliance:a', 'SL', now(), now(), 'Bündnis', 'bundnis', '{}', '[]')`);
  await sql.execute(`insert into organization (id, region, created_at, updated_at, name, sort_key, kind)
    values ('SL:organization:o', 'SL', now(), now(), 'Stadt', 'stadt', 'MUNICIPALITY')`);
}, 60_000);
afterAll(async () => orm?.close());

const insertMembership = (id: string, organizationId: string) => orm.em.getConnection().execute(
  `insert into membership (id, region, created_at, updated_at, alliance_id, organization_id) values (?, 'SL', now(), now(), 'SL:alliance:a', ?)`,
  [id, organizationId]);

describe('the membership table', () => {
  it('takes an organisation of another region without holding it', async () => {
    await insertMembership('SL:membership:federal', 'DE:organization:bundesagentur');
    const [{ count }] = await orm.em.getConnection().execute(`select count(*)::int as count from membership where organization_id like 'DE:%'`);
    expect(count).toBe(1);
  });

  it('refuses an organisation of its own region that is not there, as a foreign key would', async () => {
    await expect(insertMembership('SL:membership:missing', 'SL:organization:fehlt')).rejects.toThrow(/of its own region, which does not exist/);
    await expect(orm.em.getConnection().execute(`update membership set organization_id = 'SL:organization:fehlt' where id = 'SL:membership:federal'`))
      .rejects.toThrow(/does not exist/);
  });

  it('keeps an organisation of its own region while a membership names it', async () => {
    await insertMembership('SL:membership:local', 'SL:organization:o');
    await expect(orm.em.getConnection().execute(`delete from organization where id = 'SL:organization:o'`)).rejects.toThrow(/still named by memberships/);
    await orm.em.getConnection().execute(`delete from membership where id = 'SL:membership:local'`);
    await orm.em.getConnection().execute(`delete from organization where id = 'SL:organization:o'`);
  });
});
