/**
 * `npm run bench:load`: the hub under many concurrent mixed requests for a bounded time, on this
 * machine only (127.0.0.1), to show that load ends in answers or SERVICE_OVERLOADED, never in
 * internal errors, and leaves the data as it was.
 *
 *   npm run bench:load                                   scale 1, 200 concurrent clients, 30 s
 *   npm run bench:load -- --scale 0.3 --concurrency 200 --seconds 30 --max-connections 300
 *
 * Layout as `npm run bench` (run.ts), regional only: one embedded PostgreSQL (port 54416, data in
 * .pgdata/bench-load) with the national data set in one database per subgraph and region; the
 * 68 instances in one process per subgraph, each with the connection budget `npm start` would
 * give it (the server's max_connections, 300 as `npm start`'s embedded server, less the reserve,
 * shared by all); the gateway in its own process on a topology of them; the clients here.
 *
 * Each client sends one request after another until the time is up, drawn from: NetworkMembers of
 * a random region, FindAlliances with a search word from the data, Dashboard, node lookups (one of
 * each kind), a quarter of the reads signed in; and a few writes that leave nothing behind: an
 * alliance created and deleted again (compensated), an update with a stale version (refused with
 * CONFLICT, rolled back). Before and after, the data's fingerprint: row count and checksum of every
 * table in every database but the audit log and the data version counter (which record those
 * writes by design) and the migrations table. Also how soon after the load a bystander reads the
 * totals of before it (projects, organisations, people, networks: what the load does not write).
 * Exit status 1 when an answer was an internal error, a 503 came without Retry-After, or the
 * fingerprint changed.
 */
import './quiet.js';
import 'reflect-metadata';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import pg from 'pg';
import {
  DEFAULT_CONNECTION_BUDGET, REGIONS, poolSizeFor, serverConnectionLimits, type ConnectionBudget, type Region,
} from '../../subgraphs/kit/index.js';
import { SUBGRAPHS } from '../../subgraphs/index.js';
import { startEmbeddedPostgres } from '../lib/embedded-postgres.js';
import { SUPERGRAPH_PATH } from '../lib/supergraph.js';
import { DATA_VERSION_TABLE } from '../../subgraphs/kit/data-version.js';
import { BenchChild, SubgraphHost } from './child.js';
import { countsOf, databaseName, generateDataset, loadDataset, type Dataset } from './generate.js';
import type { GatewayConfig } from './gateway-process.js';
import type { InstancePlan } from './subgraph-process.js';
import { machineDescription } from './run.js';

interface LoadTestOptions {
  scale: number;
  seed: number;
  concurrency: number;
  seconds: number;
  pgPort: number;
  maxConnections: number;
}

// -------------------------------------------------------------------------------------------------
// The requests

const NETWORK_MEMBERS = `query NetworkMembers($region: Region!) { networks(region: $region) { id name kind region
  memberAlliances { alliance { id name region foundedOn } since } meetings { number date place topics } } }`;
const FIND_ALLIANCES = `query FindAlliances($text: String!) { alliances(filter: { text: $text }, first: 10) { totalCount
  edges { cursor node { id name region foundedOn municipality { name ags } fieldsOfAction memberships { joinedOn organization { name kind } }
  contacts { name } projects { title status } networks { name } } } pageInfo { hasNextPage endCursor } } }`;
const DASHBOARD = `query Dashboard {
  projectStatistics { total byRegion { region count } byFieldOfAction { fieldOfAction count } byStatus { status count }
    byFundingProgramme { programme count } byYear { year count } }
  allianceStatistics { total byRegion { region count } byFoundingYear { year count } byFieldOfAction { fieldOfAction count }
    organizationsByKind { kind count } memberships } }`;
const NODE = `query Node($alliance: ID!, $network: ID!, $project: ID!, $person: ID!) { alliance(id: $alliance) { id name region }
  network(id: $network) { id name } project(id: $project) { id title status } person(id: $person) { id name } }`;
/** What a bystander reads before and after the load: totals of every instance that the load's writes do not touch. */
const TOTALS = `query Totals { projectStatistics { total byRegion { region count } byStatus { status count } byYear { year count } }
  organizations(first: 1) { totalCount } people(first: 1) { totalCount } networkStatistics { total } }`;
const CREATE = 'mutation LoadCreate($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }';
const DELETE = 'mutation LoadDelete($id: ID!) { deleteAlliance(id: $id) }';
const STALE_UPDATE = 'mutation LoadStaleUpdate($input: UpdateAllianceInput!) { updateAlliance(input: $input) { id version } }';
/** Prefix of the alliances the load creates (and deletes again). */
const CREATED_PREFIX = 'Lasttest';
const LEFTOVERS = `query LoadLeftovers { alliances(filter: { text: "${CREATED_PREFIX}" }, first: 100) { edges { node { id name } } } }`;

interface Answer {
  status: number;
  ms: number;
  retryAfter?: string | null;
  body?: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
  /** Why there was no HTTP answer at all. */
  failure?: string;
}

/** What an answer counts as: `200 ok`, `200 partial: CODE,…` (some data), `<status> CODE,…` (none), `no answer: …`. */
function outcomeOf(answer: Answer): string {
  if (answer.failure) return `no answer: ${answer.failure}`;
  const codes = [...new Set((answer.body?.errors ?? []).map((e) => e.extensions?.code ?? '(no code)'))].sort().join(',');
  if (!codes) return `${answer.status} ok`;
  const data = answer.body?.data;
  const anyData = !!data && Object.values(data).some((v) => v !== null);
  return answer.status === 200 && anyData ? `200 partial: ${codes}` : `${answer.status} ${codes}`;
}

/** An internal error: HTTP 5xx but 503, or an error coded INTERNAL_SERVER_ERROR or not coded at all. */
const isInternal = (answer: Answer) => answer.status >= 500 && answer.status !== 503
  || (answer.body?.errors ?? []).some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' || e.extensions?.code === undefined);

async function post(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let body: Answer['body'];
    try { body = JSON.parse(text) as Answer['body']; } catch { body = undefined; }
    return { status: response.status, ms: performance.now() - started, body, retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    return { status: 0, ms: performance.now() - started, failure: (error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message };
  }
}

/** Words to search for: the place names of the data set's alliances, and a few common words. */
function searchWords(dataset: Dataset): string[] {
  const alliances = dataset.rows.alliances.find((t) => t.name === 'alliance')!.rows;
  const places = alliances.map((a) => (a.municipality as { name?: string } | null)?.name).filter((n): n is string => !!n);
  return [...new Set([...places.slice(0, 200), 'Familie', 'Bündnis', 'Pflege', 'Kinder', 'Beruf', 'Netzwerk', 'Zukunft', 'Saarbrucken'])];
}

function idsOf(dataset: Dataset, subgraph: keyof Dataset['rows'], table: string): string[] {
  return dataset.rows[subgraph].find((t) => t.name === table)!.rows.map((r) => r.id);
}

// -------------------------------------------------------------------------------------------------
// The data's fingerprint

/** Row count and checksum of every table of every database, but the audit log, the data version counter and the migrations. */
async function fingerprint(urls: string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  for (const url of urls) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const tables = (await client.query<{ name: string }>(`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('audit_log', '${DATA_VERSION_TABLE}', 'mikro_orm_migrations')
        order by table_name`)).rows.map((r) => r.name);
      for (const table of tables) {
        const { rows } = await client.query<{ n: string; sum: string | null }>(
          `select count(*) as n, md5(string_agg(md5(t::text), '' order by md5(t::text))) as sum from "${table}" t`);
        result.set(`${new URL(url).pathname.slice(1)}.${table}`, `${rows[0].n} rows ${rows[0].sum ?? '-'}`);
      }
    } finally {
      await client.end();
    }
  }
  return result;
}

// -------------------------------------------------------------------------------------------------

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

export async function runLoadTest(options: LoadTestOptions): Promise<boolean> {
  const started = Date.now();
  const log = (message: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);
  const jwtSecret = randomBytes(32).toString('hex');
  // The gateway signs with the private key; the instances get only the public key.
  const keys = generateKeyPairSync('ed25519');
  const secrets = { signingKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, jwtSecret };
  const gatewayPublicKeys = keys.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const postgres = await startEmbeddedPostgres({ name: 'bench-load', port: options.pgPort, persistent: true, maxConnections: options.maxConnections });
  const children: BenchChild[] = [];
  const stopAll = async () => {
    await Promise.all(children.map((c) => c.stop().catch(() => undefined)));
    await postgres.stop();
  };
  const interrupted = () => void stopAll().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const dataset = generateDataset({ seed: options.seed, scale: options.scale });
    log(`data (seed ${options.seed}, scale ${options.scale}): ${Object.entries(countsOf(dataset)).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    const urls = await loadDataset(dataset, { serverUrl: postgres.urlFor('postgres'), layouts: ['regional'], prefix: 'load', progress: false, onlyReplaceOwn: true });
    log(`loaded ${urls.size} databases`);

    // The budget `npm start` gives: the server's connections less the reserve, shared by every instance.
    const admin = new pg.Client({ connectionString: postgres.urlFor('postgres') });
    await admin.connect();
    const limits = await serverConnectionLimits(admin).finally(() => admin.end());
    const instanceCount = SUBGRAPHS.length * REGIONS.length;
    const connections: ConnectionBudget = { ...DEFAULT_CONNECTION_BUDGET, max: poolSizeFor(limits, instanceCount) };
    log(`connection budget: ${instanceCount} instances × ${connections.max} of max_connections ${limits.maxConnections} (${limits.reserved} reserved); `
      + `a query waits ≤ ${connections.acquireTimeoutMs} ms, ≤ ${connections.maxWaiting} waiting per instance`);

    const instances = (await Promise.all(SUBGRAPHS.map(async (definition) => {
      const host = new SubgraphHost();
      children.push(host);
      const plans = REGIONS.map((region): InstancePlan => ({
        subgraph: definition.name, regions: [region], databaseUrl: urls.get(databaseName('load', definition.name, region))!,
        name: `${definition.name}-${region.toLowerCase()}`,
      }));
      const started = await host.start(plans, gatewayPublicKeys, connections);
      return plans.map((plan, i) => ({ ...plan, url: started[i] }));
    }))).flat();
    const topologyPath = join(mkdtempSync(join(os.tmpdir(), 'hub-load-')), 'topology.json');
    writeFileSync(topologyPath, JSON.stringify({
      subgraphs: Object.fromEntries(SUBGRAPHS.map((d) => [d.name, instances.filter((i) => i.subgraph === d.name)
        .map((i) => ({ name: i.name, url: i.url, regions: i.regions }))])),
    }));
    const gatewayChild = new BenchChild('gateway-process.ts');
    children.push(gatewayChild);
    const config: GatewayConfig = { kind: 'hub', supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'), ...secrets, topologyPath };
    const startedGateway = await gatewayChild.ask({ type: 'start', config });
    if (startedGateway.type !== 'started') throw new Error(`the gateway did not start: ${startedGateway.message as string}`);
    // Bound to 127.0.0.1 (gateway-process.ts, subgraph-process.ts): asked there, not by name.
    const gatewayUrl = new URL(startedGateway.url as string);
    gatewayUrl.hostname = '127.0.0.1';
    const url = gatewayUrl.toString();
    log(`${instances.length} instances in ${SUBGRAPHS.length} processes, gateway at ${url}`);

    const databaseUrls = [...urls.values()];
    const before = await fingerprint(databaseUrls);
    const totalsBefore = await post(url, TOTALS, {});
    if (totalsBefore.status !== 200 || totalsBefore.body?.errors) {
      throw new Error(`the totals before the load failed: ${JSON.stringify(totalsBefore.body).slice(0, 500)}`);
    }
    log(`fingerprint of ${before.size} tables taken; totals read`);

    const tokenFor = (region: Region) => new SignJWT({ roles: [`editor:${region}`] }).setProtectedHeader({ alg: 'HS256' })
      .setSubject(`load-${region.toLowerCase()}@example.org`).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(jwtSecret));
    const tokens = new Map(await Promise.all(REGIONS.map(async (r) => [r, await tokenFor(r)] as const)));
    const words = searchWords(dataset);
    const ids = {
      alliance: idsOf(dataset, 'alliances', 'alliance'), network: idsOf(dataset, 'networks', 'network'),
      project: idsOf(dataset, 'projects', 'project'), person: idsOf(dataset, 'people', 'person'),
    };
    const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];
    const regionOf = (id: string) => id.slice(0, id.indexOf(':')) as Region;

    const answers: { operation: string; answer: Answer }[] = [];
    /** Alliances created by the load and not yet deleted again. */
    const created = new Set<string>();
    const send = async (operation: string, query: string, variables: Record<string, unknown>, token?: string) => {
      const answer = await post(url, query, variables, token);
      answers.push({ operation, answer });
      return answer;
    };
    /** Deletes an alliance the load created; NOT_FOUND means an earlier attempt did, its answer lost. */
    const deleteCreated = async (id: string, counted = true) => {
      const token = tokens.get(regionOf(id));
      const answer = counted ? await send('LoadDelete', DELETE, { id }, token) : await post(url, DELETE, { id }, token);
      const gone = answer.body?.data?.deleteAlliance === id || (answer.body?.errors ?? []).some((e) => e.extensions?.code === 'NOT_FOUND');
      if (gone) created.delete(id);
    };
    const oneRequest = async () => {
      const roll = Math.random();
      const reader = Math.random() < 0.25 ? tokens.get(pick(REGIONS)) : undefined;
      if (roll < 0.2) return send('NetworkMembers', NETWORK_MEMBERS, { region: pick(REGIONS) }, reader);
      if (roll < 0.5) return send('FindAlliances', FIND_ALLIANCES, { text: pick(words) }, reader);
      if (roll < 0.65) return send('Dashboard', DASHBOARD, {}, reader);
      if (roll < 0.95) {
        const variables = { alliance: pick(ids.alliance), network: pick(ids.network), project: pick(ids.project), person: pick(ids.person) };
        return send('Node', NODE, variables, reader);
      }
      const region = pick(REGIONS);
      if (roll < 0.975) {
        const answer = await send('LoadCreate', CREATE, { input: { region, name: `${CREATED_PREFIX} ${randomUUID()}` } }, tokens.get(region));
        const id = (answer.body?.data?.createAlliance as { id?: string } | null | undefined)?.id;
        if (id) {
          created.add(id);
          await deleteCreated(id);
        }
        return answer;
      }
      const alliance = pick(ids.alliance);
      const stale = { input: { id: alliance, version: 1_000_000, goals: 'nie gespeichert' } };
      return send('LoadStaleUpdate', STALE_UPDATE, stale, tokens.get(regionOf(alliance)));
    };

    log(`load: ${options.concurrency} concurrent clients for ${options.seconds} s`);
    const loadStarted = Date.now();
    const deadline = loadStarted + options.seconds * 1000;
    await Promise.all(Array.from({ length: options.concurrency }, async () => {
      while (Date.now() < deadline) await oneRequest();
    }));
    const loadSeconds = (Date.now() - loadStarted) / 1000;

    // The bystander, right after the load and until the totals are those of before it (at most 30 s).
    const sameTotals = (answer: Answer) => answer.status === 200 && !answer.body?.errors
      && JSON.stringify(answer.body?.data) === JSON.stringify(totalsBefore.body?.data);
    const totalsAfter = await post(url, TOTALS, {});
    const totalsSame = sameTotals(totalsAfter);
    const recoveryStarted = Date.now();
    let recoveredAfter: number | undefined = totalsSame ? 0 : undefined;
    while (recoveredAfter === undefined && Date.now() - recoveryStarted < 30_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (sameTotals(await post(url, TOTALS, {}))) recoveredAfter = (Date.now() - recoveryStarted) / 1000;
    }
    // Compensation: creates whose delete was refused, and those whose answer was lost, found by their name.
    for (let attempt = 0; attempt < 20; attempt++) {
      const found = await post(url, LEFTOVERS, {});
      const edges = ((found.body?.data?.alliances as { edges?: { node: { id: string; name: string } }[] } | undefined)?.edges ?? []);
      for (const { node } of edges) if (node.name.startsWith(`${CREATED_PREFIX} `)) created.add(node.id);
      if (!created.size && found.status === 200 && !found.body?.errors) break;
      for (const id of [...created]) await deleteCreated(id, false);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const after = await fingerprint(databaseUrls);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((table) => before.get(table) !== after.get(table));

    const outcomes = new Map<string, number>();
    for (const { answer } of answers) outcomes.set(outcomeOf(answer), (outcomes.get(outcomeOf(answer)) ?? 0) + 1);
    const byOperation = new Map<string, Map<string, number>>();
    for (const { operation, answer } of answers) {
      const counts = byOperation.get(operation) ?? new Map<string, number>();
      byOperation.set(operation, counts);
      counts.set(outcomeOf(answer), (counts.get(outcomeOf(answer)) ?? 0) + 1);
    }
    const internal = answers.filter(({ answer }) => isInternal(answer));
    const overloaded = answers.filter(({ answer }) => answer.status === 503);
    const withoutRetryAfter = overloaded.filter(({ answer }) => !answer.retryAfter).length;
    const latencies = answers.map(({ answer }) => answer.ms).sort((a, b) => a - b);
    const served = answers.filter(({ answer }) => answer.status === 200).map(({ answer }) => answer.ms).sort((a, b) => a - b);

    console.log('');
    console.log(`Machine: ${machineDescription()}`);
    console.log(`Data: seed ${options.seed}, scale ${options.scale}; ${instances.length} instances; budget ${connections.max} connections per instance `
      + `(max_connections ${limits.maxConnections}), acquire timeout ${connections.acquireTimeoutMs} ms, ≤ ${connections.maxWaiting} waiting`);
    console.log(`Load: ${options.concurrency} concurrent clients, ${loadSeconds.toFixed(1)} s, ${answers.length} requests `
      + `(${(answers.length / loadSeconds).toFixed(1)}/s)`);
    console.log('Answers by outcome:');
    for (const [outcome, count] of [...outcomes].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(7)}  ${outcome}`);
    console.log('By operation:');
    for (const [operation, counts] of [...byOperation].sort()) {
      console.log(`  ${operation.padEnd(16)} ${[...counts].sort((a, b) => b[1] - a[1]).map(([o, n]) => `${n} ${o}`).join('; ')}`);
    }
    console.log(`HTTP 503 answers: ${overloaded.length}, ${withoutRetryAfter} of them without Retry-After`);
    const firstInternal = internal.length ? ` (first: ${JSON.stringify(internal[0].answer.body ?? internal[0].answer.failure).slice(0, 300)})` : '';
    console.log(`Internal errors: ${internal.length}${firstInternal}`);
    console.log(`Latency, all answers: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms; `
      + `HTTP 200 only: p50 ${percentile(served, 50).toFixed(1)} ms, p95 ${percentile(served, 95).toFixed(1)} ms`);
    console.log(`A bystander's totals right after the load: ${totalsSame ? 'the same as before' : `DIFFER (${outcomeOf(totalsAfter)}); `
      + `${recoveredAfter === undefined ? 'not the same within 30 s' : `the same again after ${recoveredAfter.toFixed(1)} s`}`}`);
    console.log(`Created alliances left undeleted: ${created.size}`);
    console.log(`Data fingerprint (${after.size} tables in ${databaseUrls.length} databases, audit log and data versions aside): `
      + `${changed.length ? `CHANGED in ${changed.join(', ')}` : 'unchanged'}`);
    return internal.length === 0 && withoutRetryAfter === 0 && changed.length === 0 && created.size === 0;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await stopAll();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '1' }, seed: { type: 'string', default: '1' }, concurrency: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '30' }, 'pg-port': { type: 'string', default: '54416' }, 'max-connections': { type: 'string', default: '300' },
    },
  });
  const options: LoadTestOptions = {
    scale: Number(values.scale), seed: Number(values.seed), concurrency: Number(values.concurrency), seconds: Number(values.seconds),
    pgPort: Number(values['pg-port']), maxConnections: Number(values['max-connections']),
  };
  // Bounded: a load test that runs for hours or with thousands of clients is a mistake.
  if (!(options.seconds > 0 && options.seconds <= 600) || !(options.concurrency >= 1 && options.concurrency <= 1_000)
    || !(options.scale > 0 && options.scale <= 2)) {
    throw new Error('--seconds must be 1–600, --concurrency 1–1000, --scale above 0 and at most 2');
  }
  const ok = await runLoadTest(options);
  process.exit(ok ? 0 : 1);
}

main().catch((error) => { console.error(error); process.exit(1); });
