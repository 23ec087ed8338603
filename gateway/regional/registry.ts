import { existsSync, unwatchFile, watchFile } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import type { RequestSigner } from '../../subgraphs/kit/signing.js';
import type { Region } from '../../subgraphs/shared/region.js';
import { fetchInstanceSchema, schemaDifferences } from './schema-check.js';
import { fetchInstance } from './signed-fetch.js';
import { INTERNAL_OPERATIONS } from '../../subgraphs/shared/limits.js';
import { WriteClock } from './answer-cache.js';
import { DataVersions, type VersionReading } from './data-versions.js';
import { ReferenceTracker } from './references.js';
import { TopologyError, readTopologyFile, type Instance, type Topology } from './topology.js';
import {
  DEFAULT_HEALTH_POLICY, InstanceHealthTracker, type HealthLog, type InstanceHealth, type Ticket,
} from './health.js';

export type { InstanceHealth, InstanceStatus, LogLevel } from './health.js';

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
  /** A second file whose instances go over the topology file's (topology.ts mergeTopologies); watched too, it need not exist. */
  overlayPath?: string;
  topology?: Topology;
  /** Time between the end of one round of health probes and the start of the next (default 2 s). */
  healthIntervalMs?: number;
  /** Time before the next round while an instance has failed but is still UP (default 500 ms). */
  recheckIntervalMs?: number;
  /**
   * Failed requests or probes in a row that take an instance out (default 3), when the first
   * and the last of them are at most `failureWindowMs` apart (default 10 s). A failed request
   * still costs its own answer the instance's regions; only other requests go on to it.
   */
  failureThreshold?: number;
  failureWindowMs?: number;
  /** Signs every request to an instance with the gateway's private key (subgraphs answer only the gateway). */
  signer: RequestSigner;
  /** Reloads, and instances going DOWN or REFUSED (level `warn`) and coming back UP (`info`). */
  log?: HealthLog;
}

/** A request to an instance under way: its outcome counts unless a newer one was recorded first. */
export interface Observation {
  succeeded(): void;
  failed(reason: string): void;
}

/** Bounds the time a schema or health probe may take, whatever the instance's own timeout. */
const PROBE_TIMEOUT_MS = 3_000;

/**
 * The topology in force and the health of every instance. It reloads the file when it changes:
 * a topology naming an instance whose schema differs from the hub's is refused as a whole and
 * the last good one stays. Health probes notice instances going down and coming back; requests
 * count too. A round of probes starts only after the previous one finished, and an instance
 * never has two probes in flight, however slowly it answers.
 */
export class TopologyRegistry {
  private topology: Topology;
  private readonly health: InstanceHealthTracker;
  /** Names of the instances being probed. */
  private readonly probing = new Set<string>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private reloading: Promise<void> = Promise.resolve();
  lastReload?: ReloadOutcome;
  loadedAt = new Date();
  /** Which regions each instance refers to, read with the health probes. */
  readonly references = new ReferenceTracker();
  /** The writes sent to any instance, so that kept answers never outlive one (answer-cache.ts). */
  readonly writes = new WriteClock();
  /** Where each instance's data stands, read with its references: kept answers never outlive a change made past the gateway by more than a probe round. */
  readonly versions = new DataVersions((subgraph) => this.instances(subgraph));

  private constructor(private readonly options: RegistryOptions, topology: Topology) {
    this.topology = topology;
    this.health = new InstanceHealthTracker({
      failureThreshold: options.failureThreshold ?? DEFAULT_HEALTH_POLICY.failureThreshold,
      failureWindowMs: options.failureWindowMs ?? DEFAULT_HEALTH_POLICY.failureWindowMs,
    }, options.log);
  }

  /** Loads and verifies the first topology; throws when it is unusable. */
  static async create(options: RegistryOptions): Promise<TopologyRegistry> {
    const subgraphNames = [...options.expected.keys()];
    const topology = options.topology ?? readTopologyFile(options.path!, subgraphNames, options.overlayPath);
    const registry = new TopologyRegistry(options, topology);
    const refusal = await registry.verify(topology);
    if (refusal) throw new TopologyError(refusal);
    registry.lastReload = { at: new Date(), accepted: true, message: `loaded ${registry.describe()}` };
    for (const file of registry.files()) {
      // A file that does not exist (yet) is reported once as changed from nothing to nothing: not a change.
      watchFile(file, { interval: 300 }, (now, before) => {
        if (now.mtimeMs !== before.mtimeMs || now.size !== before.size || now.ino !== before.ino) void registry.reload();
      });
    }
    registry.scheduleProbes(options.healthIntervalMs ?? 2_000);
    return registry;
  }

  get path(): string | undefined {
    return this.options.path;
  }

  get signer(): RequestSigner {
    return this.options.signer;
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
    return this.health.healthOf(instance);
  }

  /**
   * Begins a request to an instance. Enough failures in a row take it out, so that further
   * requests fail fast until a probe sees it back; a success clears the failures.
   */
  observe(instance: Instance): Observation {
    const ticket = this.health.begin();
    return {
      succeeded: () => void this.health.succeeded(instance, ticket),
      failed: (reason) => void this.health.failed(instance, ticket, reason),
    };
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const file of this.files()) unwatchFile(file);
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
    this.versions.forgetAll();
    try {
      const candidate = readTopologyFile(this.options.path!, [...this.options.expected.keys()], this.options.overlayPath);
      const refusal = await this.verify(candidate);
      if (refusal) throw new TopologyError(refusal);
      this.topology = candidate;
      this.writes.invalidate();
      this.loadedAt = at;
      this.lastReload = { at, accepted: true, message: `loaded ${this.describe()}` };
    } catch (error) {
      this.lastReload = { at, accepted: false, message: `refused, the previous topology stays: ${(error as Error).message}` };
    }
    this.options.log?.(`topology ${this.lastReload.message}`, this.lastReload.accepted ? 'info' : 'warn');
  }

  /** The files the topology is read from, watched for changes. */
  private files(): string[] {
    return this.options.path ? [this.options.path, ...(this.options.overlayPath ? [this.options.overlayPath] : [])] : [];
  }

  private describe(): string {
    const counts = [...this.topology.subgraphs].map(([name, list]) => `${name} ×${list.length}`);
    const overlay = this.options.overlayPath && existsSync(this.options.overlayPath) ? ` with ${this.options.overlayPath}` : '';
    return `${this.options.path ?? 'fixed topology'}${overlay} (${counts.join(', ')})`;
  }

  /**
   * Compares every reachable instance's schema with the hub's; returns why the topology is
   * refused, or undefined. Unreachable instances are accepted as DOWN and checked when they answer.
   * An instance as it was (same name, subgraph and URL) keeps its health, the check counting as
   * one more observation; for any other, the check is all that is known, whatever is in flight.
   */
  private async verify(topology: Topology): Promise<string | undefined> {
    const all = [...topology.subgraphs.values()].flat();
    const checked = this.health.begin();
    const results = await Promise.all(all.map((instance) => this.check(instance)));
    const refused = results.flatMap((r) => (r.status === 'REFUSED' ? [r.reason] : []));
    if (refused.length) return refused.join('; ');
    const applied = this.health.begin();
    all.forEach((instance, index) => {
      if (this.unchanged(instance)) {
        this.record(instance, checked, results[index]);
      } else {
        this.health.reset(instance, applied);
        this.record(instance, applied, results[index]);
      }
    });
    // Nothing is known of any instance yet (forgetAll): those not up are read at their next probe.
    await Promise.all(all.filter((i) => this.healthOf(i).status === 'UP').map(async (i) =>
      this.note(i, await this.references.refresh(i, this.signer, Math.min(i.timeoutMs, PROBE_TIMEOUT_MS)))));
    return undefined;
  }

  /** The topology in force has this instance as it is: the name stands for the same instance. */
  private unchanged(instance: Instance): boolean {
    const current = this.topology.subgraphs.get(instance.subgraph)?.find((i) => i.name === instance.name);
    return current?.url === instance.url && this.healthOf(instance).status !== 'UNCHECKED';
  }

  /** An instance's schema compared with the hub's: UP, DOWN (unreachable) or REFUSED naming how it differs. */
  private async check(instance: Instance): Promise<CheckResult> {
    const started = Date.now();
    let schema: GraphQLSchema;
    try {
      schema = await fetchInstanceSchema(instance, Math.min(instance.timeoutMs, PROBE_TIMEOUT_MS), this.signer);
    } catch (error) {
      return { status: 'DOWN', reason: describeFailure(error) };
    }
    const differences = schemaDifferences(this.options.expected.get(instance.subgraph)!, schema);
    if (differences.length) {
      const shown = differences.slice(0, 5).join(', ') + (differences.length > 5 ? `, and ${differences.length - 5} more` : '');
      return { status: 'REFUSED', reason: `instance ${instance.name} does not match the hub's ${instance.subgraph} schema: ${shown}` };
    }
    return { status: 'UP', latencyMs: Date.now() - started };
  }

  private record(instance: Instance, ticket: Ticket, result: CheckResult): void {
    if (result.status === 'UP') this.health.succeeded(instance, ticket, { latencyMs: result.latencyMs, verified: true });
    else if (result.status === 'DOWN') this.health.failed(instance, ticket, result.reason);
    else this.health.refused(instance, ticket, result.reason);
  }

  /** The next round starts only after this one finished; sooner while an instance has failed but is still UP. */
  private scheduleProbes(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.probeAll().catch((error: unknown) => this.options.log?.(`health probes failed: ${describeFailure(error)}`, 'warn')).then(() => {
        const interval = this.options.healthIntervalMs ?? 2_000;
        const suspect = [...this.topology.subgraphs.values()].flat().some((i) => this.health.isSuspect(i));
        this.scheduleProbes(suspect ? Math.min(interval, this.options.recheckIntervalMs ?? 500) : interval);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** Probes every instance that has no probe in flight, and waits for them. */
  async probeAll(): Promise<void> {
    const idle = [...this.topology.subgraphs.values()].flat().filter((i) => !this.probing.has(i.name));
    await Promise.all(idle.map(async (instance) => {
      this.probing.add(instance.name);
      try {
        await this.probe(instance);
      } finally {
        this.probing.delete(instance.name);
      }
    }));
  }

  /**
   * A verified instance is asked for its references and data version (references.ts): one request
   * that shows it alive. Only when its server answers that without them (overloaded: 503; an older
   * instance: 404) is it asked for `__typename` as well, which needs no database. One never
   * verified has its schema checked.
   */
  private async probe(instance: Instance): Promise<void> {
    const ticket = this.health.begin();
    if (!this.healthOf(instance).verified) {
      this.record(instance, ticket, await this.check(instance));
      return;
    }
    const timeoutMs = Math.min(instance.timeoutMs, PROBE_TIMEOUT_MS);
    let started = Date.now();
    const reading = await this.references.refresh(instance, this.signer, timeoutMs);
    if (!reading.answered && reading.reached) {
      started = Date.now();
      try {
        const response = await fetchInstance(this.signer, instance, {
          headers: { 'content-type': 'application/json' }, body: JSON.stringify(INTERNAL_OPERATIONS.healthProbe),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
      } catch (error) {
        this.health.failed(instance, ticket, describeFailure(error));
        this.note(instance, reading);
        return;
      }
    }
    if (reading.answered || reading.reached) this.health.succeeded(instance, ticket, { latencyMs: Date.now() - started });
    else this.health.failed(instance, ticket, describeFailure(reading.failure));
    this.note(instance, reading);
  }

  /**
   * What a probe read of where the instance's data stands. A probe an overloaded instance missed
   * keeps its last version, and the references read with it, for a grace time (data-versions.ts):
   * its kept answers are not dropped just when asking again costs most.
   */
  private note(instance: Instance, reading: VersionReading): void {
    if (!this.versions.read(instance, reading) && !reading.answered) this.references.forget(instance);
  }
}

type CheckResult = { status: 'UP'; latencyMs: number } | { status: 'DOWN' | 'REFUSED'; reason: string };

export function describeFailure(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'timed out';
  return e.cause?.code ?? e.code ?? e.cause?.message ?? e.message ?? String(error);
}
