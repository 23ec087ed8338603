/**
 * Runs the gateway on its own:
 *   npm run gateway                          the hub's supergraph (schema/supergraph.graphql)
 *   npm run gateway -- --topology FILE       … routed by region over the instances the file lists
 *   npm run gateway -- --supergraph FILE     any Federation 2 supergraph, subgraph URLs from the file
 * Settings: PORT (default 4000); HUB_TOPOLOGY (instead of --topology); <SUBGRAPH>_URL (e.g.
 * ALLIANCES_URL) replaces a subgraph's URL when no topology is given. The hub's supergraph also
 * needs HUB_SIGNING_KEY (the Ed25519 private key it signs subgraph requests with; instances hold its
 * public key) and a token key (HUB_JWT_SECRET, HUB_JWT_PUBLIC_KEY or HUB_JWT_JWKS_URL).
 * HUB_METRICS_TOKEN serves /metrics to the scraper sending it as a bearer token (off without it).
 * HUB_EXPLORER=on|off: GraphiQL at GET /graphql for browsers (default: on, off with HUB_ENV=production).
 * HUB_RATE_LIMIT_WINDOW_SECONDS, HUB_RATE_LIMIT_ANONYMOUS and HUB_RATE_LIMIT_SIGNED_IN set the budgets
 * of each caller (rate-limit.ts; 600 points a minute per address, 3,000 per token subject).
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { port } from '../subgraphs/kit/config.js';
import { CommandError, runCommand, type CommandSpec } from '../subgraphs/kit/cli.js';
import { gatewaySecuritySettings, metricsTokenSetting } from '../subgraphs/kit/security-settings.js';
import { keyIdOf } from '../subgraphs/kit/signing.js';
import { tracingFromEnvironment } from '../subgraphs/kit/tracing.js';
import { SUPERGRAPH_PATH } from '../scripts/lib/paths.js';
import { Supergraph } from '@apollo/federation-internals';
import { startGateway } from './server.js';
import { GATEWAY_TUNING_HELP, gatewayTuning, gatewayTuningSettings } from './settings.js';
import { tokenAuthenticator } from './auth.js';
import { HUB_SUBGRAPH } from './regional/hub-subgraph.js';
import { dashboardRoutes } from './dashboard/index.js';

const SPEC: CommandSpec = {
  command: 'npm run gateway --',
  summary: 'Runs the gateway: the hub\'s supergraph (schema/supergraph.graphql), routed by region over the instances a topology file lists, '
    + 'or any Federation 2 supergraph as plain federation.',
  options: {
    supergraph: { type: 'string', value: 'FILE', description: 'the supergraph to serve', default: 'schema/supergraph.graphql' },
    topology: { type: 'string', value: 'FILE', description: 'the topology file (instances and their regions); reloaded when it changes' },
    port: { type: 'string', value: 'PORT', description: 'the port (instead of PORT)' },
  },
  settings: {
    PORT: 'the port (default 4000)',
    HUB_TOPOLOGY: 'the topology file, when --topology is not given',
    '<SUBGRAPH>_URL': 'e.g. ALLIANCES_URL: replaces that subgraph\'s URL of the supergraph (without a topology)',
    HUB_SIGNING_KEY: 'the hub\'s supergraph: the Ed25519 private key (PKCS#8 PEM) that signs every subgraph request',
    'HUB_JWT_SECRET | HUB_JWT_PUBLIC_KEY | HUB_JWT_JWKS_URL': 'the hub\'s supergraph: how tokens are verified (one is required)',
    'HUB_JWT_ISSUER, HUB_JWT_AUDIENCE': 'claims a token must carry (optional)',
    HUB_ENV: 'development or production (default development)',
    HUB_METRICS_TOKEN: 'serves /metrics to the scraper sending it as a bearer token (off without it)',
    HUB_EXPLORER: 'on or off: the GraphQL explorer at GET /graphql for browsers (default on, off with HUB_ENV=production)',
    ...GATEWAY_TUNING_HELP,
    'HUB_LOG_LEVEL, HUB_LOG_FORMAT, HUB_OTEL_ENDPOINT': 'logs and traces',
  },
};

const SETTINGS = z.object({
  PORT: port(4000), HUB_TOPOLOGY: z.string().optional(), HUB_METRICS_TOKEN: metricsTokenSetting.optional(),
  HUB_EXPLORER: z.enum(['on', 'off'], { error: 'must be on or off' }).optional(),
  ...gatewayTuningSettings,
});
const httpUrl = z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL');

runCommand(SPEC, async ({ values, problems }) => {
  const portArgument = values.port === undefined ? undefined : problems.check('--port', port(4000), values.port);
  const config = problems.settings(SETTINGS);
  const supergraphPath = typeof values.supergraph === 'string' ? resolve(values.supergraph) : SUPERGRAPH_PATH;
  let supergraphSdl: string | undefined;
  let subgraphNames: string[] = [];
  try {
    supergraphSdl = readFileSync(supergraphPath, 'utf8');
    subgraphNames = Supergraph.build(supergraphSdl).subgraphsMetadata().map((s) => s.name);
  } catch (error) {
    problems.add(values.supergraph ? '--supergraph' : 'supergraph', `cannot use ${supergraphPath}: ${(error as Error).message.split('\n')[0]}`);
  }
  const topologyPath = (values.topology as string | undefined) ?? config?.HUB_TOPOLOGY;
  if (topologyPath) {
    try {
      accessSync(resolve(topologyPath), constants.R_OK);
    } catch {
      problems.add(values.topology ? '--topology' : 'HUB_TOPOLOGY', `cannot read ${resolve(topologyPath)}`);
    }
  }
  const subgraphUrls: Record<string, string> = {};
  for (const name of subgraphNames.filter((n) => n !== HUB_SUBGRAPH)) {
    const setting = `${name.toUpperCase()}_URL`;
    const value = process.env[setting];
    if (value && problems.check(setting, httpUrl, value)) subgraphUrls[name] = value;
  }
  // The hub's own supergraph is served with its security; any other as plain federation.
  const isHub = subgraphNames.includes(HUB_SUBGRAPH);
  const security = isHub ? problems.settings(gatewaySecuritySettings) : undefined;
  problems.stopIfAny();
  tracingFromEnvironment();
  let gateway;
  try {
    gateway = await startGateway({
      supergraphSdl: supergraphSdl!,
      subgraphUrls,
      security: security && {
        signingKey: security.HUB_SIGNING_KEY,
        authenticate: await tokenAuthenticator({
          secret: security.HUB_JWT_SECRET, publicKey: security.HUB_JWT_PUBLIC_KEY, jwksUrl: security.HUB_JWT_JWKS_URL,
          issuer: security.HUB_JWT_ISSUER, audience: security.HUB_JWT_AUDIENCE,
        }),
      },
      environment: security?.HUB_ENV,
      explorer: config!.HUB_EXPLORER === undefined ? undefined : config!.HUB_EXPLORER === 'on',
      topologyPath: topologyPath ? resolve(topologyPath) : undefined,
      routes: dashboardRoutes(),
      metricsToken: config!.HUB_METRICS_TOKEN,
      ...gatewayTuning(config!),
      port: portArgument ?? config!.PORT,
    });
  } catch (error) {
    throw new CommandError(`The gateway did not start: ${(error as Error).message}`);
  }
  console.log(`Gateway serving ${supergraphPath}${topologyPath ? ` routed by ${topologyPath}` : ''} at ${gateway.url}`
    + (security ? `, signing with key ${keyIdOf(security.HUB_SIGNING_KEY)}` : ''));
  const running = gateway;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void running.stop().then(() => process.exit(0)));
  }
});
