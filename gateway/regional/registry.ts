import { unwatchFile, watchFile } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { signedHeaders, type Region } from '../../subgraphs/kit/index.js';
import { fetchInstanceSchema, schemaDifferences } from './schema-check.js';
import { ReferenceTracker } from './references.js';
import { TopologyError, readTopologyFile, type Instance, type Topology } from './topology.js';

export type InstanceStatus = 'UP' | 'DOWN' | 'REFUSED' | 'UNCHECKED';

export interface InstanceHealth {
  status: InstanceStatus;
  /** Why it is DOWN or REFUSED. */
  reason?: string;
  checkedAt?: Date;
  latencyMs?: number;
  /** Its schema was compared with the hub's and found equal. */
  verified: boolean;
}

export interface ReloadOutcome {
  at: Date;
  accepted: boolean;
  message: string;
}

export interface RegistryOptions {
  /** The hub's subgraph schemas, to compare instances with. */
  expected: Map<string, GraphQLSchema>;
  /** A topology file to load and watch; or a fixed topology. */
  path?: string;
  topology?: Topology;
  healthIntervalMs?: number;
  /** Signs every request to an instance (subgraphs answer only the gateway). */
  internalSecret: string;
  log?: (message: string) => void;
}

/** Bounds the time a schema or health probe may take, whatever the instance's own timeout. */
const PROBE_TIMEOUT_MS = 3_000;

/**
 * The topology in force and the health of every instance. It reloads the file when it changes:
 * a topology naming an instance whose schema differs from the hub's is refused as a whole and
 * the last good one stays. Health probes notice instances going down and coming back.
 */
export class TopologyRegistry {
  private topology: Topology;
  private readonly health = new Map<string, InstanceHealth>();
  private timer?: NodeJS.Timeout;
  private reloading: Promise<void> = Promise.resolve();
  lastReload?: ReloadOutcome;
  loadedAt = new Date();
  /** Which regions each instance refers to, read with the health probes. */
  readonly references = new ReferenceTracker();

  private constructor(private readonly options: RegistryOptions, topology: Topology) {
    this.topology = topology;
  }

  /** Loads and verifies the first topology; throws when it is unusable. */
  static async create(options: RegistryOptions): Promise<TopologyRegistry> {
    const subgraphNames = [...options.expected.keys()];
    const topology = options.topology ?? readTopologyFile(options.path!, subgraphNames);
    const registry = new TopologyRegistry(options, topology);
    const refusal = await registry.verify(topology);
    if (refusal) throw new TopologyError(refusal);
    registry.lastReload = { at: new Date(), accepted: true, message: `loaded ${registry.describe()}` };
    if (options.path) watchFile(options.path, { interval: 300 }, () => void registry.reload());
    registry.timer = setInterval(() => void registry.probeAll(), options.healthIntervalMs ?? 2_000);
    registry.timer.unref();
    return registry;
  }

  get path(): string | undefined {
    return this.options.path;
  }

  get internalSecret(): string {
    return this.options.internalSecret;
  }

  subgraphNames(): string[] {
    return [...this.topology.subgraphs.keys()];
  }

  instances(subgraph: string): Instance[] {
    return this.topology.subgraphs.get(subgraph) ?? [];
  }

  owner(subgraph: string, region: Region): Instance | undefined {
    return this.topology.owners.get(subgraph)?.get(region);
  }

  healthOf(instance: Instance): InstanceHealth {
    return this.health.get(instance.name) ?? { status: 'UNCHECKED', verified: false };
  }

  /** Records a failed request so that further requests fail fast until a probe sees it back. */
  markDown(instance: Instance, reason: string): void {
    const health = this.healthOf(instance);
    if (health.status === 'REFUSED') return;
    this.health.set(instance.name, { ...health, status: 'DOWN', reason, checkedAt: new Date() });
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.options.path) unwatchFile(this.options.path);
  }

  /** Re-reads the file; serialised, so quick successive edits apply in order. */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(() => this.reloadNow());
    return this.reloading;
  }

  private async reloadNow(): Promise<void> {
    const at = new Date();
    // Names may now stand for other instances: what is known of them is read again.
    this.references.forgetAll();
    try {
      const candidate = readTopologyFile(this.options.path!, [...this.options.expected.keys()]);
      const refusal = await this.verify(candidate);
      if (refusal) throw new TopologyError(refusal);
      this.topology = candidate;
      this.loadedAt = at;
      this.lastReload = { at, accepted: true, message: `loaded ${this.describe()}` };
    } catch (error) {
      this.lastReload = { at, accepted: false, message: `refused, the previous topology stays: ${(error as Error).message}` };
    }
    this.options.log?.(`topology ${this.lastReload.message}`);
  }

  private describe(): string {
    const counts = [...this.topology.subgraphs].map(([name, list]) => `${name} ×${list.length}`);
    return `${this.options.path ?? 'fixed topology'} (${counts.join(', ')})`;
  }

  /**
   * Compares every reachable instance's schema with the hub's; returns why the topology is
   * refused, or undefined. Unreachable instances are accepted as DOWN and checked when they answer.
   */
  private async verify(topology: Topology): Promise<string | undefined> {
    const all = [...topology.subgraphs.values()].flat();
    const results = await Promise.all(all.map((instance) => this.check(instance)));
    const refused = results.filter((r): r is string => typeof r === 'string');
    if (refused.length) return refused.join('; ');
    all.forEach((instance, index) => this.health.set(instance.name, results[index] as InstanceHealth));
    await Promise.all(all.filter((i) => this.healthOf(i).status === 'UP')
      .map((i) => this.references.refresh(i, this.internalSecret, Math.min(i.timeoutMs, PROBE_TIMEOUT_MS))));
    return undefined;
  }

  /** An instance's health, or a refusal naming it and how its schema differs. */
  private async check(instance: Instance): Promise<InstanceHealth | string> {
    const started = Date.now();
    let schema: GraphQLSchema;
    try {
      schema = await fetchInstanceSchema(instance.name, instance.url, Math.min(instance.timeoutMs, PROBE_TIMEOUT_MS), this.internalSecret);
    } catch (error) {
      return { status: 'DOWN', reason: describeFailure(error), checkedAt: new Date(), verified: false };
    }
    const differences = schemaDifferences(this.options.expected.get(instance.subgraph)!, schema);
    if (differences.length) {
      const shown = differences.slice(0, 5).join(', ') + (differences.length > 5 ? `, and ${differences.length - 5} more` : '');
      return `instance ${instance.name} (${instance.url}) does not match the hub's ${instance.subgraph} schema: ${shown}`;
    }
    return { status: 'UP', checkedAt: new Date(), latencyMs: Date.now() - started, verified: true };
  }

  private async probeAll(): Promise<void> {
    const all = [...this.topology.subgraphs.values()].flat();
    await Promise.all(all.map(async (instance) => {
      const before = this.healthOf(instance);
      if (before.verified) {
        const started = Date.now();
        try {
          const body = '{"query":"{ __typename }"}';
          const response = await fetch(instance.url, {
            method: 'POST', headers: { ...signedHeaders(this.internalSecret, body), 'content-type': 'application/json' }, body,
            signal: AbortSignal.timeout(Math.min(instance.timeoutMs, PROBE_TIMEOUT_MS)),
          });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          this.health.set(instance.name, { status: 'UP', checkedAt: new Date(), latencyMs: Date.now() - started, verified: true });
          await this.references.refresh(instance, this.internalSecret, Math.min(instance.timeoutMs, PROBE_TIMEOUT_MS));
        } catch (error) {
          this.health.set(instance.name, { ...before, status: 'DOWN', reason: describeFailure(error), checkedAt: new Date() });
          this.references.forget(instance);
        }
        return;
      }
      const result = await this.check(instance);
      this.health.set(instance.name, typeof result === 'string'
        ? { status: 'REFUSED', reason: result, checkedAt: new Date(), verified: false }
        : result);
    }));
  }
}

export function describeFailure(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'timed out';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
}
