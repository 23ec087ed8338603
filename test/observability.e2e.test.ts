import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alliancesSubgraph } from '../subgraphs/alliances/index.js';
import { peopleSubgraph } from '../subgraphs/people/index.js';
import type { Region } from '../subgraphs/kit/index.js';
import { startTestHub, writeTopology, instanceName, type TestHub } from './support/hub.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';
import { HUB_ADMIN, TEST_METRICS_TOKEN, gatewaySignature } from './support/security.js';

/** Health, readiness, metrics, request ids and graceful shutdown, on the regional hub over HTTP. */
let hub: TestHub;
let base: string;
const extra: TestSubgraph[] = [];

beforeAll(async () => {
  hub = await startTestHub({
    seed: true, regions: [['SL'], ['NW'], ['BW', 'DE', 'ST', 'TH']] as Region[][], metricsToken: TEST_METRICS_TOKEN,
  });
  base = hub.gateway.url.replace(/\/graphql$/, '');
}, 90_000);
afterAll(async () => {
  await hub?.stop();
  await Promise.all(extra.map((s) => s.stop()));
});

const instance = (name: string) => Object.values(hub.subgraphs).find((s) => instanceName(s.name, s.regions!) === name)!;

describe('health and readiness', () => {
  it('answers live and ready on the gateway and on every subgraph instance', async () => {
    expect(await (await fetch(`${base}/health/live`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', service: 'gateway' });
    const sl = instance('alliances-sl').url.replace(/\/graphql$/, '');
    expect(await (await fetch(`${sl}/health/ready`)).json()).toEqual({ status: 'ok', subgraph: 'alliances', regions: ['SL'] });
  });
});

describe('request ids and metrics', () => {
  it('keeps the caller\'s request id, passes it to the subgraphs and returns it', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const target = instance('people-sl');
    const proxy: Server = createServer(async (req, res) => {
      seen.push(req.headers);
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const forwarded = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('x-'))) as Record<string, string>;
      const answer = await fetch(target.url, { method: 'POST', headers: { ...forwarded, 'content-type': 'application/json' }, body: Buffer.concat(chunks) });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      await hub.useTopology(Object.values(hub.subgraphs).map((s) => (s === target
        ? { ...s, url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql` } : s)));
      const response = await fetch(hub.gateway.url, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'trace-4711' },
        body: JSON.stringify({ query: 'query SaarlandPeople { people(filter: { regions: [SL] }) { totalCount } }' }),
      });
      expect(response.headers.get('x-request-id')).toBe('trace-4711');
      expect(((await response.json()) as { data: { people: { totalCount: number } } }).data.people.totalCount).toBe(2);
      expect(seen.filter((h) => !String(h['content-length']).startsWith('3')).map((h) => h['x-request-id'])).toContain('trace-4711');
      const generated = await fetch(hub.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'bad id!' },
        body: JSON.stringify({ query: '{ __typename }' }) });
      expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      writeTopology(hub.topologyPath!, Object.values(hub.subgraphs));
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('exposes Prometheus metrics: operations by name and outcome, errors by code, subgraph latencies', async () => {
    await hub.anonymous('query DashboardNumbers { projectStatistics { total } }');
    await hub.anonymous('query Broken { alliance(id: "kaputt") { name } }');
    const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } })).text();
    expect(text).toMatch(/hub_graphql_operations_total\{service="gateway",operation="DashboardNumbers",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/hub_graphql_operations_total\{service="gateway",operation="Broken",outcome="error"\} [1-9]/);
    expect(text).toMatch(/hub_graphql_errors_total\{service="gateway",code="BAD_USER_INPUT"\} [1-9]/);
    expect(text).toMatch(/hub_graphql_operation_duration_seconds_bucket\{le="0.1",service="gateway",operation="DashboardNumbers"\}/);
    // Each instance counts the gateway's part of the operation under the planner's name.
    expect(text).toMatch(/hub_graphql_operations_total\{service="projects-sl",operation="DashboardNumbers__projects__0",outcome="ok"\} 1/);
    expect(text).toMatch(/hub_subgraph_request_duration_seconds_count\{subgraph="projects",instance="projects-sl",outcome="ok"\} [1-9]/);
    expect(text).toContain('process_resident_memory_bytes');
  });
});

describe('graceful shutdown', () => {
  /** Opens a request and sends half its body: it is in flight until `finish` sends the rest. */
  function halfSent(instance: TestSubgraph, body: string) {
    let finish!: () => void;
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: instance.port, path: '/graphql', method: 'POST', agent: false, headers: {
        ...gatewaySignature(instance, body, HUB_ADMIN), 'content-type': 'application/json', 'content-length': Buffer.byteLength(body),
      } }, (res) => {
        let text = '';
        res.on('data', (chunk) => { text += chunk; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      finish = () => req.end(body.slice(10));
    });
    return { answer, finish: () => finish() };
  }

  it('answers every request in flight when the instance stops, then refuses new ones', async () => {
    const subgraph = await startTestSubgraph(alliancesSubgraph, { seed: true });
    const body = JSON.stringify({ query: '{ alliances { totalCount } }' });
    const inFlight = Array.from({ length: 25 }, () => halfSent(subgraph, body));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stopping = subgraph.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    inFlight.forEach((r) => r.finish());
    const answers = await Promise.all(inFlight.map((r) => r.answer));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    for (const a of answers) expect(JSON.parse(a.text)).toEqual({ data: { alliances: { totalCount: 4 } } });
    await stopping;
    await expect(fetch(subgraph.url, { method: 'POST', body })).rejects.toThrow();
  });
});

describe('readiness of the gateway', () => {
  it('is 503 while a subgraph has no answering instance, and ready again when it is back', async () => {
    const people = Object.values(hub.subgraphs).filter((s) => s.name === 'people');
    for (const instance of people) await instance.stop();
    const url = `${base}/health/ready`;
    let response = await fetch(url);
    for (let i = 0; i < 40 && response.status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      response = await fetch(url);
    }
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', reason: 'no instance of people answers' });
    for (const instance of people) {
      extra.push(await startTestSubgraph(peopleSubgraph, { regions: instance.regions, port: instance.port, databaseUrl: instance.databaseUrl }));
    }
    for (let i = 0; i < 40 && response.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      response = await fetch(url);
    }
    expect(response.status).toBe(200);
  });
});
