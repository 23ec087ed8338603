/**
 * Runs one subgraph instance against its own PostgreSQL: what a deployment, or a regional team
 * on its own server, runs.
 *   DATABASE_URL=postgres://… PORT=4101 REGIONS=SL npm run subgraph -- alliances
 * REGIONS lists the regions the instance owns (default: all); HUB_INTERNAL_SECRET is shared with the
 * gateway, which signs every request with it. Migrations are applied at start;
 * HUB_SEED=true loads the demo data of those regions into an empty database. HUB_METRICS_TOKEN
 * serves /metrics to the scraper sending it as a bearer token (off without it).
 */
import { z } from 'zod';
import {
  internalSecretSetting, metricsTokenSetting, port, postgresUrl, readConfig, regionList, startSubgraph, tracingFromEnvironment,
} from './kit/index.js';
import { SUBGRAPHS } from './index.js';

const name = process.argv[2];
const definition = SUBGRAPHS.find((s) => s.name === name);
if (!definition) {
  console.error(`Usage: npm run subgraph -- <${SUBGRAPHS.map((s) => s.name).join('|')}>  (settings: DATABASE_URL, PORT, REGIONS, HUB_INTERNAL_SECRET, HUB_SEED, HUB_METRICS_TOKEN)`);
  process.exit(1);
}
const config = readConfig(z.object({
  DATABASE_URL: postgresUrl,
  PORT: port(4001),
  REGIONS: regionList.optional(),
  HUB_SEED: z.enum(['true', 'false']).default('false'),
  HUB_INTERNAL_SECRET: internalSecretSetting,
  HUB_METRICS_TOKEN: metricsTokenSetting.optional(),
}));
tracingFromEnvironment();
const running = await startSubgraph(definition, {
  databaseUrl: config.DATABASE_URL,
  port: config.PORT,
  regions: config.REGIONS,
  seed: config.HUB_SEED === 'true',
  internalSecret: config.HUB_INTERNAL_SECRET,
  metricsToken: config.HUB_METRICS_TOKEN,
});
console.log(`Subgraph ${definition.name} (${config.REGIONS?.join(', ') ?? 'all regions'}) serving ${running.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void running.stop().then(() => process.exit(0)));
}
