/**
 * Applies a subgraph's pending migrations to a database (start-up does the same):
 *   DATABASE_URL=postgres://… npm run migrate -- alliances [--check]
 * --check only lists what is pending and exits 1 when anything is.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { initOrm, postgresUrl, readConfig } from '../subgraphs/kit/index.js';
import { SUBGRAPHS } from '../subgraphs/index.js';

const { values, positionals } = parseArgs({ options: { check: { type: 'boolean', default: false } }, allowPositionals: true });
const definition = SUBGRAPHS.find((s) => s.name === positionals[0]);
if (!definition) {
  console.error(`Usage: DATABASE_URL=… npm run migrate -- <${SUBGRAPHS.map((s) => s.name).join('|')}> [--check]`);
  process.exit(1);
}
const { DATABASE_URL } = readConfig(z.object({ DATABASE_URL: postgresUrl }));
const orm = await initOrm({ databaseUrl: DATABASE_URL, entities: definition.entities, migrations: definition.migrations });
try {
  const pending = (await orm.migrator.getPending()).map((m) => m.name);
  if (values.check) {
    console.log(pending.length ? `Pending for ${definition.name}: ${pending.join(', ')}` : `${definition.name} is up to date`);
    process.exitCode = pending.length ? 1 : 0;
  } else {
    await orm.migrator.up();
    console.log(pending.length ? `Applied to ${definition.name}: ${pending.join(', ')}` : `${definition.name} is up to date`);
  }
} finally {
  await orm.close();
}
