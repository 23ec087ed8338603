/**
 * `npm start`: the whole hub on one machine. With no settings it starts an embedded PostgreSQL
 * (data kept under .pgdata/hub), creates one database per subgraph, migrates, loads the demo data
 * into empty databases, starts the four subgraphs and the gateway. Ctrl-C stops everything.
 *
 * Settings (all optional):
 *   PORT                      gateway port (4000)
 *   <SUBGRAPH>_DATABASE_URL   e.g. ALLIANCES_DATABASE_URL: use this PostgreSQL database instead
 *   <SUBGRAPH>_PORT           e.g. PEOPLE_PORT: the subgraph's port (4001–4004)
 *   HUB_PG_PORT               port of the embedded PostgreSQL (54320)
 *   HUB_SEED=false            do not load the demo data
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { port, postgresUrl, readConfig, startSubgraph, type RunningSubgraph } from '../subgraphs/kit/index.js';
import { SUBGRAPHS } from '../subgraphs/index.js';
import { startGateway, type RunningGateway } from '../gateway/server.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './lib/embedded-postgres.js';
import { DEFAULT_SUBGRAPH_PORTS, SUPERGRAPH_PATH } from './lib/supergraph.js';

const env = (name: string) => name.toUpperCase();
const perSubgraph: Record<string, z.ZodType> = Object.fromEntries(SUBGRAPHS.flatMap((s) => [
  [`${env(s.name)}_DATABASE_URL`, postgresUrl.optional()],
  [`${env(s.name)}_PORT`, port(DEFAULT_SUBGRAPH_PORTS[s.name])],
]));
const config = readConfig(z.object({
  PORT: port(4000),
  HUB_PG_PORT: port(54320),
  HUB_SEED: z.enum(['true', 'false']).default('true'),
}).extend(perSubgraph)) as { PORT: number; HUB_PG_PORT: number; HUB_SEED: 'true' | 'false' } & Record<string, unknown>;
const setting = (key: string) => config[key];

let postgres: EmbeddedPostgresHandle | undefined;
const subgraphs: RunningSubgraph[] = [];
let gateway: RunningGateway | undefined;

async function stopAll(): Promise<void> {
  await gateway?.stop();
  await Promise.all(subgraphs.map((s) => s.stop()));
  await postgres?.stop();
}

async function main(): Promise<void> {
  const started = Date.now();
  const needsEmbedded = SUBGRAPHS.some((s) => !setting(`${env(s.name)}_DATABASE_URL`));
  if (needsEmbedded) {
    postgres = await startEmbeddedPostgres({ name: 'hub', port: config.HUB_PG_PORT, persistent: true });
    console.log(`PostgreSQL (embedded) on port ${config.HUB_PG_PORT}, data in .pgdata/hub`);
  }
  for (const definition of SUBGRAPHS) {
    let databaseUrl = setting(`${env(definition.name)}_DATABASE_URL`) as string | undefined;
    if (!databaseUrl) {
      await postgres!.createDatabase(`hub_${definition.name}`);
      databaseUrl = postgres!.urlFor(`hub_${definition.name}`);
    }
    const running = await startSubgraph(definition, {
      databaseUrl,
      port: setting(`${env(definition.name)}_PORT`) as number,
      seed: config.HUB_SEED === 'true',
    });
    subgraphs.push(running);
    console.log(`Subgraph ${definition.name.padEnd(9)} ${running.url}`);
  }
  gateway = await startGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    subgraphUrls: Object.fromEntries(subgraphs.map((s) => [s.name, s.url])),
    port: config.PORT,
  });
  console.log(`\nBündnis-Hub is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${gateway.url}\n`);
  console.log('Try:');
  console.log(`  curl -s ${gateway.url} -H 'content-type: application/json' \\`);
  console.log(`    -d '{"query":"{ networks(region: SL) { name meetings { number date place topics } } }"}'`);
  console.log('\nCtrl-C stops the hub and its PostgreSQL.');
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    stopAll().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
  });
}

main().catch(async (error) => {
  console.error(error instanceof Error ? error.message : error);
  await stopAll().catch(() => undefined);
  process.exit(1);
});
