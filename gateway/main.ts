/**
 * Runs the gateway on its own:
 *   npm run gateway                          the hub's supergraph (schema/supergraph.graphql)
 *   npm run gateway -- --supergraph FILE     any Federation 2 supergraph, subgraph URLs from the file
 * Settings: PORT (default 4000); <SUBGRAPH>_URL (e.g. ALLIANCES_URL) overrides a subgraph's URL.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { port, readConfig } from '../subgraphs/kit/index.js';
import { SUPERGRAPH_PATH } from '../scripts/lib/supergraph.js';
import { startGateway } from './server.js';

const { values } = parseArgs({ options: { supergraph: { type: 'string' }, port: { type: 'string' } } });
const config = readConfig(z.object({ PORT: port(4000) }));
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
const gateway = await startGateway({
  supergraphSdl,
  subgraphUrls,
  port: values.port ? Number(values.port) : config.PORT,
});
console.log(`Gateway serving ${supergraphPath} at ${gateway.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void gateway.stop().then(() => process.exit(0)));
}
