/**
 * `npm run bench`: the hub's gateway against stock Apollo Gateway, Hive Gateway and a direct-SQL
 * floor, in one run, on the same supergraph, the same subgraph instances, the same data and the
 * same seeded sequence of varied requests per workload (requests.ts).
 *
 *   npm run bench                       national scale (scale 1), BENCHMARKS.md written
 *   npm run bench -- --quick [--write]  small scale, short runs; prints only unless --write
 *   npm run bench -- --soak [--minutes 3]   sustained mixed load on the hub (regional), memory sampled every 5 s
 *   options: --scale 0.2 --seed 1 --duration 10 --rounds 2 --connections 16 --gateways hub-regional,apollo
 *            --workloads NetworkMembers,Dashboard --no-extra (without the repeated and signed-in rows)
 *
 * Layout: one embedded PostgreSQL; the generator loads every subgraph twice — one database per
 * region (17 × 4 regional instances) and one holding all regions (4 single instances). The
 * instances run as a deployment runs them, apart from the load: one process per subgraph
 * (subgraph-process.ts; their `onQuery` hook counts SQL statements). Each gateway runs alone in a
 * child process (gateway-process.ts), so its CPU time and peak RSS are its own; the load driver
 * (driver.ts) runs in this process and checks every answer: only good ones count.
 *
 * Gateways: hub-regional (the topology over the 68 regional instances) and hub-single (one
 * instance per subgraph), each as shipped (in-flight sharing and the answer cache on) and `-bare`
 * (every gateway-side saving off: the work itself); apollo (stock @apollo/gateway + @apollo/server
 * defaults, signing in a RemoteGraphQLDataSource subclass); hive (@graphql-hive/gateway-runtime,
 * signing in a custom fetch); floor (pg, no GraphQL, the same answers). Named only:
 * hub-grouped[-bare], the hub over 4 instances per subgraph (REGION_GROUPS in generate.ts), for
 * the curve over 1, 4 and 17 instances.
 * Signing costs one Ed25519 signature (and one SHA-256 of the body) per subgraph request for every gateway alike.
 *
 * Order: all gateways start; a sample of each workload's requests is answered by every gateway and
 * compared in order with stock Apollo's; SQL statements are counted for a small and a big network;
 * a start-up load per workload goes through the bare hub over each layout (reported apart: the
 * first load of a run finds code and buffers cold); then `rounds` rounds of varied load (each
 * round every gateway × workload, every other round in reverse order, so a slow minute of the
 * machine spreads over all), then the repeated-request and signed-in rows.
 */
import './quiet.js';
import 'reflect-metadata';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { REGIONS, type Region } from '../../subgraphs/kit/index.js';
import { SUBGRAPHS } from '../../subgraphs/index.js';
import { PROJECT_ROOT, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../lib/embedded-postgres.js';
import { SUPERGRAPH_PATH, composeHub } from '../lib/supergraph.js';
import { REGION_GROUPS, countsOf, databaseName, generateDataset, loadDataset, type Layout } from './generate.js';
import { BenchChild, SubgraphHost, type ProcessStats } from './child.js';
import { drive } from './driver.js';
import { parentOf, postgresCpuMicros } from './postgres-cpu.js';
import { WORKLOADS, requestSequence, type BenchRequest, type WorkloadName } from './requests.js';
import type { GatewayConfig, GatewayKind } from './gateway-process.js';
import type { InstancePlan } from './subgraph-process.js';

export const GATEWAYS = ['hub-regional', 'hub-single', 'hub-regional-bare', 'hub-single-bare', 'apollo', 'hive', 'floor'] as const;
/** The hub over 4 instances per subgraph (REGION_GROUPS), for the curve over 1, 4 and 17 instances: run when named. */
export const GROUPED_GATEWAYS = ['hub-grouped', 'hub-grouped-bare'] as const;
export type GatewayName = typeof GATEWAYS[number] | typeof GROUPED_GATEWAYS[number];
export { WORKLOADS, type WorkloadName };

/**
 * How a workload's requests vary during one measurement. `start-up`: the run's first load of the
 * workload, through the bare hub before round 1; reported on its own and counted for no target.
 */
export type Mode = 'varied' | 'repeated' | 'signed-in' | 'start-up';

/** The operation whose SQL statements are counted for a small and a big network (not a load workload). */
export const ENTITY_HEAVY = `query EntityHeavy($id: ID!) { network(id: $id) { id name memberAlliances { since
  alliance { id name region contacts { name } projects { title status fundingProgramme } } } } }`;

export interface BenchOptions {
  scale: number;
  seed: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Seconds of start-up load per workload and layout before round 1 (0: none). */
  startupSeconds?: number;
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
  /** Rounds of the varied runs (spread); at least 2 for a published table. */
  rounds?: number;
  /** Requests per workload answered by every gateway and compared in order with the reference (stock Apollo when it runs). */
  sampleSize?: number;
  /** Also the labelled repeated-request and signed-in rows (default true). */
  extraModes?: boolean;
}

export interface Measurement {
  gateway: GatewayName;
  workload: WorkloadName;
  mode: Mode;
  round: number;
  /** Good answers per second: bad ones are never throughput. */
  rps: number;
  p50: number; p95: number; p99: number;
  /** Good answers. */
  requests: number;
  /** Bad answers (HTTP status, errors, missing data), with the most frequent reasons. */
  failures: number;
  failureReasons: [string, number][];
  sqlPerRequest: number;
  /** Requests the subgraph instances answered per answer (each instance asked counts; the floor has none). */
  subgraphRequestsPerRequest: number;
  cpuMsPerRequest: number;
  /** CPU of the subgraph processes per answer (the floor has none: its SQL runs in its own process). */
  subgraphCpuMsPerRequest: number;
  /** CPU of PostgreSQL's processes per answer; undefined where /proc cannot be read. */
  postgresCpuMsPerRequest?: number;
  peakRssMb: number;
}

export interface SizedAnswer { rows: number; statements: number; subgraphRequests: number }

export interface BenchResult {
  options: BenchOptions;
  counts: Record<string, number>;
  measurements: Measurement[];
  correctness: { gateway: GatewayName; workload: WorkloadName; ok: boolean; note: string }[];
  /** Per network size: objects in the answer, SQL statements, and requests the subgraph instances answered. */
  statementsBySize: { gateway: GatewayName; small: SizedAnswer; big: SizedAnswer }[];
  soak?: { samples: { seconds: number; rssMb: number; heapMb: number }[]; levelsOff: boolean; rps: number; bad: number };
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

/** A signed-in caller without roles: reads what the public reads, but as a viewer of its own. */
function userToken(secret: string, subject: string): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setExpirationTime('2h').sign(new TextEncoder().encode(secret));
}

// ---------------------------------------------------------------------------------------------

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ data?: unknown; errors?: unknown[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return response.json() as Promise<{ data?: unknown; errors?: unknown[] }>;
}

/**
 * What two gateways' answers must share to count as the same answer: the data with object keys
 * sorted (field order is the client's, not the data's) and every list in its order, since each
 * list of the schema documents one.
 */
export function answerFingerprint(data: unknown): string {
  return sortedJson(data);
}

/** Where two answers first differ (a JSON path and both values), for the report. */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
      if (d) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${path}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`;
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
  return pgHandle.admin(async (client) => {
    const current = Number((await client.query('show max_connections')).rows[0].max_connections);
    if (current >= 900) return false;
    // 72 instances with pools of up to 10 connections, plus the floor and the generator.
    await client.query('alter system set max_connections = 1000');
    await client.query("alter system set shared_buffers = '256MB'");
    return true;
  });
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
  // Every backend is the postmaster's child: its CPU, and theirs, is the server's (postgres-cpu.ts).
  // Read while the backend runs: it ends with the admin connection.
  const postmaster = await postgres.admin(async (client) => parentOf(Number((await client.query('select pg_backend_pid() as pid')).rows[0].pid)));
  const postgresCpu = () => (postmaster === undefined ? undefined : postgresCpuMicros(postmaster));
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
    const grouped = options.gateways.some((g) => g.startsWith('hub-grouped'));
    const layouts: Layout[] = grouped ? ['regional', 'grouped', 'single'] : ['regional', 'single'];
    const urls = await loadDataset(dataset, { serverUrl: postgres.urlFor('postgres'), layouts, prefix: 'bench', progress: false, onlyReplaceOwn: true });
    log(`loaded ${urls.size} databases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // The load's pages written out now, not by a checkpoint during the first measurements.
    await postgres.admin((client) => client.query('checkpoint'));

    // One process per subgraph, holding its 17 regional instances, its 4 grouped ones (when run) and its single instance.
    const groups: [string, Region[] | undefined, Layout][] = [
      ...REGIONS.map((r): [string, Region[], Layout] => [r, [r], 'regional']),
      ...(grouped ? Object.entries(REGION_GROUPS).map(([name, regions]): [string, Region[], Layout] => [name, [...regions], 'grouped']) : []),
      ['all', undefined, 'single'],
    ];
    const layoutOf = new Map<string, Layout>();
    const plans = SUBGRAPHS.map((definition) => groups.map(([group, regions, layout]): InstancePlan => {
      const name = regions ? `${definition.name}-${group.toLowerCase()}` : definition.name;
      layoutOf.set(name, layout);
      return { subgraph: definition.name, regions, databaseUrl: urls.get(databaseName('bench', definition.name, group))!, name };
    }));
    const startedHosts = await Promise.all(plans.map(async (plan) => {
      const host = new SubgraphHost();
      hosts.push(host);
      return (await host.start(plan, gatewayPublicKeys)).map((url, i) => ({ ...plan[i], url }));
    }));
    const instances = startedHosts.flat();
    const single = instances.filter((i) => !i.regions);
    const topologyOf = (layout: 'regional' | 'grouped') => {
      const path = join(mkdtempSync(join(os.tmpdir(), 'hub-bench-')), `${layout}.json`);
      const chosen = instances.filter((i) => layoutOf.get(i.name) === layout);
      writeFileSync(path, JSON.stringify({
        subgraphs: Object.fromEntries(SUBGRAPHS.map((d) => [d.name, chosen.filter((i) => i.subgraph === d.name)
          .map((i) => ({ name: i.name, url: i.url, regions: i.regions }))])),
      }));
      return path;
    };
    const topologyPaths = { regional: topologyOf('regional'), grouped: grouped ? topologyOf('grouped') : undefined };
    const subgraphUrls = Object.fromEntries(single.map((i) => [i.subgraph, i.url]));
    const databaseUrls = Object.fromEntries(SUBGRAPHS.map((d) => [d.name, urls.get(databaseName('bench', d.name, 'all'))!]));
    const setupSeconds = (Date.now() - started) / 1000;
    log(`${instances.length} subgraph instances in ${hosts.length} processes up after ${setupSeconds.toFixed(1)} s`);

    const entityHeavyBody = (id: string) => JSON.stringify({ query: ENTITY_HEAVY, operationName: 'EntityHeavy', variables: { id } });
    const configOf = (gateway: GatewayName): GatewayConfig => ({
      kind: (gateway.startsWith('hub') ? 'hub' : gateway) as GatewayKind, supergraphSdl, ...secrets,
      topologyPath: gateway.startsWith('hub-regional') ? topologyPaths.regional : gateway.startsWith('hub-grouped') ? topologyPaths.grouped : undefined,
      subgraphUrls, databaseUrls,
      savings: !gateway.endsWith('-bare'),
    });
    // One gateway is loaded at a time: every statement the instances send meanwhile is its.
    // The subgraph processes' statements and CPU, added up; the floor's statements are its own process's.
    const subgraphStats = async () => (await Promise.all(hosts.map((h) => h.stats())))
      .reduce((sum, s) => ({ statements: sum.statements + s.statements, operations: sum.operations + s.operations, cpuMicros: sum.cpuMicros + s.cpuMicros }),
        { statements: 0, operations: 0, cpuMicros: 0 });
    const sample = async (gateway: GatewayName, child: GatewayChild) => {
      const subgraphs = await subgraphStats();
      return {
        statements: gateway === 'floor' ? (await child.stats()).statements : subgraphs.statements,
        subgraphOperations: subgraphs.operations, subgraphCpuMicros: subgraphs.cpuMicros,
      };
    };

    const running = new Map<GatewayName, { child: GatewayChild; url: string }>();
    for (const gateway of options.gateways) {
      const child = new GatewayChild();
      children.push(child);
      running.set(gateway, { child, url: await child.start(configOf(gateway)) });
    }

    // Correctness: the same sample of varied requests to every gateway, each answer compared in
    // order with the reference gateway's (stock Apollo when it runs): no errors, same data.
    const correctness: BenchResult['correctness'] = [];
    const referenceGateway: GatewayName = options.gateways.includes('apollo') ? 'apollo' : options.gateways[0];
    const sampleSize = options.sampleSize ?? 20;
    for (const workload of options.workloads) {
      const sample = requestSequence(workload, dataset, { seed: options.seed, length: sampleSize });
      // One request at a time: this checks answers, and a burst could overload an instance's pool.
      const answersOf = async (gateway: GatewayName) => {
        const answers: Awaited<ReturnType<typeof post>>[] = [];
        for (const request of sample) answers.push(await post(running.get(gateway)!.url, request.body));
        return answers;
      };
      const reference = await answersOf(referenceGateway);
      for (const gateway of options.gateways) {
        const answers = gateway === referenceGateway ? reference : await answersOf(gateway);
        const problems: string[] = [];
        answers.forEach((answer, i) => {
          if (answer.errors?.length || !answer.data) problems.push(`#${i} ${JSON.stringify(sample[i].variables)}: errors ${JSON.stringify(answer.errors).slice(0, 200)}`);
          else if (answerFingerprint(answer.data) !== answerFingerprint(reference[i].data)) {
            problems.push(`#${i} ${JSON.stringify(sample[i].variables)}: differs from ${referenceGateway} at ${firstDifference(answer.data, reference[i].data)}`);
          }
        });
        const objects = answers.reduce((n, a) => n + countObjects(a.data), 0);
        const note = problems.length ? `${problems.length} of ${sample.length} answers bad; ${problems.slice(0, 2).join('; ')}`
          : `${sample.length} answers, ${objects} objects, ${gateway === referenceGateway ? 'the reference' : `equal in order to ${referenceGateway}'s`}`;
        correctness.push({ gateway, workload, ok: problems.length === 0, note });
        if (problems.length) log(`!! ${gateway} ${workload}: ${note}`);
      }
    }

    // SQL statements for 17 rows and for the big network (the same operation), on the gateways
    // that keep nothing between requests (a kept answer would cost none).
    const statementsBySize: BenchResult['statementsBySize'] = [];
    for (const [gateway, { child, url }] of [...running].filter(([g]) => !g.startsWith('hub') || g.endsWith('-bare'))) {
      const sized = async (id: string): Promise<SizedAnswer> => {
        const before = await sample(gateway, child);
        const answer = await post(url, entityHeavyBody(id));
        const after = await sample(gateway, child);
        return { rows: countObjects(answer.data), statements: after.statements - before.statements, subgraphRequests: after.subgraphOperations - before.subgraphOperations };
      };
      await sized(dataset.ids.smallNetwork);
      statementsBySize.push({ gateway, small: await sized(dataset.ids.smallNetwork), big: await sized(dataset.ids.bigNetwork) });
    }

    const measurements: Measurement[] = [];
    const measure = async (gateway: GatewayName, workload: WorkloadName, mode: Mode, round: number, requests: BenchRequest[],
      how: { headersFor?: (connection: number) => Record<string, string>; on?: { child: GatewayChild; url: string }; seconds?: number } = {}) => {
      const { child, url } = how.on ?? running.get(gateway)!;
      const { headersFor } = how;
      // Warm-up on requests of their own, so the measured ones are not already cached by PostgreSQL.
      const warmup = mode === 'repeated' ? requests : requests.slice().reverse();
      if (options.warmupSeconds > 0) await drive(url, warmup, { connections: options.connections, seconds: options.warmupSeconds, headersFor });
      await child.gc();
      const before = await child.stats(true);
      const sampledBefore = await sample(gateway, child);
      const postgresBefore = postgresCpu();
      const run = await drive(url, requests, { connections: options.connections, seconds: how.seconds ?? options.durationSeconds, headersFor });
      const postgresAfter = postgresCpu();
      const sampledAfter = await sample(gateway, child);
      const after = await child.stats();
      const answered = run.good + run.bad;
      const m: Measurement = {
        gateway, workload, mode, round, rps: run.good / run.seconds, requests: run.good, failures: run.bad, failureReasons: run.badReasons,
        p50: percentile(run.latencies, 50), p95: percentile(run.latencies, 95), p99: percentile(run.latencies, 99),
        sqlPerRequest: (sampledAfter.statements - sampledBefore.statements) / Math.max(1, answered),
        subgraphRequestsPerRequest: (sampledAfter.subgraphOperations - sampledBefore.subgraphOperations) / Math.max(1, answered),
        cpuMsPerRequest: (after.cpuMicros - before.cpuMicros) / 1000 / Math.max(1, answered),
        subgraphCpuMsPerRequest: gateway === 'floor' ? 0 : (sampledAfter.subgraphCpuMicros - sampledBefore.subgraphCpuMicros) / 1000 / Math.max(1, answered),
        postgresCpuMsPerRequest: postgresBefore === undefined || postgresAfter === undefined ? undefined : (postgresAfter - postgresBefore) / 1000 / Math.max(1, answered),
        peakRssMb: after.peakRss / 2 ** 20,
      };
      measurements.push(m);
      log(`${gateway.padEnd(21)} ${`${workload}${mode === 'varied' ? ` r${round}` : ` (${mode})`}`.padEnd(26)} ${m.rps.toFixed(1).padStart(8)} req/s  `
        + `p50 ${m.p50.toFixed(1)} p95 ${m.p95.toFixed(1)} p99 ${m.p99.toFixed(1)} ms  SQL/req ${m.sqlPerRequest.toFixed(1)}  subgraph requests/req ${m.subgraphRequestsPerRequest.toFixed(1)}  CPU ${m.cpuMsPerRequest.toFixed(2)} ms/req  subgraphs ${m.subgraphCpuMsPerRequest.toFixed(2)} ms/req  PostgreSQL ${m.postgresCpuMsPerRequest?.toFixed(2) ?? '?'} ms/req`
        + `${m.failures ? `  BAD ANSWERS ${m.failures} (${run.badReasons.slice(0, 2).map(([r, n]) => `${n}× ${r}`).join('; ')})` : ''}`);
    };
    if (options.measure !== false) {
      const length = 20_000;
      if (options.startupSeconds) {
        // The run's first heavy load of a workload meets subgraph code not yet optimised and
        // PostgreSQL buffers not yet filled, and cost the gateway measured first up to half its
        // throughput. It goes through the bare hub over each layout (a process of its own that
        // keeps nothing, so no measured gateway starts with answers kept), on requests of a seed of
        // its own; its rows are reported apart and count for no target.
        for (const gateway of ['hub-regional-bare', 'hub-single-bare'] as const) {
          const child = new GatewayChild();
          children.push(child);
          const on = { child, url: await child.start(configOf(gateway)) };
          for (const workload of options.workloads) {
            await measure(gateway, workload, 'start-up', 0, requestSequence(workload, dataset, { seed: options.seed * 1000 + 98, length }),
              { on, seconds: options.startupSeconds });
          }
          await child.stop();
        }
      }
      // Rounds interleave the gateways, every other round in reverse order: neither a slow minute
      // of the machine nor the first place after the start lands on one gateway in every round.
      for (let round = 1; round <= (options.rounds ?? 2); round++) {
        for (const gateway of round % 2 === 0 ? [...options.gateways].reverse() : options.gateways) {
          for (const workload of options.workloads) {
            await measure(gateway, workload, 'varied', round, requestSequence(workload, dataset, { seed: options.seed * 1000 + round, length }));
          }
        }
      }
      if (options.extraModes !== false) {
        // The same body every time: what in-flight sharing and caches make of a repeated request
        // (not for the floor and the bare hub, which keep nothing between requests).
        for (const gateway of options.gateways.filter((g) => g !== 'floor' && !g.endsWith('-bare'))) {
          for (const workload of options.workloads) {
            await measure(gateway, workload, 'repeated', 1, requestSequence(workload, dataset, { seed: options.seed, length: 1 }));
          }
        }
        // Signed-in callers, one token subject per connection: sharing is per viewer, so this is what real users get.
        const tokens = await Promise.all(Array.from({ length: options.connections }, (_, i) => userToken(secrets.jwtSecret, `bench-user-${i + 1}`)));
        for (const gateway of options.gateways.filter((g) => g.startsWith('hub') && !g.endsWith('-bare'))) {
          for (const workload of options.workloads) {
            await measure(gateway, workload, 'signed-in', 1, requestSequence(workload, dataset, { seed: options.seed * 1000 + 99, length }),
              { headersFor: (i) => ({ authorization: `Bearer ${tokens[i]}` }) });
          }
        }
      }
    }

    let soak: BenchResult['soak'];
    if (options.soakMinutes) {
      const child = new GatewayChild();
      children.push(child);
      const url = await child.start(configOf('hub-regional'));
      const mixed = options.workloads.flatMap((w) => requestSequence(w, dataset, { seed: options.seed * 1000 + 77, length: 2_000 }))
        .sort((a, b) => (a.body.length * 31 + a.body.charCodeAt(20)) % 97 - (b.body.length * 31 + b.body.charCodeAt(20)) % 97);
      const samples: { seconds: number; rssMb: number; heapMb: number }[] = [];
      const t0 = Date.now();
      // Heap sampled right after a full collection: what is still reachable, not what awaits the
      // next collection (sampled without it, the heap saw-tooths between 140 and 445 MB).
      const sampler = setInterval(() => void child.gc().then(() => child.stats()).then((s) => {
        samples.push({ seconds: (Date.now() - t0) / 1000, rssMb: s.rss / 2 ** 20, heapMb: s.heapUsed / 2 ** 20 });
        log(`soak ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s  rss ${(s.rss / 2 ** 20).toFixed(0)} MB  heap after GC ${(s.heapUsed / 2 ** 20).toFixed(0)} MB`);
      }), 5_000);
      const run = await drive(url, mixed, { connections: options.connections, seconds: options.soakMinutes * 60 });
      clearInterval(sampler);
      await child.stop();
      // Levels off: the last third's average heap within 10 % of the middle third's.
      const third = Math.max(1, Math.floor(samples.length / 3));
      const avg = (list: typeof samples) => list.reduce((s, x) => s + x.heapMb, 0) / Math.max(1, list.length);
      const middle = avg(samples.slice(third, 2 * third));
      const last = avg(samples.slice(-third));
      const levelsOff = last <= middle * 1.1;
      soak = { samples, levelsOff, rps: run.good / run.seconds, bad: run.bad };
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

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** One gateway × workload × mode over its rounds: the median of each figure, and the spread of req/s. */
export interface Summary {
  gateway: GatewayName; workload: WorkloadName; mode: Mode; rounds: number;
  rps: number; rpsMin: number; rpsMax: number; p50: number; p95: number; p99: number;
  sqlPerRequest: number; subgraphRequestsPerRequest: number; cpuMsPerRequest: number; subgraphCpuMsPerRequest: number;
  postgresCpuMsPerRequest: number | undefined; peakRssMb: number; failures: number;
}

export function summaries(result: BenchResult): Summary[] {
  const groups = new Map<string, Measurement[]>();
  for (const m of result.measurements) {
    const key = `${m.gateway}|${m.workload}|${m.mode}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  return [...groups.values()].map((list) => ({
    gateway: list[0].gateway, workload: list[0].workload, mode: list[0].mode, rounds: list.length,
    rps: median(list.map((m) => m.rps)), rpsMin: Math.min(...list.map((m) => m.rps)), rpsMax: Math.max(...list.map((m) => m.rps)),
    p50: median(list.map((m) => m.p50)), p95: median(list.map((m) => m.p95)), p99: median(list.map((m) => m.p99)),
    sqlPerRequest: median(list.map((m) => m.sqlPerRequest)), subgraphRequestsPerRequest: median(list.map((m) => m.subgraphRequestsPerRequest)),
    cpuMsPerRequest: median(list.map((m) => m.cpuMsPerRequest)),
    subgraphCpuMsPerRequest: median(list.map((m) => m.subgraphCpuMsPerRequest)),
    postgresCpuMsPerRequest: list.every((m) => m.postgresCpuMsPerRequest !== undefined) ? median(list.map((m) => m.postgresCpuMsPerRequest!)) : undefined,
    peakRssMb: Math.max(...list.map((m) => m.peakRssMb)), failures: list.reduce((n, m) => n + m.failures, 0),
  }));
}

/** The speed targets, on the varied runs (medians over the rounds). */
export function targets(result: BenchResult): { target: string; value: string; met: boolean | undefined }[] {
  const all = summaries(result);
  const get = (g: GatewayName, w: WorkloadName, mode: Mode = 'varied') => all.find((m) => m.gateway === g && m.workload === w && m.mode === mode);
  const rows: { target: string; value: string; met: boolean | undefined }[] = [];
  for (const workload of result.options.workloads) {
    const regional = get('hub-regional', workload);
    const single = get('hub-single', workload);
    const singleUnshared = get('hub-single-bare', workload);
    const apollo = get('apollo', workload);
    const floor = get('floor', workload);
    if (regional && single) rows.push({ target: `${workload}: hub over 17 regional instances ≥ hub on single instances, req/s`, value: `${(regional.rps / single.rps).toFixed(2)}×`, met: regional.rps >= single.rps });
    if (single && apollo) rows.push({ target: `${workload}: hub (single) ≥ 2× stock Apollo, req/s`, value: `${(single.rps / apollo.rps).toFixed(2)}×`, met: single.rps >= 2 * apollo.rps });
    if (regional && apollo) rows.push({ target: `${workload}: hub (regional) vs stock Apollo, req/s`, value: `${(regional.rps / apollo.rps).toFixed(2)}×`, met: undefined });
    if (singleUnshared && floor) rows.push({ target: `${workload}: p50 of the hub (single, savings off) ≤ 1.5× the direct-SQL floor`, value: `${(singleUnshared.p50 / floor.p50).toFixed(2)}×`, met: singleUnshared.p50 <= 1.5 * floor.p50 });
  }
  for (const s of result.statementsBySize) {
    rows.push({
      target: `SQL statements per request same at ${s.small.rows} and ${s.big.rows} objects (${s.gateway})`,
      value: `${s.small.statements} vs ${s.big.statements}${s.gateway === 'floor' ? '' : ` (subgraph requests ${s.small.subgraphRequests} vs ${s.big.subgraphRequests})`}`,
      met: s.small.statements === s.big.statements,
    });
  }
  // The start-up load meets everything cold: its bad answers are shown beside, and in its rows.
  const badIn = (startUp: boolean) => result.measurements.filter((m) => (m.mode === 'start-up') === startUp).reduce((n, m) => n + m.failures, 0);
  const bad = badIn(false);
  const startUpBad = result.measurements.some((m) => m.mode === 'start-up') ? ` (start-up load: ${badIn(true)})` : '';
  rows.push({ target: 'bad answers under load (HTTP errors, GraphQL errors, missing data): none', value: `${bad}${startUpBad}`, met: bad === 0 });
  return rows;
}

export function report(result: BenchResult): string {
  const o = result.options;
  const lines: string[] = [];
  lines.push(`Machine: ${result.machine}`);
  lines.push(`Supergraph: ${result.supergraphNote}, the same for every gateway.`);
  lines.push(`Data: seed ${o.seed}, scale ${o.scale}: ${Object.entries(result.counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  lines.push(`Load: ${o.connections} connections (keep-alive), ${o.warmupSeconds} s warm-up + ${o.durationSeconds} s per gateway × workload × round, `
    + `${o.rounds ?? 2} rounds interleaving the gateways (every other round in reverse order)`
    + `${o.startupSeconds ? `, after a start-up load of ${o.warmupSeconds} + ${o.startupSeconds} s per workload through the bare hub over each layout` : ''}; seeded varied requests (scripts/bench/requests.ts), every answer checked: `
    + 'only answers with HTTP 200, no errors and the data present count; the driver in one process, the instances in one process per subgraph, '
    + 'each gateway in its own; one PostgreSQL 18 (embedded) for all.');
  lines.push('');
  lines.push('req/s is the median over the rounds with its range; latency, SQL and CPU are medians. "bare": the hub with every gateway-side saving off '
    + '(HUB_SHARE_IN_FLIGHT=off, HUB_ANSWER_CACHE_TTL_MS=0), i.e. every request costs its subgraph work; the others run as shipped. "repeated": one identical body for the whole run (what sharing makes of it). '
    + '"signed-in": a different token subject per connection. "start-up": the run\'s first load of each workload (bare hub, a process of its own), '
    + 'counted for no target. Subgraph requests: GraphQL requests the instances answered per answer (probes not counted). '
    + 'Subgraph CPU: the four subgraph processes together, per answer, '
    + 'including the health probes every hub gateway keeps sending while another is measured. PostgreSQL CPU: every process of the one server '
    + '(all backends, the floor\'s too, and its background work), per answer.');
  lines.push('');
  lines.push('| workload | mode | gateway | req/s (range) | p50 ms | p95 ms | p99 ms | SQL/req | subgraph requests/req | gateway CPU ms/req | subgraph CPU ms/req | PostgreSQL CPU ms/req | peak RSS MB | bad answers |');
  lines.push('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const all = summaries(result);
  for (const mode of ['varied', 'signed-in', 'repeated', 'start-up'] as Mode[]) {
    for (const w of o.workloads) {
      for (const m of all.filter((x) => x.workload === w && x.mode === mode)) {
        const range = m.rounds > 1 ? ` (${m.rpsMin.toFixed(1)}–${m.rpsMax.toFixed(1)})` : '';
        lines.push(`| ${w} | ${mode} | ${m.gateway} | ${m.rps.toFixed(1)}${range} | ${m.p50.toFixed(1)} | ${m.p95.toFixed(1)} | ${m.p99.toFixed(1)} | `
          + `${m.sqlPerRequest.toFixed(1)} | ${m.gateway === 'floor' ? '–' : m.subgraphRequestsPerRequest.toFixed(1)} | ${m.cpuMsPerRequest.toFixed(2)} | ${m.gateway === 'floor' ? '–' : m.subgraphCpuMsPerRequest.toFixed(2)} | ${m.postgresCpuMsPerRequest?.toFixed(2) ?? '–'} | ${m.peakRssMb.toFixed(0)} | ${m.failures} |`);
      }
    }
  }
  lines.push('');
  lines.push('| target | value | met |');
  lines.push('| --- | ---: | --- |');
  for (const t of targets(result)) lines.push(`| ${t.target} | ${t.value} | ${t.met === undefined ? '–' : t.met ? 'yes' : '**no**'} |`);
  const bad = result.correctness.filter((c) => !c.ok);
  lines.push('');
  lines.push(bad.length ? `Correctness: ${bad.length} gateway × workload samples FAILED: ${bad.map((b) => `${b.gateway}/${b.workload}: ${b.note}`).join('; ')}`
    : `Correctness: every gateway answered the same ${o.sampleSize ?? 20} varied requests per workload without errors, each answer equal in order to the reference's (${result.correctness[0]?.note.includes('reference') ? result.correctness[0].gateway : 'stock Apollo'}).`);
  if (result.soak) {
    lines.push('');
    lines.push(`Soak (hub-regional, all workloads mixed, ${o.soakMinutes} min): ${result.soak.rps.toFixed(1)} good answers/s, ${result.soak.bad} bad; heap MB every 5 s: `
      + `${result.soak.samples.map((s) => s.heapMb.toFixed(0)).join(' ')} (after a full GC) → ${result.soak.levelsOff ? 'levels off' : 'still growing'}`);
  }
  return lines.join('\n');
}

const USAGE = `npm run bench [-- options]: the hub against stock Apollo Gateway, Hive Gateway and a direct-SQL floor on varied requests
  (no options)            national scale (scale 1), BENCHMARKS.md written
  --quick [--write]       small scale, short runs; prints only unless --write
  --soak [--minutes 3]    sustained mixed load on the hub (regional), memory sampled every 5 s
  --scale 0.2 --seed 1 --duration 10 --warmup 2 --startup 5 --rounds 2 --connections 16 --pg-port 54415
  --gateways hub-regional,apollo   (${GATEWAYS.join(', ')}; named only: hub-grouped, hub-grouped-bare)
  --workloads NetworkMembers,Dashboard   (${WORKLOADS.join(', ')})
  --no-extra              without the repeated and signed-in rows`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false }, write: { type: 'boolean', default: false }, soak: { type: 'boolean', default: false },
      minutes: { type: 'string' }, scale: { type: 'string' }, seed: { type: 'string', default: '1' }, duration: { type: 'string' },
      warmup: { type: 'string' }, startup: { type: 'string' }, 'pg-port': { type: 'string' }, connections: { type: 'string' }, gateways: { type: 'string' }, workloads: { type: 'string' },
      rounds: { type: 'string' }, 'no-extra': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const quick = values.quick;
  const options: BenchOptions = {
    scale: Number(values.scale ?? (quick ? 0.03 : 1)),
    seed: Number(values.seed),
    durationSeconds: Number(values.duration ?? (quick ? 2 : 10)),
    warmupSeconds: Number(values.warmup ?? (quick ? 0.5 : 2)),
    startupSeconds: Number(values.startup ?? (quick ? 0 : 5)),
    connections: Number(values.connections ?? (quick ? 8 : 16)),
    gateways: (values.gateways?.split(',') ?? [...GATEWAYS]) as GatewayName[],
    workloads: (values.workloads?.split(',') ?? [...WORKLOADS]) as WorkloadName[],
    pgPort: Number(values['pg-port'] ?? 54415),
    soakMinutes: values.soak ? Number(values.minutes ?? 3) : undefined,
    rounds: Number(values.rounds ?? 2),
    extraModes: !values['no-extra'],
    sampleSize: quick ? 10 : 20,
  };
  const result = await runBench(options);
  const text = report(result);
  console.log(`\n${text}`);
  // Only a complete run (every gateway, every workload) replaces the published table unless told to.
  const complete = GATEWAYS.every((g) => options.gateways.includes(g)) && WORKLOADS.every((w) => options.workloads.includes(w));
  if (!quick && !complete && !values.write) console.log('\nBENCHMARKS.md left as it is: not every gateway and workload ran (--write to replace it anyway)');
  if ((!quick && complete) || values.write) {
    const path = join(PROJECT_ROOT, 'BENCHMARKS.md');
    writeFileSync(path, `# Benchmarks\n\nWritten by \`npm run bench${quick ? ' -- --quick --write' : ''}\` (scripts/bench/run.ts) on ${new Date().toISOString().slice(0, 10)}. `
      + `How it is measured: see the comment at the top of scripts/bench/run.ts.\n\n${text}\n`);
    console.log(`\nwritten to ${path}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
}
