/**
 * Runs the gateway on its own:
 *   npm run gateway                          the hub's supergraph (schema/supergraph.graphql)
 *   npm run gateway -- --topology FILE       … routed by region over the instances the file lists
 *   npm run gateway -- --supergraph FILE     any Federation 2 supergraph, subgraph URLs from the file
 * Settings: PORT (default 4000); HUB_TOPOLOGY (instead of --topology); <SUBGRAPH>_URL (e.g.
 * ALLIANCES_URL) replaces a subgraph's URL when no topology is given. The hub's supergraph also
 * needs HUB_INTERNAL_SECRET and a token key (HUB_JWT_SECRET, HUB_JWT_PUBLIC_KEY or HUB_JWT_JWKS_URL).
 * HUB_METRICS_TOKEN serves /metrics to the scraper sending it as a bearer token (off without it).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { gatewaySecuritySettings, metricsTokenSetting, port, readConfig, tracingFromEnvironment } from '../subgraphs/kit/index.js';
import { SUPERGRAPH_PATH } from '../scripts/lib/supergraph.js';
import { Supergraph } from '@apollo/federation-internals';
import { startGateway } from './server.js';
import { tokenAuthenticator } from './auth.js';
import { HUB_SUBGRAPH } from './regional/hub-subgraph.js';
import { dashboardRoutes } from './dashboard/index.js';

const { values } = parseArgs({ options: { supergraph: { type: 'string' }, topology: { type: 'string' }, port: { type: 'string' } } });
const config = readConfig(z.object({
  PORT: port(4000), HUB_TOPOLOGY: z.string().optional(), HUB_METRICS_TOKEN: metricsTokenSetting.optional(),
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
      internalSecret: security.HUB_INTERNAL_SECRET,
      authenticate: await tokenAuthenticator({
        secret: security.HUB_JWT_SECRET, publicKey: security.HUB_JWT_PUBLIC_KEY, jwksUrl: security.HUB_JWT_JWKS_URL,
        issuer: security.HUB_JWT_ISSUER, audience: security.HUB_JWT_AUDIENCE,
      }),
    },
    environment: security?.HUB_ENV,
    topologyPath: topologyPath ? resolve(topologyPath) : undefined,
    routes: dashboardRoutes(),
    metricsToken: config.HUB_METRICS_TOKEN,
    port: values.port ? Number(values.port) : config.PORT,
  });
} catch (error) {
  console.error(`The gateway did not start: ${(error as Error).message}`);
  process.exit(1);
}
console.log(`Gateway serving ${supergraphPath}${topologyPath ? ` routed by ${topologyPath}` : ''} at ${gateway.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void gateway.stop().then(() => process.exit(0)));
}
