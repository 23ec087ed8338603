import { describe, expect, it } from 'vitest';
import { initOrm, migrate } from '../subgraphs/kit/index.js';
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
    } finally {
      await orm.close();
    }
  });
});
