import { describe, expect, it } from 'vitest';
import { initOrm, migrate } from '../subgraphs/kit/index.js';
import { DATA_VERSION_TABLE } from '../subgraphs/kit/data-version.js';
import { SUBGRAPHS } from '../subgraphs/index.js';
import { createTestDatabase } from './support/databases.js';

describe.each(SUBGRAPHS.map((s) => [s.name, s] as const))('migrations of %s', (_name, definition) => {
  it('bring a fresh database to exactly the entities\' schema, and a second run changes nothing', async () => {
    const orm = await initOrm({ databaseUrl: await createTestDatabase(`migrate_${definition.name}`), entities: definition.entities, migrations: definition.migrations });
    try {
      await migrate(orm);
      expect(await orm.migrator.getPending()).toEqual([]);
      expect((await orm.migrator.getExecuted()).map((m) => m.name)).toEqual(definition.migrations.map((m) => m.name));
      // What the schema generator would still change: nothing.
      expect((await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
      await migrate(orm);
      expect((await orm.migrator.getExecuted()).length).toBe(definition.migrations.length);
      // Every table moves the data version on every kind of write (kit/data-version.ts), once however often migrated.
      const triggers = await orm.em.fork().getConnection().execute<{ table: string; name: string }[]>(
        `select c.relname as "table", t.tgname as "name" from pg_trigger t join pg_class c on c.oid = t.tgrelid
         where not t.tgisinternal and t.tgname like 'hub_note_write%' order by 1, 2`);
      const tables = await orm.em.fork().getConnection().execute<{ tablename: string }[]>(
        `select tablename from pg_tables where schemaname = current_schema() and tablename not in ('${DATA_VERSION_TABLE}', 'mikro_orm_migrations') order by 1`);
      expect(tables.length).toBeGreaterThan(1);
      expect(triggers).toEqual(tables.flatMap(({ tablename }) => [{ table: tablename, name: 'hub_note_write' }, { table: tablename, name: 'hub_note_write_truncate' }]));
    } finally {
      await orm.close();
    }
  });
});
