/**
 * The benchmark's load driver counts only good answers as throughput: an HTTP 200 carrying
 * `errors`, an answer without the workload's data, or an HTTP error is a bad answer, reported by
 * reason. And the requests it sends vary: the sequence a workload draws from repeats no body
 * back to back and names other regions, words and ids. Targets are judged on the varied rounds.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drive } from '../scripts/bench/driver.js';
import { generateDataset } from '../scripts/bench/generate.js';
import { WORKLOADS, badAnswer, requestSequence } from '../scripts/bench/requests.js';
import { report, summaries, targets, type BenchResult, type GatewayName, type Measurement, type Mode } from '../scripts/bench/run.js';

let url: string;
let served = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const n = served++;
    // Every third request errors inside an HTTP 200, every fifth lacks its data, every seventh is a 503.
    if (n % 7 === 6) return res.writeHead(503).end('{}');
    const body = n % 3 === 2 ? { data: null, errors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }
      : n % 5 === 4 ? { data: { networks: null } } : { data: { networks: [] } };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('benchmark load driver', () => {
  it('counts only good answers as throughput and names the reasons of bad ones', async () => {
    served = 0;
    const requests = requestSequence('NetworkMembers', generateDataset({ seed: 1, scale: 0.01 }), { seed: 1, length: 50 });
    const run = await drive(url, requests, { connections: 3, seconds: 0.5 });
    expect(run.good + run.bad).toBe(served);
    const expected = { good: 0, errors: 0, missing: 0, http: 0 };
    for (let n = 0; n < served; n++) {
      if (n % 7 === 6) expected.http++;
      else if (n % 3 === 2) expected.errors++;
      else if (n % 5 === 4) expected.missing++;
      else expected.good++;
    }
    expect(run.good).toBe(expected.good);
    expect(run.latencies).toHaveLength(expected.good);
    expect(Object.fromEntries(run.badReasons)).toEqual(Object.fromEntries(([
      ['error INTERNAL_SERVER_ERROR boom', expected.errors], ['data missing', expected.missing], ['HTTP 503', expected.http],
    ] as [string, number][]).filter(([, n]) => n > 0)));
  });

  it('checks each workload for its own data', () => {
    expect(badAnswer('Dashboard', 200, JSON.stringify({ data: { projectStatistics: { total: 3 }, allianceStatistics: { total: 1 } } }))).toBeUndefined();
    expect(badAnswer('Dashboard', 200, JSON.stringify({ data: { projectStatistics: { total: 3 }, allianceStatistics: null } }))).toBe('data missing');
    expect(badAnswer('NodeLookup', 200, JSON.stringify({ data: { alliance: { id: 'x' }, project: null, network: { id: 'y' } } }))).toBe('data missing');
    expect(badAnswer('FindAlliances', 200, '<html>')).toBe('not JSON');
  });
});

describe('benchmark requests', () => {
  it('vary: a workload\'s sequence is seeded, rarely repeats a body back to back, and spreads over the data', () => {
    const dataset = generateDataset({ seed: 1, scale: 0.03 });
    for (const workload of WORKLOADS) {
      const a = requestSequence(workload, dataset, { seed: 5, length: 200 });
      expect(requestSequence(workload, dataset, { seed: 5, length: 200 }).map((r) => r.body)).toEqual(a.map((r) => r.body));
      expect(requestSequence(workload, dataset, { seed: 6, length: 200 }).map((r) => r.body)).not.toEqual(a.map((r) => r.body));
      const distinct = new Set(a.map((r) => r.body)).size;
      expect(distinct, workload).toBeGreaterThan(workload === 'NetworkMembers' ? 15 : 40);
    }
  });
});

describe('benchmark targets', () => {
  // The start-up load, the repeated body and the signed-in callers are reported, but a target is
  // judged on the varied rounds alone: a warm or shared row must not lift a ratio.
  it('are judged on the measured load: start-up rows count for none', () => {
    const row = (gateway: GatewayName, mode: Mode, round: number, rps: number): Measurement => ({
      gateway, workload: 'NodeLookup', mode, round, rps, p50: 10, p95: 20, p99: 30, requests: rps * 10, failures: 0, failureReasons: [],
      sqlPerRequest: 1, subgraphRequestsPerRequest: 1, cpuMsPerRequest: 1, subgraphCpuMsPerRequest: 1, peakRssMb: 100,
    });
    const result = (extra: Measurement[]): BenchResult => ({
      options: { scale: 1, seed: 1, durationSeconds: 10, warmupSeconds: 2, connections: 16, gateways: ['hub-regional', 'hub-single'], workloads: ['NodeLookup'], pgPort: 0 },
      counts: {}, correctness: [], statementsBySize: [], machine: 'test', setupSeconds: 0, supergraphNote: 'test',
      // In a run's order: the start-up load comes before the rounds.
      measurements: [...extra, row('hub-regional', 'varied', 1, 90), row('hub-single', 'varied', 1, 100), row('hub-single', 'varied', 2, 100), row('hub-regional', 'varied', 2, 95)],
    });
    const regionalTarget = (r: BenchResult) => targets(r).find((t) => t.target.startsWith('NodeLookup: hub over 17 regional instances'));
    expect(regionalTarget(result([]))).toMatchObject({ value: '0.93×', met: false });
    const startUp = [row('hub-regional', 'start-up', 0, 1000), row('hub-regional', 'repeated', 1, 1000), row('hub-regional', 'signed-in', 1, 1000)];
    expect(regionalTarget(result(startUp))).toMatchObject({ value: '0.93×', met: false });
    expect(summaries(result(startUp)).find((s) => s.gateway === 'hub-regional' && s.mode === 'start-up')).toMatchObject({ rps: 1000, rounds: 1 });
    expect(report(result(startUp))).toMatch(/\| NodeLookup \| start-up \| hub-regional \| 1000\.0 \|/);
    // Bad answers of the start-up load are shown beside the target, which the rounds decide.
    const badTarget = (r: BenchResult) => targets(r).find((t) => t.target.startsWith('bad answers'));
    const failing = (m: Measurement) => ({ ...m, failures: 3 });
    expect(badTarget(result([failing(startUp[0])]))).toMatchObject({ value: '0 (start-up load: 3)', met: true });
    expect(badTarget(result([startUp[0], failing(startUp[1])]))).toMatchObject({ value: '3 (start-up load: 0)', met: false });
  });
});
