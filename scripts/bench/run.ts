/**
 * `npm run bench`: the hub's gateway against stock Apollo Gateway, Hive Gateway and a direct-SQL
 * floor, in one run, on the same supergraph, the same subgraph instances and the same data.
 *
 *   npm run bench                       national scale (scale 1), BENCHMARKS.md written
 *   npm run bench -- --quick [--write]  small scale, short runs (< 2 min); prints only unless --write
 *   npm run bench -- --soak [--minutes 3]   sustained load on the hub (regional), memory sampled every 5 s
 *   options: --scale 0.2 --seed 1 --duration 10 --connections 16 --gateways hub-regional,apollo
 *
 * Layout: one embedded PostgreSQL (port 54401); the generator loads every subgraph twice — one
 * database per region (17 × 4 regional instances) and one holding all regions (4 single
 * instances). The instances run as a deployment runs them, apart from the load: one process per
 * subgraph (subgraph-process.ts; their `onQuery` hook counts SQL statements). Each gateway runs
 * alone in a child process (gateway-process.ts), so its CPU time (`process.cpuUsage()` deltas)
 * and peak RSS are its own. autocannon drives the load from this process.
 *
 * Gateways: hub-regional (shipped: topology over the 68 regional instances), hub-single (the same
 * gateway, one instance per subgraph), apollo (stock @apollo/gateway + @apollo/server defaults,
 * signing in a RemoteGraphQLDataSource subclass), hive (@graphql-hive/gateway-runtime, signing in
 * a custom fetch: it sees the exact body, so no signing proxy), floor (pg, no GraphQL).
 * Signing costs one Ed25519 signature (and one SHA-256 of the body) per subgraph request for every gateway alike.
 */
import './quiet.js';
import 'reflect-metadata';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { REGIONS, type Region } from '../../subgraphs/kit/index.js';
import { SUBGRAPHS } from '../../subgraphs/index.js';
import { PROJECT_ROOT, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../lib/embedded-postgres.js';
import { SUPERGRAPH_PATH, composeHub } from '../lib/supergraph.js';
import { countsOf, databaseName, generateDataset, loadDataset } from './generate.js';
import { BenchChild, type ProcessStats } from './child.js';
import type { GatewayConfig, GatewayKind } from './gateway-process.js';
import type { InstancePlan } from './subgraph-process.js';

export const GATEWAYS = ['hub-regional', 'hub-single', 'apollo', 'hive', 'floor'] as const;
export type GatewayName = typeof GATEWAYS[number];
export const WORKLOADS = ['NetworkMembers', 'FindAlliances', 'Dashboard', 'EntityHeavy'] as const;
export type WorkloadName = typeof WORKLOADS[number];

export function operations(ids: { bigNetwork: string }): Record<WorkloadName, { query: string; variables?: Record<string, unknown> }> {
  return {
    NetworkMembers: { query: `query NetworkMembers { networks(region: DE) { id name kind region
      memberAlliances { alliance { id name region foundedOn } since } meetings { number date place topics } } }` },
    FindAlliances: { query: `query FindAlliances { alliances(first: 50) { totalCount edges { node { id name region foundedOn
      municipality { name ags } fieldsOfAction memberships { joinedOn organization { name kind } } contacts { name }
      projects { title status } networks { name } } } pageInfo { hasNextPage } } }` },
    Dashboard: { query: `query Dashboard {
      projectStatistics { total byRegion { region count } byFieldOfAction { fieldOfAction count } byStatus { status count }
        byFundingProgramme { programme count } byYear { year count } }
      allianceStatistics { total byRegion { region count } byFoundingYear { year count } byFieldOfAction { fieldOfAction count }
        organizationsByKind { kind count } memberships } }` },
    EntityHeavy: { query: `query EntityHeavy($id: ID!) { network(id: $id) { id name memberAlliances { since
      alliance { id name region contacts { name } projects { title status fundingProgramme } } } } }`, variables: { id: ids.bigNetwork } },
  };
}

export interface BenchOptions {
  scale: number;
  seed: number;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  gateways: GatewayName[];
  workloads: WorkloadName[];
  pgPort: number;
  /** Data folder under .pgdata (kept between runs): `bench-run` unless told otherwise. */
  pgName?: string;
  /** false: start everything and check the answers and the statement counts, but measure no load. */
  measure?: boolean;
  log?: (message: string) => void;
  /** Soak: minutes of mixed load on hub-regional after the table. */
  soakMinutes?: number;
}

export interface Measurement {
  gateway: GatewayName;
  workload: WorkloadName;
  rps: number;
  p50: number; p95: number; p99: number;
  requests: number;
  failures: number;
  sqlPerRequest: number;
  cpuMsPerRequest: number;
  peakRssMb: number;
}

export interface BenchResult {
  options: BenchOptions;
  counts: Record<string, number>;
  measurements: Measurement[];
  correctness: { gateway: GatewayName; workload: WorkloadName; ok: boolean; note: string }[];
  statementsBySize: { gateway: GatewayName; small: { rows: number; statements: number }; big: { rows: number; statements: number } }[];
  soak?: { samples: { seconds: number; rssMb: number; heapMb: number }[]; levelsOff: boolean; rps: number };
  machine: string;
  setupSeconds: number;
  supergraphNote: string;
}

// ---------------------------------------------------------------------------------------------

/** A gateway under test in its own process (gateway-process.ts). */
class GatewayChild extends BenchChild {
  constructor() { super('gateway-process.ts'); }

  async start(config: GatewayConfig): Promise<string> {
    const answer = await this.ask({ type: 'start', config });
    if (answer.type !== 'started') throw new Error(`gateway ${config.kind} did not start: ${answer.message as string}`);
    return answer.url as string;
  }

  async stats(reset = false): Promise<ProcessStats> {
    return (await this.ask({ type: reset ? 'reset' : 'stats' })).stats as ProcessStats;
  }
}

/** The instances of one subgraph (regional and single) in one process (subgraph-process.ts). */
class SubgraphHost extends BenchChild {
  constructor() { super('subgraph-process.ts'); }

  async start(instances: InstancePlan[], gatewayPublicKeys: string): Promise<string[]> {
    const answer = await this.ask({ type: 'start', instances, gatewayPublicKeys });
    if (answer.type !== 'started') throw new Error(`subgraph instances did not start: ${answer.message as string}`);
    return answer.urls as string[];
  }

  async statements(): Promise<number> {
    return ((await this.ask({ type: 'stats' })).stats as ProcessStats).statements;
  }
}

// ---------------------------------------------------------------------------------------------

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

async function post(url: string, body: string): Promise<{ data?: unknown; errors?: unknown[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return response.json() as Promise<{ data?: unknown; errors?: unknown[] }>;
}

/** Load at fixed concurrency; latencies from every response (autocannon has no p95 of its own). */
function load(url: string, body: string | string[], connections: number, seconds: number) {
  return new Promise<{ latencies: number[]; requests: number; failures: number; seconds: number }>((resolve, reject) => {
    const latencies: number[] = [];
    const bodies = Array.isArray(body) ? body : [body];
    const instance = autocannon({
      url, connections, duration: seconds, method: 'POST', headers: { 'content-type': 'application/json' },
      ...(bodies.length === 1 ? { body: bodies[0] } : { requests: bodies.map((b) => ({ method: 'POST' as const, body: b })) }),
    }, (error, result) => {
      if (error) return reject(error);
      resolve({ latencies: latencies.sort((a, b) => a - b), requests: result.requests.total, failures: result.non2xx + result.errors + result.timeouts, seconds: result.duration });
    });
    instance.on('response', (_client: unknown, _status: number, _bytes: number, time: number) => latencies.push(time));
  });
}

/**
 * What two gateways' answers must share to count as the same answer: the data with object keys
 * sorted and lists compared as sets (answers merged from several instances in any order).
 */
export function answerFingerprint(data: unknown): string {
  return sortedJson(canonical(data));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical).map((v) => JSON.stringify(v)).sort();
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v)]));
  return value;
}
function countObjects(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((s: number, v) => s + countObjects(v), 0);
  if (value && typeof value === 'object') return 1 + Object.values(value).reduce((s: number, v) => s + countObjects(v), 0);
  return 0;
}
const sortedJson = (value: unknown): string => JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));

export function machineDescription(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'} (${cpus[0]?.speed ?? '?'} MHz), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, `
    + `${os.type()} ${os.release()} ${os.arch()}, Node ${process.version}`;
}

async function raiseConnectionLimit(pgHandle: EmbeddedPostgresHandle): Promise<boolean> {
  const client = new pg.Client({ connectionString: pgHandle.urlFor('postgres') });
  await client.connect();
  try {
    const current = Number((await client.query('show max_connections')).rows[0].max_connections);
    if (current >= 900) return false;
    // 72 instances with pools of up to 10 connections, plus the floor and the generator.
    await client.query('alter system set max_connections = 1000');
    await client.query("alter system set shared_buffers = '256MB'");
    return true;
  } finally {
    await client.end();
  }
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? ((m: string) => console.log(m));
  const started = Date.now();
  // The gateways under test sign with the private key; the instances get only the public key.
  const keys = generateKeyPairSync('ed25519');
  const secrets = { signingKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, jwtSecret: randomBytes(32).toString('hex') };
  const gatewayPublicKeys = keys.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  // schema/supergraph.graphql, unless it is stale against the code (then the gateway would refuse
  // the instances): then the supergraph composed from the code now, with a note.
  const checkedIn = readFileSync(SUPERGRAPH_PATH, 'utf8');
  const composed = (await composeHub()).supergraphSdl;
  const supergraphSdl = composed === checkedIn ? checkedIn : composed;
  const supergraphNote = composed === checkedIn ? 'schema/supergraph.graphql'
    : 'composed from the code at start (schema/supergraph.graphql was stale: run npm run schema)';
  log(`supergraph: ${supergraphNote}`);
  const pgName = options.pgName ?? 'bench-run';
  let postgres = await startEmbeddedPostgres({ name: pgName, port: options.pgPort, persistent: true });
  if (await raiseConnectionLimit(postgres)) {
    await postgres.stop();
    postgres = await startEmbeddedPostgres({ name: pgName, port: options.pgPort, persistent: true });
  }
  const hosts: SubgraphHost[] = [];
  const children: GatewayChild[] = [];
  // Interrupted (Ctrl-C, a time limit): stop the gateways and PostgreSQL instead of leaving them running.
  const interrupted = () => {
    void Promise.all([...children, ...hosts].map((c) => c.stop().catch(() => undefined))).then(() => postgres.stop())
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const dataset = generateDataset({ seed: options.seed, scale: options.scale });
    const counts = countsOf(dataset);
    log(`data (seed ${options.seed}, scale ${options.scale}): ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    const urls = await loadDataset(dataset, { serverUrl: postgres.urlFor('postgres'), layouts: ['regional', 'single'], prefix: 'bench', progress: false });
    log(`loaded ${urls.size} databases in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // One process per subgraph, holding its 17 regional instances and its single instance.
    const plans = SUBGRAPHS.map((definition) => [...REGIONS.map((r) => [r] as Region[]), undefined].map((regions): InstancePlan => ({
      subgraph: definition.name, regions, databaseUrl: urls.get(databaseName('bench', definition.name, regions?.[0] ?? 'all'))!,
      name: regions ? `${definition.name}-${regions[0].toLowerCase()}` : definition.name,
    })));
    const startedHosts = await Promise.all(plans.map(async (plan) => {
      const host = new SubgraphHost();
      hosts.push(host);
      return (await host.start(plan, gatewayPublicKeys)).map((url, i) => ({ ...plan[i], url }));
    }));
    const regional = startedHosts.flatMap((list) => list.filter((i) => i.regions));
    const single = startedHosts.flatMap((list) => list.filter((i) => !i.regions));
    const topologyPath = join(mkdtempSync(join(os.tmpdir(), 'hub-bench-')), 'topology.json');
    writeFileSync(topologyPath, JSON.stringify({
      subgraphs: Object.fromEntries(SUBGRAPHS.map((d) => [d.name, regional.filter((i) => i.subgraph === d.name)
        .map((i) => ({ name: i.name, url: i.url, regions: i.regions }))])),
    }));
    const subgraphUrls = Object.fromEntries(single.map((i) => [i.subgraph, i.url]));
    const databaseUrls = Object.fromEntries(SUBGRAPHS.map((d) => [d.name, urls.get(databaseName('bench', d.name, 'all'))!]));
    const setupSeconds = (Date.now() - started) / 1000;
    log(`${regional.length + single.length} subgraph instances in ${hosts.length} processes up after ${setupSeconds.toFixed(1)} s`);

    const ops = operations(dataset.ids);
    const bodyOf = (w: WorkloadName, variables = ops[w].variables) => JSON.stringify({ query: ops[w].query, operationName: w, ...(variables ? { variables } : {}) });
    const configOf = (gateway: GatewayName): GatewayConfig => ({
      kind: (gateway.startsWith('hub') ? 'hub' : gateway) as GatewayKind, supergraphSdl, ...secrets,
      topologyPath: gateway === 'hub-regional' ? topologyPath : undefined, subgraphUrls, databaseUrls,
    });
    // One gateway runs at a time: every statement the instances send meanwhile is its.
    const statementCount = async (gateway: GatewayName, child: GatewayChild) => (gateway === 'floor'
      ? (await child.stats()).statements : (await Promise.all(hosts.map((h) => h.statements()))).reduce((a, b) => a + b, 0));

    const measurements: Measurement[] = [];
    const correctness: BenchResult['correctness'] = [];
    const statementsBySize: BenchResult['statementsBySize'] = [];
    const reference = new Map<WorkloadName, string>();
    for (const gateway of options.gateways) {
      const child = new GatewayChild();
      children.push(child);
      const url = await child.start(configOf(gateway));
      // Correctness, once per workload: no errors, same data as the first gateway (lists compared as sets).
      for (const workload of options.workloads) {
        const answer = await post(url, bodyOf(workload));
        let ok = !answer.errors && answer.data !== undefined && answer.data !== null;
        let note = answer.errors ? `errors: ${JSON.stringify(answer.errors).slice(0, 300)}` : `${countObjects(answer.data)} objects`;
        const text = answerFingerprint(answer.data);
        if (!reference.has(workload) && ok) reference.set(workload, text);
        else if (ok && reference.get(workload) !== text) { ok = false; note += ', DIFFERS from the first gateway\'s answer'; }
        correctness.push({ gateway, workload, ok, note });
        if (!ok) log(`!! ${gateway} ${workload}: ${note}`);
      }
      // SQL statements for 17 rows and for the big network (the same operation).
      if (options.workloads.includes('EntityHeavy')) {
        const sized = async (id: string) => {
          const before = await statementCount(gateway, child);
          const answer = await post(url, bodyOf('EntityHeavy', { id }));
          return { rows: countObjects(answer.data), statements: (await statementCount(gateway, child)) - before };
        };
        await sized(dataset.ids.smallNetwork);
        statementsBySize.push({ gateway, small: await sized(dataset.ids.smallNetwork), big: await sized(dataset.ids.bigNetwork) });
      }
      if (options.measure === false) {
        await child.stop();
        continue;
      }
      for (const workload of options.workloads) {
        const body = bodyOf(workload);
        if (options.warmupSeconds > 0) await load(url, body, options.connections, options.warmupSeconds);
        await child.gc();
        const before = await child.stats(true);
        const sqlBefore = await statementCount(gateway, child);
        const run = await load(url, body, options.connections, options.durationSeconds);
        const sqlAfter = await statementCount(gateway, child);
        const after = await child.stats();
        const m: Measurement = {
          gateway, workload, rps: run.requests / run.seconds, requests: run.requests, failures: run.failures,
          p50: percentile(run.latencies, 50), p95: percentile(run.latencies, 95), p99: percentile(run.latencies, 99),
          sqlPerRequest: (sqlAfter - sqlBefore) / Math.max(1, run.requests),
          cpuMsPerRequest: (after.cpuMicros - before.cpuMicros) / 1000 / Math.max(1, run.requests),
          peakRssMb: after.peakRss / 2 ** 20,
        };
        measurements.push(m);
        log(`${gateway.padEnd(12)} ${workload.padEnd(14)} ${m.rps.toFixed(1).padStart(8)} req/s  p50 ${m.p50.toFixed(1)} p95 ${m.p95.toFixed(1)} p99 ${m.p99.toFixed(1)} ms  `
          + `SQL/req ${m.sqlPerRequest.toFixed(1)}  CPU ${m.cpuMsPerRequest.toFixed(2)} ms/req  peak RSS ${m.peakRssMb.toFixed(0)} MB${m.failures ? `  FAILURES ${m.failures}` : ''}`);
      }
      await child.stop();
    }

    let soak: BenchResult['soak'];
    if (options.soakMinutes) {
      const child = new GatewayChild();
      children.push(child);
      const url = await child.start(configOf('hub-regional'));
      const samples: { seconds: number; rssMb: number; heapMb: number }[] = [];
      const t0 = Date.now();
      // Heap sampled right after a full collection: what is still reachable, not what awaits the
      // next collection (sampled without it, the heap saw-tooths between 140 and 445 MB).
      const sampler = setInterval(() => void child.gc().then(() => child.stats()).then((s) => {
        samples.push({ seconds: (Date.now() - t0) / 1000, rssMb: s.rss / 2 ** 20, heapMb: s.heapUsed / 2 ** 20 });
        log(`soak ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s  rss ${(s.rss / 2 ** 20).toFixed(0)} MB  heap after GC ${(s.heapUsed / 2 ** 20).toFixed(0)} MB`);
      }), 5_000);
      const run = await load(url, options.workloads.map((w) => bodyOf(w)), options.connections, options.soakMinutes * 60);
      clearInterval(sampler);
      await child.stop();
      // Levels off: the last third's average heap within 10 % of the middle third's.
      const third = Math.max(1, Math.floor(samples.length / 3));
      const avg = (list: typeof samples) => list.reduce((s, x) => s + x.heapMb, 0) / Math.max(1, list.length);
      const middle = avg(samples.slice(third, 2 * third));
      const last = avg(samples.slice(-third));
      const levelsOff = last <= middle * 1.1;
      soak = { samples, levelsOff, rps: run.requests / run.seconds };
      log(`soak: ${soak.rps.toFixed(1)} req/s; heap middle third ${middle.toFixed(0)} MB, last third ${last.toFixed(0)} MB → ${levelsOff ? 'levels off' : 'still GROWING'}`);
    }
    return { options, counts, measurements, correctness, statementsBySize, soak, machine: machineDescription(), setupSeconds, supergraphNote };
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await Promise.all(children.map((c) => c.stop().catch(() => undefined)));
    await Promise.all(hosts.map((h) => h.stop().catch(() => undefined)));
    await postgres.stop();
  }
}

// ---------------------------------------------------------------------------------------------

export function targets(result: BenchResult): { target: string; value: string; met: boolean | undefined }[] {
  const get = (g: GatewayName, w: WorkloadName) => result.measurements.find((m) => m.gateway === g && m.workload === w);
  const rows: { target: string; value: string; met: boolean | undefined }[] = [];
  for (const workload of result.options.workloads) {
    const hub = get('hub-regional', workload);
    const hubSingle = get('hub-single', workload);
    const apollo = get('apollo', workload);
    const hive = get('hive', workload);
    if (hub && apollo) rows.push({ target: `${workload}: hub (regional) ≥ 2× stock Apollo req/s`, value: `${(hub.rps / apollo.rps).toFixed(2)}×`, met: hub.rps >= 2 * apollo.rps });
    if (hubSingle && apollo) rows.push({ target: `${workload}: hub (single) ≥ 2× stock Apollo req/s`, value: `${(hubSingle.rps / apollo.rps).toFixed(2)}×`, met: hubSingle.rps >= 2 * apollo.rps });
    if (hub && hive) rows.push({ target: `${workload}: hub (regional) ≥ Hive req/s`, value: `${(hub.rps / hive.rps).toFixed(2)}×`, met: hub.rps >= hive.rps });
    if (hubSingle && hive) rows.push({ target: `${workload}: hub (single) ≥ Hive req/s`, value: `${(hubSingle.rps / hive.rps).toFixed(2)}×`, met: hubSingle.rps >= hive.rps });
    if (hub && hubSingle) rows.push({ target: `${workload}: fan-out over 17 instances p50 ≤ 1.2× one instance`, value: `${(hub.p50 / hubSingle.p50).toFixed(2)}×`, met: hub.p50 <= 1.2 * hubSingle.p50 });
  }
  const floor = get('floor', 'NetworkMembers');
  for (const g of ['hub-regional', 'hub-single'] as const) {
    const nm = get(g, 'NetworkMembers');
    if (nm && floor) rows.push({ target: `NetworkMembers p50: ${g} ≤ 1.5× floor`, value: `${(nm.p50 / floor.p50).toFixed(2)}×`, met: nm.p50 <= 1.5 * floor.p50 });
  }
  for (const s of result.statementsBySize) {
    rows.push({
      target: `SQL statements per request same at ${s.small.rows} and ${s.big.rows} objects (${s.gateway})`,
      value: `${s.small.statements} vs ${s.big.statements}`, met: s.small.statements === s.big.statements,
    });
  }
  return rows;
}

export function report(result: BenchResult): string {
  const o = result.options;
  const lines: string[] = [];
  lines.push(`Machine: ${result.machine}`);
  lines.push(`Supergraph: ${result.supergraphNote}, the same for every gateway.`);
  lines.push(`Data: seed ${o.seed}, scale ${o.scale}: ${Object.entries(result.counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  lines.push(`Load: autocannon, ${o.connections} connections, ${o.warmupSeconds} s warm-up + ${o.durationSeconds} s per gateway × workload; `
    + `autocannon in one process, the instances in one process per subgraph, each gateway in its own; one PostgreSQL 18 (embedded) for all.`);
  lines.push('');
  lines.push('| workload | gateway | req/s | p50 ms | p95 ms | p99 ms | SQL/req | gateway CPU ms/req | peak RSS MB | failed |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const w of o.workloads) {
    for (const m of result.measurements.filter((x) => x.workload === w)) {
      lines.push(`| ${w} | ${m.gateway} | ${m.rps.toFixed(1)} | ${m.p50.toFixed(1)} | ${m.p95.toFixed(1)} | ${m.p99.toFixed(1)} | ${m.sqlPerRequest.toFixed(1)} | `
        + `${m.cpuMsPerRequest.toFixed(2)} | ${m.peakRssMb.toFixed(0)} | ${m.failures} |`);
    }
  }
  lines.push('');
  lines.push('| target | value | met |');
  lines.push('| --- | ---: | --- |');
  for (const t of targets(result)) lines.push(`| ${t.target} | ${t.value} | ${t.met === undefined ? '–' : t.met ? 'yes' : '**no**'} |`);
  const bad = result.correctness.filter((c) => !c.ok);
  lines.push('');
  lines.push(bad.length ? `Correctness: ${bad.length} answers FAILED: ${bad.map((b) => `${b.gateway}/${b.workload}: ${b.note}`).join('; ')}`
    : 'Correctness: every gateway answered every workload without errors and with the same data (lists compared as sets).');
  if (result.soak) {
    lines.push('');
    lines.push(`Soak (hub-regional, all workloads round-robin, ${o.soakMinutes} min): ${result.soak.rps.toFixed(1)} req/s; heap MB every 5 s: `
      + `${result.soak.samples.map((s) => s.heapMb.toFixed(0)).join(' ')} (after a full GC) → ${result.soak.levelsOff ? 'levels off' : 'still growing'}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false }, write: { type: 'boolean', default: false }, soak: { type: 'boolean', default: false },
      minutes: { type: 'string' }, scale: { type: 'string' }, seed: { type: 'string', default: '1' }, duration: { type: 'string' },
      warmup: { type: 'string' }, 'pg-port': { type: 'string' }, connections: { type: 'string' }, gateways: { type: 'string' }, workloads: { type: 'string' },
    },
  });
  const quick = values.quick;
  const options: BenchOptions = {
    scale: Number(values.scale ?? (quick ? 0.03 : 1)),
    seed: Number(values.seed),
    durationSeconds: Number(values.duration ?? (quick ? 2 : 10)),
    warmupSeconds: Number(values.warmup ?? (quick ? 0.5 : 2)),
    connections: Number(values.connections ?? (quick ? 8 : 16)),
    gateways: (values.gateways?.split(',') ?? [...GATEWAYS]) as GatewayName[],
    workloads: (values.workloads?.split(',') ?? [...WORKLOADS]) as WorkloadName[],
    pgPort: Number(values['pg-port'] ?? 54415),
    soakMinutes: values.soak ? Number(values.minutes ?? 3) : undefined,
  };
  const result = await runBench(options);
  const text = report(result);
  console.log(`\n${text}`);
  if (!quick || values.write) {
    const path = join(PROJECT_ROOT, 'BENCHMARKS.md');
    writeFileSync(path, `# Benchmarks\n\nWritten by \`npm run bench${quick ? ' -- --quick --write' : ''}\` (scripts/bench/run.ts) on ${new Date().toISOString().slice(0, 10)}. `
      + `How it is measured: see the comment at the top of scripts/bench/run.ts.\n\n${text}\n`);
    console.log(`\nwritten to ${path}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
}
