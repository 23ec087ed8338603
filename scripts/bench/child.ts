import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '../lib/paths.js';
import type { ConnectionBudget } from '../../subgraphs/kit/connections.js';
import type { InstancePlan } from './subgraph-process.js';

export type ChildMessage = { type: string; [key: string]: unknown };

/**
 * One helper process of the bench (a gateway under test, or a host of subgraph instances),
 * driven over IPC with one question at a time. Each module answers `stats`, `gc` and `stop`.
 */
export class BenchChild {
  private readonly child: ChildProcess;
  private pending?: (message: ChildMessage) => void;
  private stopped = false;

  constructor(module: 'gateway-process.ts' | 'subgraph-process.ts') {
    this.child = fork(fileURLToPath(new URL(`./${module}`, import.meta.url)), [], {
      execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'], cwd: PROJECT_ROOT,
      env: { ...process.env, HUB_LOG_LEVEL: process.env.HUB_LOG_LEVEL ?? 'warn' },
    });
    this.child.on('message', (message) => { const done = this.pending; this.pending = undefined; done?.(message as ChildMessage); });
    // A child gone (e.g. interrupted with the bench) closes the channel: not a crash of the bench.
    this.child.on('error', () => undefined);
  }

  ask(message: object): Promise<ChildMessage> {
    return new Promise((resolve, reject) => {
      if (this.pending) return reject(new Error('one question at a time'));
      this.pending = resolve;
      this.child.send(message);
    });
  }

  async gc(): Promise<void> { await this.ask({ type: 'gc' }); }

  async stop(): Promise<void> {
    if (this.stopped || this.child.exitCode !== null) return;
    this.stopped = true;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'stop' });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** Subgraph instances in one process of their own (subgraph-process.ts), as a deployment runs them apart from the load. */
export class SubgraphHost extends BenchChild {
  constructor() { super('subgraph-process.ts'); }

  /** Starts the instances; their URLs, in the plans' order. */
  async start(instances: InstancePlan[], gatewayPublicKeys: string, connections?: Partial<ConnectionBudget>): Promise<string[]> {
    const answer = await this.ask({ type: 'start', instances, gatewayPublicKeys, connections });
    if (answer.type !== 'started') throw new Error(`subgraph instances did not start: ${answer.message as string}`);
    return answer.urls as string[];
  }

  async stats(): Promise<ProcessStats> {
    return (await this.ask({ type: 'stats' })).stats as ProcessStats;
  }
}

/** The answer to `stats`: the process's CPU time and memory since start (or the last reset). */
export interface ProcessStats {
  cpuMicros: number;
  rss: number;
  heapUsed: number;
  peakRss: number;
  statements: number;
  /** GraphQL operations the process's subgraph instances answered (not the gateway's probes); 0 elsewhere. */
  operations: number;
}

/**
 * The child's side: samples peak RSS, answers `stats`/`reset`/`gc`, hands other messages to
 * `handle`, and runs `stop` before exiting. `counts` is whatever the module counts.
 */
export function serveParent(
  handle: (message: ChildMessage) => Promise<ChildMessage>, counts: () => Promise<Pick<ProcessStats, 'statements' | 'operations'>>, stop: () => Promise<void>,
): void {
  let peakRss = 0;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); }, 100);
  sampler.unref();
  process.on('message', (message: ChildMessage) => {
    void (async () => {
      if (message.type === 'stats' || message.type === 'reset') {
        const cpu = process.cpuUsage();
        const memory = process.memoryUsage();
        peakRss = Math.max(peakRss, memory.rss);
        const stats: ProcessStats = { cpuMicros: cpu.user + cpu.system, rss: memory.rss, heapUsed: memory.heapUsed, peakRss, ...await counts() };
        if (message.type === 'reset') peakRss = memory.rss;
        process.send!({ type: 'stats', stats });
      } else if (message.type === 'gc') {
        (globalThis as { gc?: () => void }).gc?.();
        process.send!({ type: 'gc' });
      } else if (message.type === 'stop') {
        await stop().catch(() => undefined);
        process.exit(0);
      } else {
        try {
          process.send!(await handle(message));
        } catch (error) {
          process.send!({ type: 'failed', message: (error as Error).stack ?? String(error) });
        }
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
}
