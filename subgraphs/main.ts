/**
 * Runs one subgraph instance against its own PostgreSQL: what a deployment, or a regional team
 * on its own server, runs.
 *   DATABASE_URL=postgres://… PORT=4101 REGIONS=SL HUB_INSTANCE_NAME=alliances-sl \
 *     HUB_GATEWAY_PUBLIC_KEYS="$(cat gateway-public-key.pem)" npm run subgraph -- alliances
 * REGIONS lists the regions the instance owns (default: all); HUB_INSTANCE_NAME is its name in the
 * topology and HUB_GATEWAY_PUBLIC_KEYS the gateway's public key(s): it answers only requests the
 * gateway signed for that name. Nothing it holds can sign a request. Migrations are applied at start;
 * HUB_SEED=true loads the demo data of those regions into an empty database. HUB_METRICS_TOKEN
 * serves /metrics to the scraper sending it as a bearer token (off without it). HUB_DB_POOL_MAX,
 * HUB_DB_ACQUIRE_TIMEOUT_MS and HUB_DB_QUEUE_MAX set its connection budget (kit/connections.ts).
 * HUB_AUDIT_RETENTION_DAYS is how long its audit log keeps an entry (365 days).
 */
import { z } from 'zod';
import {
  auditRetentionDaysSetting, connectionBudgetFrom, connectionBudgetSettings, gatewayPublicKeysSetting, instanceNameSetting, keyIdOf,
  metricsTokenSetting, port, postgresUrl, regionList, startSubgraph, tracingFromEnvironment,
} from './kit/index.js';
import { SUBGRAPHS } from './index.js';
import { runCommand, type CommandSpec } from './kit/cli.js';

const SPEC: CommandSpec = {
  command: 'npm run subgraph --',
  summary: 'Runs one subgraph instance against its own PostgreSQL: applies the migrations, then serves /graphql (and /health), '
    + 'answering only requests the gateway signed for this instance.',
  positionals: [{ name: 'subgraph', description: SUBGRAPHS.map((s) => s.name).join(', ') }],
  settings: {
    DATABASE_URL: 'the instance\'s database, postgres://… (required)',
    PORT: 'the port (default 4001)',
    REGIONS: 'the regions it owns, comma-separated, e.g. SL or BW,DE (default: all)',
    HUB_INSTANCE_NAME: 'its name in the topology (required)',
    HUB_GATEWAY_PUBLIC_KEYS: 'the gateway\'s Ed25519 public key(s), SPKI PEM, two while rotating (required)',
    HUB_SEED: 'true: load the demo data of its regions into an empty database (default false)',
    HUB_METRICS_TOKEN: 'serves /metrics to the scraper sending it as a bearer token (off without it)',
    'HUB_DB_POOL_MAX, HUB_DB_ACQUIRE_TIMEOUT_MS, HUB_DB_QUEUE_MAX': 'its connection budget (10 connections, 2000 ms, 100 waiting)',
    HUB_AUDIT_RETENTION_DAYS: 'days an audit entry is kept (default 365)',
    'HUB_LOG_LEVEL, HUB_LOG_FORMAT, HUB_OTEL_ENDPOINT': 'logs and traces',
  },
};

const SETTINGS = z.object({
  DATABASE_URL: postgresUrl,
  PORT: port(4001),
  REGIONS: regionList.optional(),
  HUB_SEED: z.enum(['true', 'false']).default('false'),
  HUB_INSTANCE_NAME: instanceNameSetting,
  HUB_GATEWAY_PUBLIC_KEYS: gatewayPublicKeysSetting,
  HUB_METRICS_TOKEN: metricsTokenSetting.optional(),
  HUB_AUDIT_RETENTION_DAYS: auditRetentionDaysSetting,
  ...connectionBudgetSettings,
});

runCommand(SPEC, async ({ positionals, problems }) => {
  const definition = SUBGRAPHS.find((s) => s.name === positionals[0]);
  if (positionals[0] && !definition) problems.add('subgraph', `"${positionals[0]}" is not one of ${SUBGRAPHS.map((s) => s.name).join(', ')}`);
  const config = problems.settings(SETTINGS);
  problems.stopIfAny();
  if (!definition || !config) return 2;
  tracingFromEnvironment();
  const running = await startSubgraph(definition, {
    databaseUrl: config.DATABASE_URL,
    port: config.PORT,
    regions: config.REGIONS,
    seed: config.HUB_SEED === 'true',
    instanceName: config.HUB_INSTANCE_NAME,
    gatewayPublicKeys: config.HUB_GATEWAY_PUBLIC_KEYS,
    metricsToken: config.HUB_METRICS_TOKEN,
    auditRetentionDays: config.HUB_AUDIT_RETENTION_DAYS,
    connections: connectionBudgetFrom(config),
  });
  console.log(`Subgraph ${definition.name} (${config.REGIONS?.join(', ') ?? 'all regions'}) serving ${running.url} as ${config.HUB_INSTANCE_NAME}`
    + ` for the gateway's keys ${config.HUB_GATEWAY_PUBLIC_KEYS.map(keyIdOf).join(', ')}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void running.stop().then(() => process.exit(0)));
  }
});
