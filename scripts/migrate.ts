/**
 * Applies a subgraph's pending migrations to a database (start-up does the same):
 *   DATABASE_URL=postgres://… npm run migrate -- alliances [--check]
 * --check only lists what is pending and exits 1 when anything is; it writes nothing, not even
 * the migrations table, and a missing database is reported (exit 3) instead of created.
 */
import 'reflect-metadata';
import pg from 'pg';
import { z } from 'zod';
import { initOrm, migrate, postgresUrl } from '../subgraphs/kit/index.js';
import { CommandError, runCommand, type CommandSpec } from '../subgraphs/kit/cli.js';
import { SUBGRAPHS } from '../subgraphs/index.js';

const SPEC: CommandSpec = {
  command: 'npm run migrate --',
  summary: 'Applies the pending migrations of a subgraph to its database (a missing database is created, as a subgraph\'s start does). '
    + 'With --check it only reads: it lists what is pending and changes nothing.',
  positionals: [{ name: 'subgraph', description: SUBGRAPHS.map((s) => s.name).join(', ') }],
  options: {
    check: { type: 'boolean', description: 'list pending migrations only; exit 0 up to date, 1 pending, 3 no such database' },
  },
  settings: { DATABASE_URL: 'the subgraph instance\'s database, postgres://… (required)' },
};

/** MikroORM's table of applied migrations (its default name). */
const MIGRATIONS_TABLE = 'mikro_orm_migrations';
/** PostgreSQL's "invalid_catalog_name": the database does not exist. */
const NO_SUCH_DATABASE = '3D000';
const databaseOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1)) || '(the user\'s default)';

/**
 * The migrations not yet applied, read with plain SQL: MikroORM's migrator would create the
 * database and its migrations table first. Undefined when the database does not exist.
 */
async function pendingReadOnly(databaseUrl: string, names: string[]): Promise<string[] | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    if ((error as { code?: string }).code === NO_SUCH_DATABASE) return undefined;
    throw error;
  }
  try {
    const table = await client.query<{ present: boolean }>('select to_regclass($1) is not null as present', [MIGRATIONS_TABLE]);
    if (!table.rows[0].present) return names;
    const applied = new Set((await client.query<{ name: string }>(`select name from ${MIGRATIONS_TABLE}`)).rows
      .map((row) => row.name.replace(/\.(js|ts)$/, '')));
    return names.filter((name) => !applied.has(name));
  } finally {
    await client.end();
  }
}

runCommand(SPEC, async ({ values, positionals, problems }) => {
  const definition = SUBGRAPHS.find((s) => s.name === positionals[0]);
  if (positionals[0] && !definition) problems.add('subgraph', `"${positionals[0]}" is not one of ${SUBGRAPHS.map((s) => s.name).join(', ')}`);
  const settings = problems.settings(z.object({ DATABASE_URL: postgresUrl }));
  problems.stopIfAny();
  if (!definition || !settings) return 2;
  const names = definition.migrations.map((migration) => migration.name);
  if (values.check) {
    const pending = await pendingReadOnly(settings.DATABASE_URL, names);
    if (!pending) throw new CommandError(`The database ${databaseOf(settings.DATABASE_URL)} does not exist: nothing checked, nothing created`, 3);
    console.log(pending.length ? `Pending for ${definition.name}: ${pending.join(', ')}` : `${definition.name} is up to date`);
    return pending.length ? 1 : 0;
  }
  const orm = await initOrm({ databaseUrl: settings.DATABASE_URL, entities: definition.entities, migrations: definition.migrations });
  try {
    const pending = (await orm.migrator.getPending()).map((m) => m.name);
    await migrate(orm);
    console.log(pending.length ? `Applied to ${definition.name}: ${pending.join(', ')}` : `${definition.name} is up to date`);
  } finally {
    await orm.close();
  }
  return 0;
});
