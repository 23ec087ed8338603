import { REGIONS } from '../../subgraphs/shared/region.js';
import type { Instance } from './topology.js';

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

export type LogLevel = 'info' | 'warn';

/** What a log line is about, as fields beside its message: the instance, its subgraph and regions, its new status. */
export type LogDetails = Record<string, unknown>;

/** A log line and its level: `warn` when an instance is taken out, `info` when it is back. */
export type HealthLog = (message: string, level?: LogLevel, details?: LogDetails) => void;

/** The fields of a state change's log line. */
function changeDetails(instance: Pick<Instance, 'name' | 'subgraph' | 'regions'>, status: InstanceStatus, reason?: string): LogDetails {
  return { instance: instance.name, subgraph: instance.subgraph, regions: instance.regions.join(','), status, reason };
}

/**
 * When an instance that answered before is taken out: after `failureThreshold` failed requests
 * or probes in a row (none succeeded in between), the first and the last of them at most
 * `failureWindowMs` apart. Fewer failures, or failures spread wider, leave it in: one lost
 * connection or one slow answer should not cost its regions for every caller.
 */
export interface HealthPolicy {
  failureThreshold: number;
  failureWindowMs: number;
}

export const DEFAULT_HEALTH_POLICY: HealthPolicy = { failureThreshold: 3, failureWindowMs: 10_000 };

/** Taken when an observation (request, probe or schema check) begins; later tickets are newer. */
export type Ticket = number;

export interface SuccessDetails {
  latencyMs?: number;
  /** The observation compared its schema with the hub's and found it equal. */
  verified?: boolean;
}

interface Entry {
  health: InstanceHealth;
  /** Ticket of the newest success counted (or of the last reset). */
  success: Ticket;
  /** Ticket of the newest failure counted (or of the last reset). */
  failure: Ticket;
  /** When the failures since the newest success were recorded, the last `failureThreshold` of them. */
  failures: number[];
}

/** "alliances-sl (alliances, regions SL)": which instance and what its being out costs. */
export function describeInstance(instance: Pick<Instance, 'name' | 'subgraph' | 'regions'>): string {
  const regions = instance.regions.length === REGIONS.length ? 'all regions' : `regions ${instance.regions.join(', ')}`;
  return `${instance.name} (${instance.subgraph}, ${regions})`;
}

/**
 * The health of every instance from what requests and probes observe; no I/O, the clock is
 * injected. Every observation takes a ticket when it begins, and its result counts only if no
 * newer one contradicts it: a failure begun before the newest success, or a success begun before
 * the newest failure, arrived late and is dropped. Failures begun before a newer failure still
 * count, since concurrent requests failing together are each evidence.
 *
 * An instance is taken out (DOWN) by the policy's failures in a row; a single success brings it
 * back (UP), since only probes reach an instance that is out and waiting for more would keep its
 * regions failing while it answers. An instance whose schema was never verified is DOWN at its
 * first failure: nothing it answered was ever trusted. Every change into DOWN or REFUSED, and
 * back to UP from them, is logged once.
 */
export class InstanceHealthTracker {
  private sequence: Ticket = 0;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly policy: HealthPolicy = DEFAULT_HEALTH_POLICY,
    private readonly log: HealthLog = () => undefined,
    private readonly clock: () => number = Date.now,
  ) {}

  begin(): Ticket {
    return ++this.sequence;
  }

  healthOf(instance: Pick<Instance, 'name'>): InstanceHealth {
    return this.entries.get(instance.name)?.health ?? { status: 'UNCHECKED', verified: false };
  }

  /** Failed, but still UP: probed again soon to take it out or clear it. */
  isSuspect(instance: Pick<Instance, 'name'>): boolean {
    const entry = this.entries.get(instance.name);
    return entry?.health.status === 'UP' && entry.failures.some((at) => this.clock() - at <= this.policy.failureWindowMs);
  }

  /**
   * Forgets what is known: the name now stands for another instance (a new topology). What was
   * begun before `ticket` no longer counts.
   */
  reset(instance: Pick<Instance, 'name'>, ticket: Ticket): void {
    this.entries.set(instance.name, { health: { status: 'UNCHECKED', verified: false }, success: ticket, failure: ticket, failures: [] });
  }

  /** The instance answered. Returns whether this counted (false: stale, or REFUSED and not verified now). */
  succeeded(instance: Instance, ticket: Ticket, details: SuccessDetails = {}): boolean {
    const entry = this.entryOf(instance);
    if (ticket < entry.failure || ticket < entry.success) return false;
    const before = entry.health;
    if (before.status === 'REFUSED' && !details.verified) return false;
    entry.success = ticket;
    entry.failures = [];
    entry.health = {
      status: 'UP', checkedAt: new Date(this.clock()), latencyMs: details.latencyMs ?? before.latencyMs,
      verified: before.verified || details.verified === true,
    };
    if (before.status === 'DOWN' || before.status === 'REFUSED') {
      this.log(`instance ${describeInstance(instance)} is UP again (it was ${before.status}: ${before.reason})`, 'info', changeDetails(instance, 'UP'));
    }
    return true;
  }

  /** The instance did not answer, or not usefully. Returns whether this counted (false: stale). */
  failed(instance: Instance, ticket: Ticket, reason: string): boolean {
    const entry = this.entryOf(instance);
    if (ticket < entry.success) return false;
    const now = this.clock();
    const before = entry.health;
    entry.failure = Math.max(entry.failure, ticket);
    entry.failures = [...entry.failures, now].slice(-this.policy.failureThreshold);
    const span = now - entry.failures[0];
    const reached = entry.failures.length >= this.policy.failureThreshold && span <= this.policy.failureWindowMs;
    // Hysteresis is for the instances routed to: UP with a verified schema.
    const routed = before.status === 'UP' && before.verified;
    if (routed && !reached) {
      entry.health = { ...before, checkedAt: new Date(now) };
      return true;
    }
    entry.health = { ...before, status: 'DOWN', reason, checkedAt: new Date(now) };
    if (before.status !== 'DOWN') {
      const count = entry.failures.length;
      const after = !routed ? '' : count === 1 ? ' after 1 failure' : ` after ${count} failures in ${(span / 1_000).toFixed(1)} s`;
      this.log(`instance ${describeInstance(instance)} is DOWN${after}: ${reason}`, 'warn', changeDetails(instance, 'DOWN', reason));
    }
    return true;
  }

  /** The instance answers with a schema that differs from the hub's: never routed to until it matches. */
  refused(instance: Instance, ticket: Ticket, reason: string): boolean {
    const entry = this.entryOf(instance);
    if (ticket < entry.failure || ticket < entry.success) return false;
    const before = entry.health;
    entry.failure = ticket;
    entry.failures = [];
    entry.health = { status: 'REFUSED', reason, checkedAt: new Date(this.clock()), verified: false };
    if (before.status !== 'REFUSED') this.log(`instance ${describeInstance(instance)} is REFUSED: ${reason}`, 'warn', changeDetails(instance, 'REFUSED', reason));
    return true;
  }

  private entryOf(instance: Pick<Instance, 'name'>): Entry {
    let entry = this.entries.get(instance.name);
    if (!entry) {
      entry = { health: { status: 'UNCHECKED', verified: false }, success: 0, failure: 0, failures: [] };
      this.entries.set(instance.name, entry);
    }
    return entry;
  }
}
