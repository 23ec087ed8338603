import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Viewer } from '../../subgraphs/kit/auth.js';
import type { DataVersions } from './data-versions.js';
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

/**
 * The shipped setting: writes past the gateway show within a probe round (2 s) where instances
 * report their data version, within 5 s where they do not; 64 MB of answers. Where versions are
 * reported, every committed write and every restart of an instance moves them (kit/data-version.ts),
 * so an answer may be kept for an hour: what a coordinator read before a break still holds after it.
 */
export const DEFAULT_ANSWER_CACHE: AnswerCacheOptions = { ttlMs: 5_000, versionedTtlMs: 3_600_000, maxBytes: 64 * 2 ** 20 };

export interface AnswerCacheOptions {
  /** How long an answer is served without asking its instance again: what bounds staleness for writes made past the gateway. */
  ttlMs: number;
  /**
   * The same, for a subgraph whose every instance reports where its data stands (data-versions.ts):
   * its answers are dropped as soon as a probe sees that move, so this only bounds how long an
   * answer is trusted on the versions alone. Undefined: `ttlMs` for all.
   */
  versionedTtlMs?: number;
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
 * - Kept under the subgraph's epoch (data-versions.ts), which moves when a probe sees an instance's
 *   data version change: a write made past the gateway is visible after the next probe round,
 *   and answers of subgraphs whose instances report versions live `versionedTtlMs`. Where an
 *   instance reports none, writes made directly on it are visible after `ttlMs` at the latest.
 * - Only complete answers (no errors) are kept; each caller gets its own copy, parsed from the
 *   kept text, because the gateway writes into the answers it merges.
 */
export class AnswerCache {
  private readonly answers: LRUCache<string, string>;
  hits = 0;
  misses = 0;

  constructor(
    private readonly clock: WriteClock, private readonly options: AnswerCacheOptions,
    private readonly versions: Pick<DataVersions, 'epoch' | 'versioned'> = UNVERSIONED,
  ) {
    this.answers = new LRUCache<string, string>({
      ttl: options.ttlMs, maxSize: options.maxBytes, sizeCalculation: (text, key) => text.length + key.length,
    });
    clock.onWrite(() => {
      this.answers.clear();
      this.forgetInFlight();
    });
  }

  /** An instance's answer to one request. */
  read(instance: Instance, viewer: Viewer, body: string, fetch: () => Promise<InstanceAnswer>): Promise<InstanceAnswer> {
    return this.keep(instance.name, this.moment(instance.subgraph), viewer, body, fetch);
  }

  /**
   * A subgraph fetch's whole answer, as the gateway made it (a fan-out merged, statistics added
   * up region by region, records of other regions filled in): a fetch made again costs neither
   * its instances' answers nor their merge. Kept by the same rules, under the subgraph's epoch,
   * and only while its instances report data versions: made from kept answers, a whole fetch
   * could otherwise outlive the short time to live that bounds what those answers may show.
   * `run` is told whether the whole is kept: then the answers it is made of need not be.
   */
  fetch(subgraph: string, viewer: Viewer, body: string, run: (keptWhole: boolean) => Promise<GatewayGraphQLResponse>): Promise<GatewayGraphQLResponse> {
    const when = this.moment(subgraph);
    return when.versioned ? this.keep(`${subgraph} fetch`, when, viewer, body, () => run(true)) : run(false);
  }

  private async keep<T extends { data?: unknown; errors?: readonly unknown[] }>(
    scope: string, when: Moment, viewer: Viewer, body: string, fetch: () => Promise<T>,
  ): Promise<T> {
    const key = `${scope}\n${when.epoch}\n${viewerClass(viewer)}\n${body}`;
    const kept = this.answers.get(key);
    if (kept !== undefined) {
      this.hits++;
      return JSON.parse(kept) as T;
    }
    this.misses++;
    const answer = await fetch();
    if (this.stillHolds(when) && !answer.errors?.length && answer.data) {
      this.answers.set(key, JSON.stringify(answer), { ttl: when.ttl });
    }
    return answer;
  }

  /** What an answer read now is kept under, and whether it may be kept at all (no write in flight). */
  private moment(subgraph: string): Moment {
    const versioned = this.options.versionedTtlMs !== undefined && this.versions.versioned(subgraph);
    return {
      subgraph, epoch: this.versions.epoch(subgraph), generation: this.clock.generation, keepable: this.clock.inFlight === 0,
      versioned, ttl: versioned ? this.options.versionedTtlMs! : this.options.ttlMs,
    };
  }

  /** An answer read since `moment` may be kept: no write through the gateway and no version change in between. */
  private stillHolds(when: Moment): boolean {
    return when.keepable && when.generation === this.clock.generation && when.epoch === this.versions.epoch(when.subgraph);
  }

  /**
   * An `_entities` fetch, kept per record: each representation's answer under the subgraph, the
   * selection, the other variables and the viewer's class. Only the records not kept are fetched;
   * errors are pointed back at their records, and a record with an error, or missing, is not kept.
   * With `together`, records missing at the same moment for several fetches of one kind (same
   * subgraph, selection, variables and viewer class) are read in one request, sent once the
   * gateway's current turn of work is done, and a record already being read is awaited, not read
   * again: pages read at once cost one request per instance, not one each. The request goes out
   * as the first of those fetches sends it (its viewer, its request id): what it reads depends on
   * the viewer's class only, as what is kept does. Without `together`, each fetch reads its own
   * missing records in one request.
   */
  async entities(
    subgraph: string, viewer: Viewer, query: string, variables: Record<string, unknown>, representations: unknown[],
    fetch: (subset: unknown[]) => Promise<GatewayGraphQLResponse>, together = true,
  ): Promise<GatewayGraphQLResponse> {
    const { representations: _, ...others } = variables;
    const when = this.moment(subgraph);
    const prefix = `${subgraph}\n${when.epoch}\n${viewerClass(viewer)}\n${query}\n${JSON.stringify(others)}\n`;
    const keys = representations.map((r) => prefix + JSON.stringify(r));
    const results: unknown[] = keys.map((key) => {
      const kept = this.answers.get(key);
      return kept === undefined ? undefined : JSON.parse(kept);
    });
    const missing = results.flatMap((r, i) => (r === undefined ? [i] : []));
    this.hits += representations.length - missing.length;
    this.misses += missing.length;
    if (missing.length === 0) return { data: { _entities: results } };
    // Alone: one request of its own for what is missing.
    const own = together ? undefined : new RecordBatch(when, fetch);
    const places = missing.map((original) => {
      if (own) return own.add(keys[original], representations[original]);
      let place = this.recordsInFlight.get(keys[original]);
      if (!place) {
        place = this.gatheringFor(prefix, when, fetch).add(keys[original], representations[original]);
        this.recordsInFlight.set(keys[original], place);
      }
      return place;
    });
    for (const place of places) place.batch.waiters[place.local]++;
    if (own) void this.run(own);
    await Promise.all([...new Set(places.map((place) => place.batch.read))]);
    const errors: GraphQLFormattedError[] = [];
    const unplaced = new Set<GraphQLFormattedError>();
    missing.forEach((original, n) => {
      const { batch, local } = places[n];
      results[original] = batch.take(local);
      errors.push(...batch.errors[local].map((error) => ({ ...error, path: ['_entities', original, ...error.path!] })));
      for (const error of batch.unplaced) unplaced.add(error);
    });
    const all = [...errors, ...unplaced];
    return { data: { _entities: results }, ...(all.length ? { errors: all } : {}) };
  }

  /** Record reads being gathered for the end of the current turn, by kind; and each record being read, by key. */
  private readonly gathering = new Map<string, RecordBatch>();
  private readonly recordsInFlight = new Map<string, RecordPlace>();

  private gatheringFor(prefix: string, when: Moment, fetch: (subset: unknown[]) => Promise<GatewayGraphQLResponse>): RecordBatch {
    const open = this.gathering.get(prefix);
    if (open && open.size < MAX_GATHERED) return open;
    const batch = new RecordBatch(when, fetch);
    this.gathering.set(prefix, batch);
    setImmediate(() => {
      if (this.gathering.get(prefix) === batch) this.gathering.delete(prefix);
      void this.run(batch);
    });
    return batch;
  }

  /** Reads a batch's records, keeps those that may be kept and lets go of its places in flight. */
  private async run(batch: RecordBatch): Promise<void> {
    try {
      const answer = await batch.fetch(batch.representations);
      batch.settle(answer, this.stillHolds(batch.when), (key, text) => this.answers.set(key, text, { ttl: batch.when.ttl }));
    } catch (error) {
      batch.fail(error);
    } finally {
      // A key is in one gathered batch at most: later fetches join it instead of adding it again.
      for (const key of batch.keys) if (this.recordsInFlight.get(key)?.batch === batch) this.recordsInFlight.delete(key);
    }
  }

  /** A write may change any record: later reads gather anew instead of joining reads begun before it. */
  private forgetInFlight(): void {
    this.gathering.clear();
    this.recordsInFlight.clear();
  }
}

/** At most this many records in one gathered request. */
const MAX_GATHERED = 500;

interface RecordPlace { batch: RecordBatch; local: number }

/**
 * Records read in one `_entities` request for any number of fetches: each record's value and the
 * errors pointed at it (their paths from the record on), and errors that name no record, which
 * every fetch that waited on the batch reports.
 */
class RecordBatch {
  readonly keys: string[] = [];
  readonly representations: unknown[] = [];
  /** How many places in fetches wait on each record: more than one, and each gets its own copy. */
  readonly waiters: number[] = [];
  values: unknown[] = [];
  private texts: (string | undefined)[] = [];
  errors: GraphQLFormattedError[][] = [];
  unplaced: GraphQLFormattedError[] = [];
  readonly read: Promise<void>;
  private resolve!: () => void;
  private reject!: (error: unknown) => void;

  constructor(readonly when: Moment, readonly fetch: (subset: unknown[]) => Promise<GatewayGraphQLResponse>) {
    this.read = new Promise<void>((resolve, reject) => { this.resolve = resolve; this.reject = reject; });
  }

  get size(): number {
    return this.keys.length;
  }

  add(key: string, representation: unknown): RecordPlace {
    this.keys.push(key);
    this.representations.push(representation);
    this.waiters.push(0);
    return { batch: this, local: this.keys.length - 1 };
  }

  /** The answer split by record; `keep` is called for each complete record when the answer may be kept. */
  settle(answer: GatewayGraphQLResponse, mayKeep: boolean, keep: (key: string, text: string) => void): void {
    const fetched = (answer.data?._entities as unknown[] | undefined) ?? [];
    this.errors = this.keys.map(() => []);
    for (const error of answer.errors ?? []) {
      const [root, local, ...rest] = error.path ?? [];
      if (root !== '_entities' || typeof local !== 'number' || this.errors[local] === undefined) this.unplaced.push(error);
      else this.errors[local].push({ ...error, path: rest });
    }
    this.values = this.keys.map((_, local) => fetched[local] ?? null);
    this.texts = this.values.map((value, local) => {
      const complete = mayKeep && this.unplaced.length === 0 && value !== null && this.errors[local].length === 0;
      // Written before any waiter continues: the first to continue may change its copy.
      const text = complete || this.waiters[local] > 1 ? JSON.stringify(value) : undefined;
      if (complete) keep(this.keys[local], text!);
      return text;
    });
    this.resolve();
  }

  fail(error: unknown): void {
    this.reject(error);
  }

  /** A waiter's copy of a record: the value itself when it is the only one waiting. */
  take(local: number): unknown {
    const text = this.texts[local];
    return this.waiters[local] > 1 && text !== undefined ? JSON.parse(text) : this.values[local];
  }
}

/** When an answer was read: what it is kept under, for how long, and what must not have changed by the time it arrives. */
interface Moment { subgraph: string; epoch: number; generation: number; keepable: boolean; versioned: boolean; ttl: number }

/** Without probes (no registry): one epoch, never versioned. */
const UNVERSIONED = { epoch: () => 0, versioned: () => false };

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
