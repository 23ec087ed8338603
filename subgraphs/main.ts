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
  metricsTokenSetting, port, postgresUrl, readConfig, regionList, startSubgraph, tracingFromEnvironment,
} from './kit/index.js';
import { SUBGRAPHS } from './index.js';

const name = process.argv[2];
const definition = SUBGRAPHS.find((s) => s.name === name);
if (!definition) {
  console.error(`Usage: npm run subgraph -- <${SUBGRAPHS.map((s) => s.name).join('|')}>  (settings: DATABASE_URL, PORT, REGIONS, HUB_INSTANCE_NAME, HUB_GATEWAY_PUBLIC_KEYS, HUB_SEED, HUB_METRICS_TOKEN)`);
  process.exit(1);
}
const config = readConfig(z.object({
  DATABASE_URL: postgresUrl,
  PORT: port(4001),
  REGIONS: regionList.optional(),
  HUB_SEED: z.enum(['true', 'false']).default('false'),
  HUB_INSTANCE_NAME: instanceNameSetting,
  HUB_GATEWAY_PUBLIC_KEYS: gatewayPublicKeysSetting,
  HUB_METRICS_TOKEN: metricsTokenSetting.optional(),
  HUB_AUDIT_RETENTION_DAYS: auditRetentionDaysSetting,
  ...connectionBudgetSettings,
}));
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
