/**
 * The load driver: a fixed number of connections, each sending the next request of a shared
 * sequence as soon as its previous answer is in, for a fixed time. Every answer is read and
 * checked; only good answers count as throughput and latency, bad ones are counted by reason.
 */
import { Agent, request } from 'node:http';
import { badAnswer, type BenchRequest } from './requests.js';

export interface LoadRun {
  /** Latencies of good answers, ms, sorted. */
  latencies: number[];
  good: number;
  bad: number;
  /** Bad answers by reason (first 100 characters), most frequent first. */
  badReasons: [string, number][];
  seconds: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  /** Extra headers for connection i (e.g. a token per simulated user). */
  headersFor?: (connection: number) => Record<string, string>;
}

export async function drive(url: string, requests: BenchRequest[], options: LoadOptions): Promise<LoadRun> {
  if (requests.length === 0) throw new Error('no requests to send');
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(url);
  const latencies: number[] = [];
  const reasons = new Map<string, number>();
  let good = 0;
  let bad = 0;
  let next = 0;
  const started = performance.now();
  const end = started + options.seconds * 1000;
  const connection = async (i: number) => {
    const headers = { 'content-type': 'application/json', ...options.headersFor?.(i) };
    while (performance.now() < end) {
      const item = requests[next++ % requests.length];
      const t0 = performance.now();
      let reason: string | undefined;
      try {
        const { status, text } = await post(agent, target, headers, item.body);
        reason = badAnswer(item.workload, status, text);
      } catch (error) {
        reason = `request failed: ${(error as Error).message}`;
      }
      if (reason === undefined) {
        good++;
        latencies.push(performance.now() - t0);
      } else {
        bad++;
        const key = reason.slice(0, 100);
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, i) => connection(i)));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies: latencies.sort((a, b) => a - b), good, bad, badReasons: [...reasons].sort((a, b) => b[1] - a[1]), seconds };
}

function post(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
