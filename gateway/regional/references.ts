import { type RequestSigner } from '../../subgraphs/kit/signing.js';
import { DATA_VERSION_HEADER, REFERENCES_PATH } from '../../subgraphs/shared/limits.js';
import { isRegion, type Region } from '../../subgraphs/shared/region.js';
import type { VersionReading } from './data-versions.js';
import { fetchInstance } from './signed-fetch.js';
import type { Instance } from './topology.js';

type Regions = ReadonlyMap<string, ReadonlySet<Region>>;

/**
 * What each instance refers to (kit/references.ts): for each type it adds fields to, the regions
 * of the records its rows point at. Read with every health probe. Unknown (never read, the
 * instance older than the index, or a write sent since) means: ask the instance about everything.
 */
export class ReferenceTracker {
  private readonly known = new Map<string, Regions>();
  /** Bumped by every write sent to an instance: a read begun before it is not kept. */
  private readonly epochs = new Map<string, number>();

  /** The regions the instance refers to for `type`; undefined when not known. */
  regionsOf(instance: Instance, type: string): ReadonlySet<Region> | undefined {
    return this.known.get(instance.name)?.get(type);
  }

  /** A write goes to the instance: its references may change until the next probe reads them. */
  forget(instance: Instance): void {
    this.forgetName(instance.name);
  }

  forgetAll(): void {
    for (const name of [...this.known.keys()]) this.forgetName(name);
  }

  private forgetName(name: string): void {
    this.epochs.set(name, (this.epochs.get(name) ?? 0) + 1);
    this.known.delete(name);
  }

  /**
   * Reads the instance's references again, and where its data stands (data-versions.ts). An
   * instance that does not answer them (unreachable, timed out, overloaded: 503, older than the
   * index: 404) keeps what was read before: the registry forgets it when the instance's last data
   * version stops holding.
   */
  async refresh(instance: Instance, signer: RequestSigner, timeoutMs: number): Promise<VersionReading> {
    const epoch = this.epochs.get(instance.name) ?? 0;
    let response;
    try {
      response = await fetchInstance(signer, instance, { method: 'GET', path: REFERENCES_PATH, signal: AbortSignal.timeout(timeoutMs) });
    } catch (failure) {
      return { answered: false, reached: false, failure };
    }
    if (!response.ok) return { answered: false, reached: true };
    const version = response.headers.get(DATA_VERSION_HEADER) ?? undefined;
    let regions: Map<string, Set<Region>> | undefined;
    try {
      const body = JSON.parse(response.text) as Record<string, unknown>;
      regions = new Map(Object.entries(body).map(([type, list]) => [type,
        new Set((Array.isArray(list) ? list : []).filter((r): r is Region => typeof r === 'string' && isRegion(r)))]));
    } catch {
      // Unknown until the next probe: the instance is asked about everything meanwhile.
    }
    if ((this.epochs.get(instance.name) ?? 0) !== epoch) return { answered: true, version };
    if (regions) this.known.set(instance.name, regions);
    else this.known.delete(instance.name);
    return { answered: true, version };
  }
}
