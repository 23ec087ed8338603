/**
 * The benchmark's load driver counts only good answers as throughput: an HTTP 200 carrying
 * `errors`, an answer without the workload's data, or an HTTP error is a bad answer, reported by
 * reason. And the requests it sends vary: the sequence a workload draws from repeats no body
 * back to back and names other regions, words and ids.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drive } from '../scripts/bench/driver.js';
import { generateDataset } from '../scripts/bench/generate.js';
import { WORKLOADS, badAnswer, requestSequence } from '../scripts/bench/requests.js';

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
