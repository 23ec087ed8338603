/**
 * Writes a new MikroORM migration for one subgraph from the difference between its entities and
 * its existing migrations, using a throwaway embedded PostgreSQL.
 *   npm run migration:create -- alliances
 */
import 'reflect-metadata';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KIT_MIGRATIONS, initOrm } from '../subgraphs/kit/index.js';
import type { SubgraphDefinition } from '../subgraphs/kit/index.js';
import { PROJECT_ROOT, startEmbeddedPostgres } from './lib/embedded-postgres.js';

const NAMES = ['alliances', 'networks', 'projects', 'people'];
const name = process.argv[2] ?? '';
if (!NAMES.includes(name)) {
  console.error(`Usage: npm run migration:create -- <${NAMES.join('|')}>`);
  process.exit(1);
}
const module = (await import(`../subgraphs/${name}/index.js`)) as Record<string, SubgraphDefinition>;
const definition = module[`${name}Subgraph`];
const folder = join(PROJECT_ROOT, 'subgraphs', definition.name, 'migrations');
const pg = await startEmbeddedPostgres({ name: `migration-${name}`, port: 54380 + NAMES.indexOf(name), persistent: false });
try {
  await pg.createDatabase('scratch');
  const orm = await initOrm({ databaseUrl: pg.urlFor('scratch'), entities: definition.entities, migrations: definition.migrations });
  orm.config.get('migrations').path = folder;
  orm.config.get('migrations').pathTs = folder;
  await orm.migrator.up();
  const result = await orm.migrator.create(folder);
  console.log(result.fileName ? `Wrote ${result.fileName}` : 'Entities and migrations agree: nothing to write');
  await orm.close();
  const files = readdirSync(folder).filter((f) => /^Migration\d+.*\.ts$/.test(f)).sort();
  const classes = files.map((f) => f.replace(/\.ts$/, ''));
  writeFileSync(join(folder, 'index.ts'),
    `import { ${KIT_MIGRATIONS.map((m) => m.name).join(', ')} } from '../../kit/index.js';\n` +
    classes.map((c) => `import { ${c} } from './${c}.js';`).join('\n') +
    `\n\n/** In the order they run. */\nexport const migrations = [${[...KIT_MIGRATIONS.map((m) => m.name), ...classes].sort().join(', ')}];\n`);
} finally {
  await pg.stop();
}
