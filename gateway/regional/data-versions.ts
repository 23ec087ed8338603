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
 */
export class DataVersions {
  private readonly versions = new Map<string, string>();
  /** Versions writes through the gateway left, until a probe reads one as new. */
  private readonly written = new Map<string, string>();
  private readonly epochs = new Map<string, number>();
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
    this.epochs.set(instance.subgraph, this.epoch(instance.subgraph) + 1);
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
    if (this.versions.delete(instance.name)) this.epochs.set(instance.subgraph, this.epoch(instance.subgraph) + 1);
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
    this.versions.set(instance.name, version);
    this.written.set(instance.name, version);
  }

  /** A name may stand for another instance now (topology reload): nothing reported before holds. */
  forgetAll(): void {
    this.versions.clear();
    this.written.clear();
    this.answeredAt.clear();
    for (const [subgraph] of this.epochs) this.epochs.set(subgraph, this.epoch(subgraph) + 1);
  }
}
