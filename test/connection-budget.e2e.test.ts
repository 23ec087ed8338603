import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { inject, afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgreSqlConnection } from '@mikro-orm/postgresql';
import { alliancesSubgraph } from '../subgraphs/alliances/index.js';
import { networksSubgraph } from '../subgraphs/networks/index.js';
import { projectsSubgraph } from '../subgraphs/projects/index.js';
import { peopleSubgraph } from '../subgraphs/people/index.js';
import { Region } from '../subgraphs/kit/index.js';
import { IDLE_CONNECTION_MS } from '../subgraphs/kit/connections.js';
import { dataVersion } from '../subgraphs/kit/data-version.js';
import { DATA_VERSION_HEADER, REFERENCES_PATH } from '../subgraphs/shared/limits.js';
import { startGateway, type RunningGateway } from '../gateway/server.js';
import { MAX_RETRY_PAUSE_MS } from '../gateway/regional/instance-client.js';
import { tokenAuthenticator } from '../gateway/auth.js';
import { SUPERGRAPH_PATH } from '../scripts/lib/supergraph.js';
import { DEMO } from '../data/demo/ids.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';
import { HUB_ADMIN, TEST_JWT_SECRET, TEST_METRICS_TOKEN, TEST_SIGNING_KEY, gatewaySignature } from './support/security.js';

/**
 * No request fails because the database has no free connection: a query waits for one of its
 * instance's pool in a bounded queue, and what cannot be served is refused as SERVICE_OVERLOADED
 * (HTTP 503, Retry-After) by the instance and by the gateway, never as INTERNAL_SERVER_ERROR.
 * The tiny instance here has 2 connections, lets 3 queries wait, each at most a second.
 */
// The acquire timeout is long enough that "refused at once" (under half of it) holds on a busy machine.
const BUDGET = { max: 2, maxWaiting: 3, acquireTimeoutMs: 2_000 };
const ALLIANCE = DEMO.alliance.saarbruecken;

let tiny: TestSubgraph;
let others: TestSubgraph[] = [];
let gateway: RunningGateway;

beforeAll(async () => {
  [tiny, ...others] = await Promise.all([
    startTestSubgraph(alliancesSubgraph, { seed: true, connections: BUDGET, metricsToken: TEST_METRICS_TOKEN }),
    ...[networksSubgraph, projectsSubgraph, peopleSubgraph].map((definition) => startTestSubgraph(definition, { seed: true })),
  ]);
  gateway = await startGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    subgraphUrls: Object.fromEntries([tiny, ...others].map((s) => [s.name, s.url])),
    security: { signingKey: TEST_SIGNING_KEY, authenticate: await tokenAuthenticator({ secret: TEST_JWT_SECRET }) },
    port: 0,
    host: '127.0.0.1',
  });
}, 90_000);
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([tiny, ...others].filter(Boolean).map((s) => s.stop()));
});

interface Answer {
  status: number;
  /** Milliseconds from sending to the answer. */
  ms: number;
  retryAfter: string | null;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** POSTs to an instance as the gateway would (signed), or to the gateway as an anonymous client. */
async function post(target: TestSubgraph | 'gateway', query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const body = JSON.stringify({ query, variables });
  const url = target === 'gateway' ? gateway.url : target.url;
  const started = Date.now();
  const response = await fetch(url, {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', ...(target === 'gateway' ? {} : gatewaySignature(target, body)) },
  });
  const answer = await response.json() as object;
  return { status: response.status, ms: Date.now() - started, retryAfter: response.headers.get('retry-after'), ...answer };
}

const codesOf = (answer: Answer) => (answer.errors ?? []).map((e) => e.extensions?.code);
const refused = (answer: Answer) => answer.status === 503 && answer.retryAfter === '1' && codesOf(answer).length > 0
  && codesOf(answer).every((code) => code === 'SERVICE_OVERLOADED');
const served = (answer: Answer) => answer.status === 200 && !answer.errors && !!answer.data;

/** The instance's pg pool, to take its connections away as long running queries would. */
async function poolOf(instance: TestSubgraph): Promise<pg.Pool> {
  return (instance.orm.em.getConnection() as PostgreSqlConnection).getNativeClient();
}

/** Holds every connection of the pool until released. */
async function holdAll(pool: pg.Pool, count = BUDGET.max): Promise<() => void> {
  const held = await Promise.all(Array.from({ length: count }, () => pool.connect()));
  return () => held.forEach((client) => client.release());
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Sends `count` requests at once; when `releaseAfter` of them are answered, `release` runs. */
async function burst(count: number, send: () => Promise<Answer>, release?: { after: number; run: () => void }): Promise<Answer[]> {
  let answered = 0;
  const pending = Array.from({ length: count }, () => send().finally(() => { answered++; }));
  if (release) {
    await until(() => answered >= release.after, 3_000);
    release.run();
  }
  return Promise.all(pending);
}

async function scrape(): Promise<string> {
  const response = await fetch(tiny.url.replace(/\/graphql$/, '/metrics'), { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } });
  return response.text();
}
const metric = (text: string, pattern: string) => Number(new RegExp(`^${pattern} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

const NODE = 'query Node($id: ID!) { alliance(id: $id) { id name region } }';
/** Several root fields, each several statements, at once: heavy for a pool of two. */
const HEAVY = `query Heavy {
  page: alliances(first: 100) { totalCount edges { node { id name memberships { joinedOn organization { name kind } } } } }
  found: alliances(first: 100, filter: { text: "Familie" }) { totalCount edges { node { id name } } }
  statistics: allianceStatistics { total byRegion { region count } byFieldOfAction { fieldOfAction count } organizationsByKind { kind count } }
  organizations(first: 100) { totalCount edges { node { id name kind } } }
}`;
/** The same through the gateway, with fields of other subgraphs; inside every armor limit. */
const HEAVY_VIA_GATEWAY = `query HeavyViaGateway($first: Int!) {
  alliances(first: $first) { totalCount edges { node { id name memberships { joinedOn organization { name kind } }
    contacts { name } networks { name } } } }
  allianceStatistics { total byRegion { region count } organizationsByKind { kind count } }
}`;

describe('an instance with a tiny pool', () => {
  it('lets a bounded queue wait and refuses the rest at once with 503, Retry-After and SERVICE_OVERLOADED', async () => {
    const before = await post(tiny, NODE, { id: ALLIANCE });
    expect(served(before)).toBe(true);
    const pool = await poolOf(tiny);
    const release = await holdAll(pool);
    let waitingSeen = 0;
    const answers = await burst(30, () => post(tiny, NODE, { id: ALLIANCE }), {
      after: 30 - BUDGET.maxWaiting,
      run: () => { waitingSeen = pool.waitingCount; release(); },
    });
    expect(waitingSeen).toBe(BUDGET.maxWaiting);
    expect(answers.filter(refused)).toHaveLength(30 - BUDGET.maxWaiting);
    // Refused at once, not after waiting out the acquire timeout.
    for (const answer of answers.filter(refused)) expect(answer.ms).toBeLessThan(BUDGET.acquireTimeoutMs / 2);
    expect(answers.filter(served)).toHaveLength(BUDGET.maxWaiting);
    for (const answer of answers.filter(served)) expect(answer.data).toEqual(before.data);
    expect(answers.flatMap(codesOf)).not.toContain('INTERNAL_SERVER_ERROR');
  });

  it('keeps the connections a burst opened for a minute unused, not pg-pool\'s 10 s', async () => {
    const pool = await poolOf(tiny);
    expect(pool.options.idleTimeoutMillis).toBe(IDLE_CONNECTION_MS);
    expect(IDLE_CONNECTION_MS).toBeGreaterThanOrEqual(60_000);
    const release = await holdAll(pool);
    release();
    expect(pool.totalCount).toBe(BUDGET.max);
  });

  it('refuses a query that waited longer than the acquire timeout, and serves the next one', async () => {
    const release = await holdAll(await poolOf(tiny));
    const started = Date.now();
    const answers = await burst(BUDGET.maxWaiting, () => post(tiny, NODE, { id: ALLIANCE }));
    const waited = Date.now() - started;
    release();
    expect(answers.every(refused)).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(BUDGET.acquireTimeoutMs - 50);
    expect(served(await post(tiny, NODE, { id: ALLIANCE }))).toBe(true);
  });

  it('answers the gateway\'s probe (GET /references) with its data version while every connection of the pool is held', async () => {
    const probe = async () => {
      const started = Date.now();
      const response = await fetch(new URL(REFERENCES_PATH, tiny.url), {
        headers: gatewaySignature(tiny, '', HUB_ADMIN, { method: 'GET', path: REFERENCES_PATH }),
      });
      return { status: response.status, version: response.headers.get(DATA_VERSION_HEADER), ms: Date.now() - started };
    };
    const expected = await dataVersion(tiny.orm);
    expect(await probe()).toMatchObject({ status: 200, version: expected });
    const release = await holdAll(await poolOf(tiny));
    try {
      const held = await probe();
      expect(held).toMatchObject({ status: 200, version: expected });
      // Not after waiting out the acquire timeout for a connection.
      expect(held.ms).toBeLessThan(BUDGET.acquireTimeoutMs / 2);
    } finally {
      release();
    }
  });

  it('answers 30 heavy requests at once with data or SERVICE_OVERLOADED only; a bystander afterwards gets the same data; the gauges move', async () => {
    const baseline = await post(tiny, HEAVY);
    expect(served(baseline)).toBe(true);
    const refusalsBefore = await scrape();
    const samples: string[] = [];
    let sampling = true;
    const sampler = (async () => { while (sampling) samples.push(await scrape()); })();
    const answers = await burst(30, () => post(tiny, HEAVY));
    sampling = false;
    await sampler;

    for (const answer of answers) {
      // Data (possibly with parts refused), or nothing served and all of it SERVICE_OVERLOADED.
      if (answer.status === 200) {
        expect(answer.data).toBeTruthy();
        expect(codesOf(answer).every((code) => code === 'SERVICE_OVERLOADED')).toBe(true);
      } else {
        expect(refused(answer), JSON.stringify(answer)).toBe(true);
      }
    }
    expect(answers.flatMap(codesOf)).not.toContain('INTERNAL_SERVER_ERROR');
    expect(answers.some(served)).toBe(true);
    for (const answer of answers.filter(served)) expect(answer.data).toEqual(baseline.data);

    const bystander = await post(tiny, HEAVY);
    expect(served(bystander)).toBe(true);
    expect(bystander.data).toEqual(baseline.data);

    const inUse = samples.map((text) => metric(text, 'hub_db_pool_connections\\{service="alliances",state="in_use"\\}'));
    const waiting = samples.map((text) => metric(text, 'hub_db_pool_waiting\\{service="alliances"\\}'));
    expect(Math.max(...inUse)).toBe(BUDGET.max);
    expect(Math.max(...waiting)).toBeGreaterThan(0);
    expect(Math.max(...waiting)).toBeLessThanOrEqual(BUDGET.maxWaiting);
    const after = await scrape();
    expect(metric(after, 'hub_db_pool_waiting\\{service="alliances"\\}')).toBe(0);
    expect(metric(after, 'hub_db_pool_connections\\{service="alliances",state="in_use"\\}')).toBe(0);
    expect(metric(after, 'hub_db_pool_limit\\{service="alliances",limit="connections"\\}')).toBe(BUDGET.max);
    expect(metric(after, 'hub_db_pool_limit\\{service="alliances",limit="waiting"\\}')).toBe(BUDGET.maxWaiting);
    const refusals = (text: string) => metric(text, 'hub_db_pool_refusals_total\\{service="alliances",reason="queue_full"\\}');
    if (answers.some((a) => a.status === 503 || a.errors)) expect(refusals(after)).toBeGreaterThan(refusals(refusalsBefore) || 0);
    expect(after).toMatch(/^hub_graphql_errors_total\{service="alliances",code="SERVICE_OVERLOADED"\} [1-9]/m);
  }, 60_000);
});

describe('the gateway in front of it', () => {
  it('passes the refusal on: 503 with Retry-After and the code when nothing was served', async () => {
    const before = await post('gateway', NODE, { id: ALLIANCE });
    expect(served(before)).toBe(true);
    const release = await holdAll(await poolOf(tiny));
    // Distinct requests: identical reads in flight would share one subgraph request.
    let sent = 0;
    const answers = await burst(30, () => post('gateway', NODE, { id: `SL:alliance:probe-${sent++}` }), { after: 30 - BUDGET.maxWaiting, run: release });
    expect(answers.filter(refused)).toHaveLength(30 - BUDGET.maxWaiting);
    expect(answers.filter(served)).toHaveLength(BUDGET.maxWaiting);
    // Refused at once, not after the acquire timeout; the gateway sends a refused read once more
    // after the instance's Retry-After, for at most maxInFlight reads waiting at the instance.
    const later = answers.filter(refused).filter((answer) => answer.ms >= BUDGET.acquireTimeoutMs / 2);
    expect(later.length).toBeLessThanOrEqual(gateway.registry!.instances('alliances')[0].maxInFlight);
    for (const answer of answers.filter(refused)) {
      expect(answer.ms).toBeLessThan(MAX_RETRY_PAUSE_MS + BUDGET.acquireTimeoutMs / 2);
      expect(answer.errors![0]).toMatchObject({ path: ['alliance'], extensions: { code: 'SERVICE_OVERLOADED' } });
      expect(answer.errors![0].message).not.toMatch(/postgres|pool|connect|queue/i);
    }
    // The instance answered: it stays in, for every caller.
    const [instance] = gateway.registry!.instances('alliances');
    expect(gateway.registry!.healthOf(instance).status).toBe('UP');
  });

  it('keeps partial data at 200, the refused part marked SERVICE_OVERLOADED', async () => {
    const release = await holdAll(await poolOf(tiny));
    const started = Date.now();
    const answers = await burst(BUDGET.maxWaiting + 1, () => post('gateway', `query Partial($id: ID!) {
      alliance(id: $id) { id name } networks(region: SL) { id name } }`, { id: ALLIANCE }));
    release();
    expect(Date.now() - started).toBeLessThan(gateway.registry!.instances('alliances')[0].timeoutMs);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.data).toMatchObject({ alliance: null, networks: expect.arrayContaining([expect.objectContaining({ id: expect.any(String) })]) });
      expect(codesOf(answer)).toEqual(['SERVICE_OVERLOADED']);
      expect(answer.retryAfter).toBeNull();
    }
  });

  it('answers 30 anonymous heavy requests with data or SERVICE_OVERLOADED only; a bystander afterwards gets the same data', async () => {
    type Page = { alliances: { totalCount: number; edges: unknown[] }; allianceStatistics: unknown };
    const baseline = await post('gateway', HEAVY_VIA_GATEWAY, { first: 30 });
    expect(served(baseline)).toBe(true);
    const expected = (first: number) => {
      const data = baseline.data as Page;
      return { ...data, alliances: { ...data.alliances, edges: data.alliances.edges.slice(0, first) } };
    };
    // Page sizes 1 to 30: distinct requests, which the gateway does not share.
    let sent = 0;
    const pages: number[] = [];
    const answers = await burst(30, () => { pages.push(++sent); return post('gateway', HEAVY_VIA_GATEWAY, { first: sent }); });
    answers.forEach((answer, i) => {
      if (answer.status === 200) expect(codesOf(answer).every((code) => code === 'SERVICE_OVERLOADED')).toBe(true);
      else expect(refused(answer), JSON.stringify(answer)).toBe(true);
      if (served(answer)) expect(answer.data).toEqual(expected(pages[i]));
    });
    expect(answers.flatMap(codesOf)).not.toContain('INTERNAL_SERVER_ERROR');
    expect(answers.some(refused)).toBe(true);
    const bystander = await post('gateway', HEAVY_VIA_GATEWAY, { first: 30 });
    expect(served(bystander)).toBe(true);
    expect(bystander.data).toEqual(baseline.data);
  }, 60_000);
});

describe('a database server without a connection left', () => {
  const role = `hub_limited_${randomUUID().slice(0, 8)}`;
  const database = `${role}_db`;
  const admin = () => new pg.Client({ connectionString: `${inject('postgresBaseUrl')}postgres` });
  let limited: TestSubgraph | undefined;

  afterAll(async () => {
    await limited?.stop();
    const client = admin();
    await client.connect();
    try {
      await client.query(`drop database if exists "${database}" with (force)`);
      await client.query(`drop role if exists "${role}"`);
    } finally {
      await client.end();
    }
  });

  it('refuses with SERVICE_OVERLOADED (503) when PostgreSQL says too many connections (53300)', async () => {
    // Connection limits hold for roles without superuser rights only.
    const client = admin();
    await client.connect();
    try {
      await client.query(`create role "${role}" login password 'limited'`);
      // One for the instance's data version feed, one for its pool.
      await client.query(`create database "${database}" owner "${role}" connection limit 2`);
    } finally {
      await client.end();
    }
    const url = new URL(inject('postgresBaseUrl'));
    url.username = role;
    url.password = 'limited';
    url.pathname = `/${database}`;
    limited = await startTestSubgraph(alliancesSubgraph, {
      databaseUrl: url.toString(), regions: [Region.SL], seed: true, connections: { max: 4, maxWaiting: 10, acquireTimeoutMs: 2_000 },
      metricsToken: TEST_METRICS_TOKEN,
    });
    const pool = await poolOf(limited);
    const release = await holdAll(pool, 1);
    const answer = await post(limited, NODE, { id: ALLIANCE });
    release();
    expect(answer).toMatchObject({ status: 503, retryAfter: '1', data: { alliance: null } });
    expect(codesOf(answer)).toEqual(['SERVICE_OVERLOADED']);
    expect(answer.errors![0].message).not.toMatch(/too many|connections|database/i);
    expect(served(await post(limited, NODE, { id: ALLIANCE }))).toBe(true);
    expect(metric(await scrape(), 'hub_db_pool_refusals_total\\{service="alliances-sl",reason="too_many_clients"\\}')).toBeGreaterThan(0);
  });
});

describe('the connection budget settings', () => {
  it('npm start refuses pools that do not fit its server together, and states the budget', () => {
    // Settings enough that start-up writes nothing (no .hub secrets) before it reads the server's limits.
    const signingKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      env: {
        PATH: process.env.PATH, HUB_LOG_LEVEL: 'silent', HUB_DATABASE_URL: `${inject('postgresBaseUrl')}postgres`, HUB_DB_POOL_MAX: '1000',
        HUB_SIGNING_KEY: signingKey, HUB_JWT_SECRET: TEST_JWT_SECRET, HUB_METRICS_TOKEN: TEST_METRICS_TOKEN,
      },
      encoding: 'utf8', timeout: 30_000,
    });
    expect(result.status).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/HUB_DB_POOL_MAX=1000 does not fit: 24 instances would hold up to 24024 connections, but the server allows \d+/);
  });

  it('a subgraph instance names every bad one and does not start', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'subgraphs/main.ts', 'alliances'], {
      env: { PATH: process.env.PATH, HUB_LOG_LEVEL: 'silent', HUB_DB_POOL_MAX: '0', HUB_DB_ACQUIRE_TIMEOUT_MS: 'bald', HUB_DB_QUEUE_MAX: '-1' },
      encoding: 'utf8', timeout: 30_000,
    });
    expect(result.status).not.toBe(0);
    for (const name of ['HUB_DB_POOL_MAX', 'HUB_DB_ACQUIRE_TIMEOUT_MS', 'HUB_DB_QUEUE_MAX']) {
      expect(`${result.stdout}${result.stderr}`).toContain(`  - ${name}:`);
    }
  });
});
