/**
 * Runs one subgraph instance against its own PostgreSQL (what a deployment or a regional team runs):
 *   DATABASE_URL=postgres://… PORT=4001 npm run subgraph -- alliances
 * Migrations are applied at start; HUB_SEED=true loads the demo data into an empty database.
 */
import { z } from 'zod';
import { port, postgresUrl, readConfig, startSubgraph } from './kit/index.js';
import { SUBGRAPHS } from './index.js';

const name = process.argv[2];
const definition = SUBGRAPHS.find((s) => s.name === name);
if (!definition) {
  console.error(`Usage: npm run subgraph -- <${SUBGRAPHS.map((s) => s.name).join('|')}>  (settings: DATABASE_URL, PORT, HUB_SEED)`);
  process.exit(1);
}
const config = readConfig(z.object({
  DATABASE_URL: postgresUrl,
  PORT: port(4001),
  HUB_SEED: z.enum(['true', 'false']).default('false'),
}));
const running = await startSubgraph(definition, {
  databaseUrl: config.DATABASE_URL,
  port: config.PORT,
  seed: config.HUB_SEED === 'true',
});
console.log(`Subgraph ${definition.name} serving ${running.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void running.stop().then(() => process.exit(0)));
}
