import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { LRUCache } from 'lru-cache';
import type { Viewer } from '../../subgraphs/kit/auth.js';
import type { InstanceAnswer } from './instance-client.js';
import type { Instance } from './topology.js';

/**
 * Counts the writes the gateway sends. Every write starts and ends a new generation, so a read
 * whose answer may predate a write (it began before the write ended) can tell and is not kept.
 */
export class WriteClock {
  generation = 0;
  inFlight = 0;
  private readonly listeners: (() => void)[] = [];

  onWrite(listener: () => void): void {
    this.listeners.push(listener);
  }

  async around<T>(write: () => Promise<T>): Promise<T> {
    this.tick(1);
    try {
      return await write();
    } finally {
      this.tick(-1);
    }
  }

  /** Not a write, but what was read before may no longer hold (a topology reload: a name may now stand for another instance). */
  invalidate(): void {
    this.tick(0);
  }

  private tick(delta: number): void {
    this.generation++;
    this.inFlight += delta;
    for (const listener of this.listeners) listener();
  }
}

/** The shipped setting: writes past the gateway show within 5 s; 64 MB of answers. */
export const DEFAULT_ANSWER_CACHE: AnswerCacheOptions = { ttlMs: 5_000, maxBytes: 64 * 2 ** 20 };

export interface AnswerCacheOptions {
  /** How long an answer is served without asking its instance again: what bounds staleness for writes made past the gateway. */
  ttlMs: number;
  /** Memory for answers (their JSON text), least recently used dropped first. */
  maxBytes: number;
}

/**
 * Read answers of instances, kept for a short time: a record read again costs no subgraph work.
 * - Root fields are kept per instance and exact request; entities (`_entities`) per record, so a
 *   record fetched for one page or lookup is not fetched again for another.
 * - Keyed also by the viewer's class (roles, not the person), since
 *   what an instance answers depends on roles only: two viewers of one class see the same data,
 *   and a viewer never gets an answer made for another class (contact details stay with roles
 *   that may see them).
 * - Every write the gateway sends empties the cache when it starts and when it ends, and a read
 *   that overlapped a write is not kept: a write through the gateway is visible in the next read.
 *   Writes made directly on an instance are visible after `ttlMs` at the latest.
 * - Only complete answers (no errors) are kept; each caller gets its own copy, parsed from the
 *   kept text, because the gateway writes into the answers it merges.
 */
export class AnswerCache {
  private readonly answers: LRUCache<string, string>;
  hits = 0;
  misses = 0;

  constructor(private readonly clock: WriteClock, options: AnswerCacheOptions) {
    this.answers = new LRUCache<string, string>({
      ttl: options.ttlMs, maxSize: options.maxBytes, sizeCalculation: (text, key) => text.length + key.length,
    });
    clock.onWrite(() => this.answers.clear());
  }

  async read(instance: Instance, viewer: Viewer, body: string, fetch: () => Promise<InstanceAnswer>): Promise<InstanceAnswer> {
    const key = `${instance.name}\n${viewerClass(viewer)}\n${body}`;
    const kept = this.answers.get(key);
    if (kept !== undefined) {
      this.hits++;
      return JSON.parse(kept) as InstanceAnswer;
    }
    this.misses++;
    const generation = this.clock.generation;
    const keepable = this.clock.inFlight === 0;
    const answer = await fetch();
    if (keepable && generation === this.clock.generation && !answer.errors?.length && answer.data) {
      this.answers.set(key, JSON.stringify(answer));
    }
    return answer;
  }

  /**
   * An `_entities` fetch, kept per record: each representation's answer under the subgraph, the
   * selection, the other variables and the viewer's class. Only the records not kept are fetched
   * (in one request, as the gateway would have sent them); errors are pointed back at their
   * records, and a record with an error, or missing, is not kept.
   */
  async entities(
    subgraph: string, viewer: Viewer, query: string, variables: Record<string, unknown>, representations: unknown[],
    fetch: (subset: unknown[]) => Promise<GatewayGraphQLResponse>,
  ): Promise<GatewayGraphQLResponse> {
    const { representations: _, ...others } = variables;
    const prefix = `${subgraph}\n${viewerClass(viewer)}\n${query}\n${JSON.stringify(others)}\n`;
    const keys = representations.map((r) => prefix + JSON.stringify(r));
    const results: unknown[] = keys.map((key) => {
      const kept = this.answers.get(key);
      return kept === undefined ? undefined : JSON.parse(kept);
    });
    const missing = results.flatMap((r, i) => (r === undefined ? [i] : []));
    this.hits += representations.length - missing.length;
    this.misses += missing.length;
    if (missing.length === 0) return { data: { _entities: results } };
    const generation = this.clock.generation;
    const keepable = this.clock.inFlight === 0;
    const answer = await fetch(missing.map((i) => representations[i]));
    const fetched = (answer.data?._entities as unknown[] | undefined) ?? [];
    const failed = new Set<number>();
    let unplaced = false;
    const errors = answer.errors?.map((error) => {
      const [root, local, ...rest] = error.path ?? [];
      if (root !== '_entities' || typeof local !== 'number' || missing[local] === undefined) {
        unplaced = true;
        return error;
      }
      failed.add(local);
      return { ...error, path: [root, missing[local], ...rest] };
    });
    const keep = keepable && generation === this.clock.generation && !unplaced;
    missing.forEach((original, local) => {
      const value = fetched[local] ?? null;
      results[original] = value;
      if (keep && value !== null && !failed.has(local)) this.answers.set(keys[original], JSON.stringify(value));
    });
    return { data: { _entities: results }, ...(errors?.length ? { errors } : {}) };
  }
}

/**
 * The representations of an `_entities` fetch as the query planner sends it (one root field over
 * `$representations`), or undefined for any other request.
 */
export function entityRepresentations(query: string, variables: Record<string, unknown> | undefined): unknown[] | undefined {
  const representations = variables?.representations;
  if (!Array.isArray(representations) || !ENTITIES_FETCH.test(query)) return undefined;
  return representations;
}

const ENTITIES_FETCH = /^\s*query\b[^{]*\{\s*_entities\s*\(\s*representations\s*:\s*\$representations\s*\)\s*\{/;

/** What an instance's read answer depends on: the roles, not who holds them. */
export function viewerClass(viewer: Viewer): string {
  return JSON.stringify([viewer.hubAdmin, [...viewer.editor].sort(), [...viewer.admin].sort()]);
}
