import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alliancesSubgraph } from '../subgraphs/alliances/index.js';
import { MAX_OPERATION_LABELS } from '../subgraphs/kit/index.js';
import { startGateway, type RunningGateway } from '../gateway/server.js';
import { tokenAuthenticator } from '../gateway/auth.js';
import { SUPERGRAPH_PATH } from '../scripts/lib/supergraph.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';
import { TEST_JWT_SECRET, TEST_METRICS_TOKEN, TEST_SIGNING_KEY } from './support/security.js';

/**
 * `/metrics` is for the configured scraper only, on the gateway and on every subgraph instance,
 * and its label values come from a bounded set whatever operation names callers send.
 */
let hub: TestHub;
let gatewayBase: string;
let instanceBase: string;
const started: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  hub = await startTestHub({ metricsToken: TEST_METRICS_TOKEN });
  gatewayBase = hub.gateway.url.replace(/\/graphql$/, '');
  instanceBase = hub.subgraphs.alliances.url.replace(/\/graphql$/, '');
}, 90_000);
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  await hub?.stop();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function scrape(base = gatewayBase): Promise<string> {
  const response = await fetch(`${base}/metrics`, { headers: bearer(TEST_METRICS_TOKEN) });
  expect(response.status).toBe(200);
  return response.text();
}

/** The operation label values a service is counted under. */
function operationLabels(text: string, service: string): Set<string> {
  const pattern = new RegExp(`^hub_graphql_operations_total\\{service="${service}",operation="((?:[^"\\\\]|\\\\.)*)",`, 'gm');
  return new Set([...text.matchAll(pattern)].map((match) => match[1]));
}

/** Every operation label value of every service. */
function allOperationLabels(text: string): string[] {
  return [...text.matchAll(/[{,]operation="((?:[^"\\]|\\.)*)"/g)].map((match) => match[1]);
}

async function post(body: unknown): Promise<Response> {
  const response = await fetch(hub.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response;
}

describe('who may read /metrics', () => {
  it.each([['the gateway', () => gatewayBase], ['a subgraph instance', () => instanceBase]])(
    '%s answers the scraper\'s token only', async (_name, base) => {
      const url = `${base()}/metrics`;
      const anonymous = await fetch(url);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      const body = await anonymous.text();
      expect(body).not.toContain('hub_graphql_operations_total');
      for (const authorization of [`Bearer ${TEST_METRICS_TOKEN}x`, `Bearer ${TEST_METRICS_TOKEN.slice(0, -1)}`, 'Bearer x',
        `Basic ${TEST_METRICS_TOKEN}`, TEST_METRICS_TOKEN, 'Bearer ']) {
        const refused = await fetch(url, { headers: { authorization } });
        expect(refused.status, authorization).toBe(401);
        expect(await refused.text()).not.toContain('process_resident_memory_bytes');
      }
      const scraped = await fetch(url, { headers: bearer(TEST_METRICS_TOKEN) });
      expect(scraped.status).toBe(200);
      expect(scraped.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await scraped.text()).toContain('process_resident_memory_bytes');
    });

  it('is off (404) on a gateway and an instance started without a metrics token', async () => {
    const instance: TestSubgraph = await startTestSubgraph(alliancesSubgraph);
    started.push(instance);
    const gateway: RunningGateway = await startGateway({
      supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
      subgraphUrls: Object.fromEntries(Object.values(hub.subgraphs).map((s) => [s.name, s.url])),
      security: { signingKey: TEST_SIGNING_KEY, authenticate: await tokenAuthenticator({ secret: TEST_JWT_SECRET }) },
      port: 0,
      host: '127.0.0.1',
    });
    started.push(gateway);
    for (const base of [gateway.url, instance.url].map((url) => url.replace(/\/graphql$/, ''))) {
      for (const headers of [{}, bearer(TEST_METRICS_TOKEN)]) {
        const response = await fetch(`${base}/metrics`, { headers });
        expect(response.status).toBe(404);
        expect(await response.text()).not.toContain('hub_graphql');
      }
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
    }
  });
});

describe('the HUB_METRICS_TOKEN setting', () => {
  /** Starts a script with a setting and gives its exit status and output. */
  const run = (script: string, args: string[], token: string) => new Promise<{ status: number | null; output: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { PATH: process.env.PATH, HUB_LOG_LEVEL: 'silent', HUB_METRICS_TOKEN: token }, encoding: 'utf8', timeout: 30_000,
    }, (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, output: `${stdout}${stderr}` }));
  });

  it('stops the gateway, a subgraph instance and npm start when it is bad, and names it', async () => {
    const runs = [
      run('gateway/main.ts', ['--port', '0'], 'short'), run('gateway/main.ts', ['--port', '0'], `${'x'.repeat(40)} with spaces`),
      run('subgraphs/main.ts', ['alliances'], 'short'), run('scripts/start.ts', [], 'short'),
    ];
    for (const { status, output } of await Promise.all(runs)) {
      expect(status, output).not.toBe(0);
      expect(output).toContain('  - HUB_METRICS_TOKEN:');
    }
  }, 90_000);
});

describe('operation labels', () => {
  it('counts 50 distinct long operation names under one label, and grows /metrics by little', async () => {
    await post({ query: 'query Warmup { __typename }' });
    const before = await scrape();
    const labelsBefore = operationLabels(before, 'gateway');
    for (let i = 0; i < 50; i++) {
      // 20 KB names: valid GraphQL, far too long for a label.
      const name = `Op${i}_${'x'.repeat(20_000)}`;
      expect((await post({ query: `query ${name} { __typename }` })).status).toBe(200);
    }
    // Through the gateway to an instance: the planner's name for it is just as long.
    expect((await post({ query: `query ${'y'.repeat(5_000)} { alliances { totalCount } }` })).status).toBe(200);
    const after = await scrape();
    const added = [...operationLabels(after, 'gateway')].filter((label) => !labelsBefore.has(label));
    expect(added.length).toBeLessThanOrEqual(1);
    expect(added.every((label) => label === '(other)')).toBe(true);
    expect(after).toMatch(/hub_graphql_operations_total\{service="gateway",operation="\(other\)",outcome="ok"\} ([5-9]\d|\d{3,})/);
    expect(Math.max(...allOperationLabels(after).map((label) => label.length))).toBeLessThanOrEqual(100);
    expect(after).toMatch(/hub_graphql_operations_total\{service="alliances",operation="\(other\)",outcome="ok"\} [1-9]/);
    expect(after.length - before.length).toBeLessThan(20_000);
  });

  it('takes no name that is not an operation of the document, and counts unnamed operations as (anonymous)', async () => {
    const garbage = ['<script>alert(1)</script>', 'a"b\\c', 'Ünïcödé', `Z${'z'.repeat(300)}`, 'NotInTheDocument'];
    for (const operationName of garbage) await post({ query: 'query Present { __typename }', operationName });
    await post({ query: '{ __typename }' });
    const labels = operationLabels(await scrape(), 'gateway');
    for (const name of garbage) expect(labels.has(name), name).toBe(false);
    expect(labels.has('(anonymous)')).toBe(true);
  });

  it('keeps well-formed names, up to a bounded number of them per service', async () => {
    await post({ query: 'query DashboardNumbers { __typename }' });
    await post({ query: 'query _under_score_9 { __typename }' });
    let labels = operationLabels(await scrape(), 'gateway');
    expect(labels.has('DashboardNumbers')).toBe(true);
    expect(labels.has('_under_score_9')).toBe(true);

    const names = Array.from({ length: MAX_OPERATION_LABELS + 20 }, (_, i) => `Distinct${i}`);
    for (const name of names) await post({ query: `query ${name} { __typename }` });
    labels = operationLabels(await scrape(), 'gateway');
    const named = [...labels].filter((label) => label !== '(other)' && label !== '(anonymous)');
    expect(named.length).toBe(MAX_OPERATION_LABELS);
    expect(labels.has('Distinct0')).toBe(true);
    expect(labels.has(names.at(-1)!)).toBe(false);
    // A name taken before stays counted under its own label.
    await post({ query: 'query DashboardNumbers { __typename }' });
    expect(await scrape()).toMatch(/hub_graphql_operations_total\{service="gateway",operation="DashboardNumbers",outcome="ok"\} 2/);
  });
});
