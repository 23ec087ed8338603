/**
 * `npm start`: the whole hub on one machine, already regional. With no settings it starts an
 * embedded PostgreSQL (data kept under .pgdata/hub), and for every region in the demo data one
 * instance of each subgraph with its own database (migrated, demo data loaded when empty), writes
 * the topology to .hub/topology.json and starts the gateway on it. Ctrl-C stops everything.
 *
 * Settings (all optional):
 *   PORT               gateway port (4000)
 *   HUB_REGIONS        regions to run, comma-separated (default: those of the demo data)
 *   HUB_DATABASE_URL   a PostgreSQL server to use instead of the embedded one; its user must be
 *                      allowed to create databases (one per subgraph and region: hub_<subgraph>_<region>)
 *   HUB_PG_PORT        port of the embedded PostgreSQL (54320)
 *   HUB_PORT_BASE      first subgraph instance port (4100)
 *   HUB_SEED=false     do not load the demo data
 *   HUB_SIGNING_KEY    the gateway's Ed25519 private key (PKCS#8 PEM); the instances get only its public key
 *                      (default: made once, .hub/gateway-signing-key.pem and .hub/gateway-public-key.pem)
 *   HUB_JWT_SECRET     the token key (default: made once and kept in .hub/secrets.json; `npm run token` uses it)
 *   HUB_METRICS_TOKEN  the bearer token for /metrics (default: made for this run and printed)
 *   HUB_DB_POOL_MAX    connections per instance (default: the server's budget shared by all, see
 *                      kit/connections.ts; the embedded server runs with max_connections 200)
 *   HUB_DB_ACQUIRE_TIMEOUT_MS, HUB_DB_QUEUE_MAX   how long and how many queries wait for a connection
 */
import 'reflect-metadata';
import { createPublicKey, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import pg from 'pg';
import {
  REGIONS, auditRetentionDaysSetting, metricsTokenSetting, port, postgresUrl, readConfig, regionList, signingKeySetting, startSubgraph, tracingFromEnvironment,
  type RunningSubgraph,
} from '../subgraphs/kit/index.js';
import { connectionBudgetFrom, connectionBudgetSettings, poolSizeFor, serverConnectionLimits } from '../subgraphs/kit/connections.js';
import { tokenAuthenticator } from '../gateway/auth.js';
import { devSecrets, devSigningKeys } from './lib/dev-secrets.js';
import { SUBGRAPHS } from '../subgraphs/index.js';
import { startGateway, type RunningGateway } from '../gateway/server.js';
import { DEFAULT_RATE_LIMITS } from '../gateway/rate-limit.js';
import { dashboardRoutes } from '../gateway/dashboard/index.js';
import { DEMO_REGIONS } from '../data/demo/regions.js';
import { PROJECT_ROOT, startEmbeddedPostgres, type EmbeddedPostgresHandle } from './lib/embedded-postgres.js';
import { SUPERGRAPH_PATH } from './lib/supergraph.js';

const config = readConfig(z.object({
  PORT: port(4000),
  HUB_REGIONS: regionList.optional(),
  HUB_DATABASE_URL: postgresUrl.optional(),
  HUB_PG_PORT: port(54320),
  HUB_PORT_BASE: port(4100),
  HUB_SEED: z.enum(['true', 'false']).default('true'),
  HUB_SIGNING_KEY: signingKeySetting.optional(),
  HUB_JWT_SECRET: z.string().min(32).optional(),
  HUB_METRICS_TOKEN: metricsTokenSetting.optional(),
  HUB_AUDIT_RETENTION_DAYS: auditRetentionDaysSetting,
  ...connectionBudgetSettings,
}));
const secrets = {
  jwtSecret: config.HUB_JWT_SECRET ?? devSecrets().jwtSecret,
  signingKey: config.HUB_SIGNING_KEY ?? devSigningKeys().privateKey,
};
// The instances get only the gateway's public key: nothing they hold can sign a request.
const gatewayPublicKeys = [createPublicKey(secrets.signingKey)];
// Metrics stay usable locally: a token for this run unless one is set.
const metricsToken = config.HUB_METRICS_TOKEN ?? randomBytes(32).toString('hex');
tracingFromEnvironment();
const regions = config.HUB_REGIONS ?? DEMO_REGIONS;
export const TOPOLOGY_PATH = join(PROJECT_ROOT, '.hub', 'topology.json');
/** The embedded server is the hub's own: room for 24 instances' pools of 8, or 68 of 2. */
const EMBEDDED_MAX_CONNECTIONS = 200;

let postgres: EmbeddedPostgresHandle | undefined;
const instances: RunningSubgraph[] = [];
let gateway: RunningGateway | undefined;

async function stopAll(): Promise<void> {
  await gateway?.stop();
  await Promise.all(instances.map((s) => s.stop()));
  await postgres?.stop();
}

/** The server's connection limits, read over one short connection. */
async function connectionLimits() {
  const client = new pg.Client({ connectionString: postgres ? postgres.urlFor('postgres') : config.HUB_DATABASE_URL });
  await client.connect();
  try {
    return await serverConnectionLimits(client);
  } finally {
    await client.end();
  }
}

/** A database URL on the chosen server, creating the database when it is missing. */
async function database(name: string): Promise<string> {
  if (postgres) {
    await postgres.createDatabase(name);
    return postgres.urlFor(name);
  }
  const server = new URL(config.HUB_DATABASE_URL!);
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  server.pathname = `/${name}`;
  return server.toString();
}

async function main(): Promise<void> {
  const started = Date.now();
  if (!config.HUB_DATABASE_URL) {
    postgres = await startEmbeddedPostgres({
      name: 'hub', port: config.HUB_PG_PORT, persistent: true, maxConnections: EMBEDDED_MAX_CONNECTIONS,
    });
    console.log(`PostgreSQL (embedded) on port ${config.HUB_PG_PORT}, data in .pgdata/hub`);
  }
  const plan = SUBGRAPHS.flatMap((definition, s) => regions.map((region) => ({
    definition, region, name: `${definition.name}-${region.toLowerCase()}`,
    port: config.HUB_PORT_BASE + s * 20 + REGIONS.indexOf(region),
  })));
  // Every instance's pool fits the server together: no query meets a server without a free connection.
  const limits = await connectionLimits();
  const connections = connectionBudgetFrom(config, poolSizeFor(limits, plan.length, config.HUB_DB_POOL_MAX));
  console.log(`Connections: ${plan.length} instances × up to ${connections.max} (max_connections ${limits.maxConnections}, `
    + `${limits.reserved} reserved); a query waits up to ${connections.acquireTimeoutMs} ms, at most ${connections.maxWaiting} per instance`);
  // Databases one after another (CREATE DATABASE does not like company), instances in parallel.
  const urls = new Map<string, string>();
  for (const entry of plan) urls.set(entry.name, await database(`hub_${entry.name.replace('-', '_')}`));
  instances.push(...await Promise.all(plan.map((entry) => startSubgraph(entry.definition, {
    databaseUrl: urls.get(entry.name)!, port: entry.port, regions: [entry.region], seed: config.HUB_SEED === 'true',
    instanceName: entry.name, gatewayPublicKeys, metricsToken, connections, auditRetentionDays: config.HUB_AUDIT_RETENTION_DAYS,
  }))));
  console.log(`${instances.length} subgraph instances: ${SUBGRAPHS.map((s) => s.name).join(', ')} × ${regions.join(', ')}`);

  mkdirSync(join(PROJECT_ROOT, '.hub'), { recursive: true });
  writeFileSync(TOPOLOGY_PATH, `${JSON.stringify({
    subgraphs: Object.fromEntries(SUBGRAPHS.map((definition) => [definition.name,
      plan.filter((e) => e.definition === definition).map((e) => ({ name: e.name, url: `http://localhost:${e.port}/graphql`, regions: [e.region] }))])),
  }, null, 2)}\n`);
  gateway = await startGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    topologyPath: TOPOLOGY_PATH,
    security: { signingKey: secrets.signingKey, authenticate: await tokenAuthenticator({ secret: secrets.jwtSecret }) },
    routes: dashboardRoutes(),
    metricsToken,
    rateLimits: DEFAULT_RATE_LIMITS,
    port: config.PORT,
  });
  const base = gateway.url.replace(/\/graphql$/, '');
  console.log(`Topology: .hub/topology.json (edit it to add or remove instances; the gateway reloads it)`);
  console.log(`\nBündnis-Hub is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${gateway.url}`);
  console.log(`Dashboard: ${base}/dashboard`);
  // One process: every port of it answers /metrics with the same numbers, the instances' included.
  console.log(`Metrics:   curl -s ${base}/metrics -H "authorization: Bearer ${config.HUB_METRICS_TOKEN ? '$HUB_METRICS_TOKEN' : metricsToken}"\n`);
  console.log('Try:');
  console.log(`  curl -s ${gateway.url} -H 'content-type: application/json' \\`);
  console.log(`    -d '{"query":"{ networks(region: SL) { name meetings { number date place topics } } }"}'`);
  console.log('\nReading is open to everyone; writing needs a token, e.g.:');
  console.log(`  TOKEN=$(npm run --silent token -- --roles editor:SL)   # then: -H "authorization: Bearer $TOKEN"`);
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
