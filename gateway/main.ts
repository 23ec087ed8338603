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
 * HUB_RATE_LIMIT_WINDOW_SECONDS, HUB_RATE_LIMIT_ANONYMOUS and HUB_RATE_LIMIT_SIGNED_IN set the budgets
 * of each caller (rate-limit.ts; 600 points a minute per address, 3,000 per token subject).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { port, readConfig } from '../subgraphs/kit/config.js';
import { gatewaySecuritySettings, metricsTokenSetting } from '../subgraphs/kit/security-settings.js';
import { keyIdOf } from '../subgraphs/kit/signing.js';
import { tracingFromEnvironment } from '../subgraphs/kit/tracing.js';
import { SUPERGRAPH_PATH } from '../scripts/lib/paths.js';
import { Supergraph } from '@apollo/federation-internals';
import { startGateway } from './server.js';
import { DEFAULT_RATE_LIMITS } from './rate-limit.js';
import { tokenAuthenticator } from './auth.js';
import { HUB_SUBGRAPH } from './regional/hub-subgraph.js';
import { dashboardRoutes } from './dashboard/index.js';

const { values } = parseArgs({ options: { supergraph: { type: 'string' }, topology: { type: 'string' }, port: { type: 'string' } } });
const budget = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const config = readConfig(z.object({
  PORT: port(4000), HUB_TOPOLOGY: z.string().optional(), HUB_METRICS_TOKEN: metricsTokenSetting.optional(),
  HUB_RATE_LIMIT_WINDOW_SECONDS: budget(DEFAULT_RATE_LIMITS.windowSeconds),
  HUB_RATE_LIMIT_ANONYMOUS: budget(DEFAULT_RATE_LIMITS.anonymous),
  HUB_RATE_LIMIT_SIGNED_IN: budget(DEFAULT_RATE_LIMITS.signedIn),
}));
tracingFromEnvironment();
const supergraphPath = values.supergraph ? resolve(values.supergraph) : SUPERGRAPH_PATH;
let supergraphSdl: string;
try {
  supergraphSdl = readFileSync(supergraphPath, 'utf8');
} catch (error) {
  console.error(`Cannot read the supergraph ${supergraphPath}: ${(error as Error).message}`);
  process.exit(1);
}
const subgraphUrls = Object.fromEntries(
  Object.entries(process.env)
    .filter(([key, value]) => key.endsWith('_URL') && !key.startsWith('HUB_') && !key.includes('DATABASE') && value)
    .map(([key, value]) => [key.slice(0, -'_URL'.length).toLowerCase(), value as string]),
);
const topologyPath = values.topology ?? config.HUB_TOPOLOGY;
// The hub's own supergraph is served with its security; any other as plain federation.
const isHub = Supergraph.build(supergraphSdl).subgraphsMetadata().some((s) => s.name === HUB_SUBGRAPH);
const security = isHub ? readConfig(gatewaySecuritySettings) : undefined;
let gateway;
try {
  gateway = await startGateway({
    supergraphSdl,
    subgraphUrls,
    security: security && {
      signingKey: security.HUB_SIGNING_KEY,
      authenticate: await tokenAuthenticator({
        secret: security.HUB_JWT_SECRET, publicKey: security.HUB_JWT_PUBLIC_KEY, jwksUrl: security.HUB_JWT_JWKS_URL,
        issuer: security.HUB_JWT_ISSUER, audience: security.HUB_JWT_AUDIENCE,
      }),
    },
    environment: security?.HUB_ENV,
    topologyPath: topologyPath ? resolve(topologyPath) : undefined,
    routes: dashboardRoutes(),
    metricsToken: config.HUB_METRICS_TOKEN,
    rateLimits: {
      ...DEFAULT_RATE_LIMITS, windowSeconds: config.HUB_RATE_LIMIT_WINDOW_SECONDS,
      anonymous: config.HUB_RATE_LIMIT_ANONYMOUS, signedIn: config.HUB_RATE_LIMIT_SIGNED_IN,
    },
    port: values.port ? Number(values.port) : config.PORT,
  });
} catch (error) {
  console.error(`The gateway did not start: ${(error as Error).message}`);
  process.exit(1);
}
console.log(`Gateway serving ${supergraphPath}${topologyPath ? ` routed by ${topologyPath}` : ''} at ${gateway.url}`
  + (security ? `, signing with key ${keyIdOf(security.HUB_SIGNING_KEY)}` : ''));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void gateway.stop().then(() => process.exit(0)));
}
