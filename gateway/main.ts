/**
 * Runs the gateway on its own:
 *   npm run gateway                          the hub's supergraph (schema/supergraph.graphql)
 *   npm run gateway -- --topology FILE       … routed by region over the instances the file lists
 *   npm run gateway -- --supergraph FILE     any Federation 2 supergraph, subgraph URLs from the file
 * Settings: PORT (default 4000); HUB_TOPOLOGY (instead of --topology); <SUBGRAPH>_URL (e.g.
 * ALLIANCES_URL) replaces a subgraph's URL when no topology is given.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { port, readConfig } from '../subgraphs/kit/index.js';
import { SUPERGRAPH_PATH } from '../scripts/lib/supergraph.js';
import { startGateway } from './server.js';
import { dashboardRoutes } from './dashboard/index.js';

const { values } = parseArgs({ options: { supergraph: { type: 'string' }, topology: { type: 'string' }, port: { type: 'string' } } });
const config = readConfig(z.object({ PORT: port(4000), HUB_TOPOLOGY: z.string().optional() }));
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
    .filter(([key, value]) => key.endsWith('_URL') && !key.includes('DATABASE') && value)
    .map(([key, value]) => [key.slice(0, -'_URL'.length).toLowerCase(), value as string]),
);
const topologyPath = values.topology ?? config.HUB_TOPOLOGY;
let gateway;
try {
  gateway = await startGateway({
    supergraphSdl,
    subgraphUrls,
    topologyPath: topologyPath ? resolve(topologyPath) : undefined,
    routes: dashboardRoutes(),
    port: values.port ? Number(values.port) : config.PORT,
    log: (message) => console.log(message),
  });
} catch (error) {
  console.error(`The gateway did not start: ${(error as Error).message}`);
  process.exit(1);
}
console.log(`Gateway serving ${supergraphPath}${topologyPath ? ` routed by ${topologyPath}` : ''} at ${gateway.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void gateway.stop().then(() => process.exit(0)));
}
