import { isOlderVersion } from '../../subgraphs/shared/data-version.js';
import type { Instance } from './topology.js';

/**
 * How long an instance's last data version holds while its probes get no answer: as long as
 * answers live where no versions are reported (answer-cache.ts DEFAULT_ANSWER_CACHE.ttlMs).
 */
export const MISSED_PROBE_GRACE_MS = 5_000;

/**
 * What a probe read of where an instance's data stands: its version (undefined: it reports none),
 * or no answer at all; `reached` says whether the instance's server answered HTTP (an overloaded
 * one answers 503 without a version).
 */
export type VersionReading = { answered: true; version: string | undefined }
  | { answered: false; reached: true } | { answered: false; reached: false; failure: unknown };

/**
 * Where each instance's data stands, as it reports it (`hub-data-version`, read with its
 * references every probe round and named by the answer of every write: kit/data-version.ts). The
 * answer cache keeps a subgraph's answers under the subgraph's epoch, which moves whenever one of
 * its instances reports another version or none: what was kept before is not served again. While
 * every instance of a subgraph reports a version, its answers may be kept long; a write made past
 * the gateway then shows within one probe round, however long the answers would otherwise live.
 *
 * A version names the database's counter, which every committed write moves, and the instance's
 * start: the same versions of every instance mean the same data and code. So a subgraph back in a
 * state seen recently (an instance that missed probes past the grace time answers with the
 * version it had) gets that state's epoch again, and what was kept under it is served again: an
 * overload that silenced the probes for a while does not cost every kept answer once it is over.
 * A state where any instance's version is unknown is never taken up again.
 */
export class DataVersions {
  private readonly versions = new Map<string, string>();
  /** Versions writes through the gateway left, until a probe reads one as new. */
  private readonly written = new Map<string, string>();
  private readonly epochs = new Map<string, number>();
  private nextEpoch = 1;
  /** Per subgraph, the states seen last (every instance's version) and the epoch each stood for. */
  private readonly recentStates = new Map<string, Map<string, number>>();
  /** When each instance last answered a probe. */
  private readonly answeredAt = new Map<string, number>();

  constructor(
    private readonly instancesOf: (subgraph: string) => readonly Instance[],
    private readonly graceMs = MISSED_PROBE_GRACE_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Moves whenever what the subgraph's instances hold may have changed. */
  epoch(subgraph: string): number {
    return this.epochs.get(subgraph) ?? 0;
  }

  /** Whether every instance of the subgraph reports where its data stands, so a change cannot go unseen for longer than a probe round. */
  versioned(subgraph: string): boolean {
    const instances = this.instancesOf(subgraph);
    return instances.length > 0 && instances.every((instance) => this.versions.has(instance.name));
  }

  /**
   * What a probe read. Returns whether the instance's last version still holds: false once it
   * reports none, or has answered no probe for longer than the grace time.
   */
  read(instance: Instance, reading: VersionReading): boolean {
    if (reading.answered) {
      this.observe(instance, reading.version);
      return reading.version !== undefined;
    }
    return this.missed(instance);
  }

  /**
   * The version an instance reported (undefined: it reports none). Any change moves the subgraph's
   * epoch, except a reading older than the version a write through the gateway left: the probe
   * read before that write, for which kept answers were dropped already.
   */
  observe(instance: Instance, version: string | undefined): void {
    this.answeredAt.set(instance.name, this.clock());
    const written = this.written.get(instance.name);
    if (version !== undefined && written !== undefined && isOlderVersion(version, written)) return;
    this.written.delete(instance.name);
    if (this.versions.get(instance.name) === version) return;
    if (version === undefined) this.versions.delete(instance.name);
    else this.versions.set(instance.name, version);
    this.moved(instance.subgraph);
  }

  /**
   * A probe got no answer. An overloaded instance misses probes while its data stands still, and
   * dropping its version would drop every kept answer of its subgraph just when asking again
   * costs most; so the last version holds for the grace time after the instance last answered,
   * and a change made past the gateway meanwhile shows at most that much later. Then it counts
   * as reporting none. Returns whether the last version still holds.
   */
  missed(instance: Instance): boolean {
    const answeredAt = this.answeredAt.get(instance.name);
    if (this.versions.has(instance.name) && answeredAt !== undefined && this.clock() - answeredAt <= this.graceMs) return true;
    if (this.versions.delete(instance.name)) this.moved(instance.subgraph);
    this.written.delete(instance.name);
    return false;
  }

  /**
   * The version a write through the gateway left (its answer names it): kept answers were dropped
   * for the write already, so a probe seeing this version is no news. Only for an instance whose
   * version is known: one without stays so until a probe reads it.
   */
  wrote(instance: Instance, version: string): void {
    if (!this.versions.has(instance.name)) return;
    // The same epoch (answers were dropped for the write), now standing for the state the write
    // left only: what is kept from now on must not be taken for the state before it.
    const before = this.stateOf(instance.subgraph);
    if (before !== undefined) this.recentStates.get(instance.subgraph)?.delete(before);
    this.versions.set(instance.name, version);
    this.written.set(instance.name, version);
    this.remember(instance.subgraph, this.epoch(instance.subgraph));
  }

  /** A name may stand for another instance now (topology reload): nothing reported before holds. */
  forgetAll(): void {
    this.versions.clear();
    this.written.clear();
    this.answeredAt.clear();
    this.recentStates.clear();
    for (const [subgraph] of this.epochs) this.epochs.set(subgraph, this.nextEpoch++);
  }

  /** What the subgraph's instances hold may have changed: the epoch of that state if seen recently, else a new one. */
  private moved(subgraph: string): void {
    const state = this.stateOf(subgraph);
    const epoch = (state !== undefined ? this.recentStates.get(subgraph)?.get(state) : undefined) ?? this.nextEpoch++;
    this.epochs.set(subgraph, epoch);
    this.remember(subgraph, epoch, state);
  }

  /** The subgraph's current state stands for `epoch`, the latest of the few kept. */
  private remember(subgraph: string, epoch: number, state = this.stateOf(subgraph)): void {
    if (state === undefined) return;
    let states = this.recentStates.get(subgraph);
    if (!states) this.recentStates.set(subgraph, states = new Map());
    states.delete(state);
    states.set(state, epoch);
    if (states.size > RECENT_STATES) states.delete(states.keys().next().value!);
  }

  /** Every instance's version as one key; undefined while any instance's is unknown. */
  private stateOf(subgraph: string): string | undefined {
    const parts: string[] = [];
    for (const instance of this.instancesOf(subgraph)) {
      const version = this.versions.get(instance.name);
      if (version === undefined) return undefined;
      parts.push(`${instance.name} ${version}`);
    }
    return parts.length ? parts.join('\n') : undefined;
  }
}

/** States remembered per subgraph: enough for an overload or two, each leaving one state without a version behind. */
const RECENT_STATES = 8;
