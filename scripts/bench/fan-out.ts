/**
 * What regional routing costs: the same operations against one instance per subgraph and
 * against one instance per demo region (24 instances), same data, same process.
 *   npm run bench:fan-out [-- --requests 200 --operations FindAlliances,Dashboard]
 * Prints latency percentiles and CPU time per request for each operation and layout, and the ratios regional / single.
 * CPU time is steadier than latency on a shared machine: compare it across commits.
 */
import 'reflect-metadata';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSubgraph, type Region, type RunningSubgraph } from '../../subgraphs/kit/index.js';
import { SUBGRAPHS } from '../../subgraphs/index.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { tokenAuthenticator } from '../../gateway/auth.js';
import { DEMO_REGIONS } from '../../data/demo/regions.js';
import { startEmbeddedPostgres } from '../lib/embedded-postgres.js';
import { SUPERGRAPH_PATH } from '../lib/supergraph.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '200' }, operations: { type: 'string' } } });
const REQUESTS = Number(values.requests);
const SECRETS = { signing: generateKeyPairSync('ed25519'), jwtSecret: randomBytes(32).toString('hex') };

const OPERATIONS: Record<string, string> = {
  NetworkMembers: `{ networks(region: DE) { id name kind region memberAlliances { alliance { id name region foundedOn } since }
    meetings { number date place topics } } }`,
  FindAlliances: `{ alliances(first: 10) { totalCount edges { cursor node { id name region foundedOn municipality { name ags }
    fieldsOfAction memberships { joinedOn organization { name kind } } contacts { name } projects { title status } networks { name } } }
    pageInfo { hasNextPage endCursor } } }`,
  Dashboard: `{ projectStatistics { total byRegion { region count } byFieldOfAction { fieldOfAction count } byStatus { status count }
    byFundingProgramme { programme count } byYear { year count } } }`,
  NodeById: `{ alliance(id: "SL:alliance:saarbruecken") { name contacts { name } } }`,
};

interface Layout { name: string; gateway: RunningGateway; instances: RunningSubgraph[] }

async function startLayout(name: string, groups: (Region[] | undefined)[], createDatabase: (db: string) => Promise<string>): Promise<Layout> {
  const instances = await Promise.all(SUBGRAPHS.flatMap((definition) => groups.map(async (regions) => {
    const db = `${name}_${definition.name}_${regions?.join('_').toLowerCase() ?? 'all'}`;
    return startSubgraph(definition, {
      databaseUrl: await createDatabase(db), port: 0, host: '127.0.0.1', seed: true, regions,
      instanceName: regions ? `${definition.name}-${regions.join('-')}` : definition.name, gatewayPublicKeys: [SECRETS.signing.publicKey],
    });
  })));
  let topologyPath: string | undefined;
  if (groups[0]) {
    topologyPath = join(mkdtempSync(join(tmpdir(), 'hub-bench-')), 'topology.json');
    const subgraphs: Record<string, unknown[]> = {};
    for (const instance of instances) {
      (subgraphs[instance.name] ??= []).push({ name: instance.instanceName, url: instance.url, regions: instance.regions });
    }
    writeFileSync(topologyPath, JSON.stringify({ subgraphs }));
  }
  const gateway = await startGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    subgraphUrls: topologyPath ? undefined : Object.fromEntries(instances.map((i) => [i.name, i.url])),
    topologyPath, port: 0, host: '127.0.0.1',
    security: { signingKey: SECRETS.signing.privateKey, authenticate: await tokenAuthenticator({ secret: SECRETS.jwtSecret }) },
  });
  return { name, gateway, instances };
}

/** Latencies, sorted, and the process's CPU time per request (gateway, instances and client share it; PostgreSQL does not). */
async function measure(url: string, query: string): Promise<{ times: number[]; cpuMs: number }> {
  const body = JSON.stringify({ query });
  const send = async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const result = (await response.json()) as { errors?: unknown[] };
    if (result.errors) throw new Error(JSON.stringify(result.errors));
  };
  for (let i = 0; i < 20; i++) await send();
  const times: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    await send();
    times.push(performance.now() - started);
  }
  const used = process.cpuUsage(cpu);
  return { times: times.sort((a, b) => a - b), cpuMs: (used.user + used.system) / 1000 / REQUESTS };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const pg = await startEmbeddedPostgres({ name: 'bench-fan-out', port: 54395, persistent: false });
try {
  const createDatabase = async (db: string) => { await pg.createDatabase(db); return pg.urlFor(db); };
  const single = await startLayout('single', [undefined], createDatabase);
  const regional = await startLayout('regional', DEMO_REGIONS.map((r) => [r]), createDatabase);
  console.log(`${REQUESTS} sequential requests per operation after 20 warm-up; node ${process.version}; `
    + `single: ${single.instances.length} instances, regional: ${regional.instances.length} instances\n`);
  console.log('| operation | single p50 ms | single p95 ms | single CPU ms | regional p50 ms | regional p95 ms | regional CPU ms | p50 ratio | CPU ratio |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const chosen = values.operations?.split(',');
  for (const [name, query] of Object.entries(OPERATIONS).filter(([name]) => !chosen || chosen.includes(name))) {
    const a = await measure(single.gateway.url, query);
    const b = await measure(regional.gateway.url, query);
    const [pa, pb] = [percentile(a.times, 50), percentile(b.times, 50)];
    console.log(`| ${name} | ${pa.toFixed(2)} | ${percentile(a.times, 95).toFixed(2)} | ${a.cpuMs.toFixed(2)} | ${pb.toFixed(2)} | `
      + `${percentile(b.times, 95).toFixed(2)} | ${b.cpuMs.toFixed(2)} | ${(pb / pa).toFixed(2)} | ${(b.cpuMs / a.cpuMs).toFixed(2)} |`);
  }
  for (const layout of [single, regional]) {
    await layout.gateway.stop();
    await Promise.all(layout.instances.map((i) => i.stop()));
  }
} finally {
  await pg.stop();
}
