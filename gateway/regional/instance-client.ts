import { setTimeout as sleep } from 'node:timers/promises';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';
import { ANONYMOUS, type Viewer } from '../../subgraphs/kit/auth.js';
import { subgraphFetches } from '../../subgraphs/kit/observability.js';
import { onlyOverloaded } from '../../subgraphs/kit/overload.js';
import { SpanKind, inSpan, withTraceHeaders } from '../../subgraphs/kit/tracing.js';
import { DATA_VERSION_HEADER } from '../../subgraphs/shared/limits.js';
import { describeFailure, type TopologyRegistry } from './registry.js';
import { fetchInstance } from './signed-fetch.js';
import type { Instance } from './topology.js';

export type Json = Record<string, unknown>;

export interface InstanceAnswer {
  data?: Json | null;
  errors?: GraphQLFormattedError[];
}

export class InstanceUnavailable extends Error {
  constructor(readonly instance: Instance, readonly reason: string) {
    super(`${instance.name}: ${reason}`);
  }
}

export interface OutgoingRequest {
  query: string;
  variables?: Json;
  operationName?: string | null;
}

/**
 * Sends one GraphQL request to one instance within its timeout. A refused instance, or one taken
 * out by repeated failures, fails fast; every request's outcome counts towards its health.
 */
export function sendToInstance(
  registry: TopologyRegistry, instance: Instance, request: OutgoingRequest, viewer: Viewer = ANONYMOUS,
  headers: Record<string, string> = {}, body = JSON.stringify(request),
): Promise<InstanceAnswer> {
  // Every write passes here, whichever path sends it: answers kept from before it are dropped.
  return MUTATION.test(request.query)
    ? registry.writes.around(() => send(registry, instance, viewer, headers, body, false))
    : send(registry, instance, viewer, headers, body, true);
}

const MUTATION = /^\s*mutation\b/;

/** The longest pause before a read refused for load is sent again, whatever the instance's Retry-After says. */
export const MAX_RETRY_PAUSE_MS = 1_000;

/**
 * Sends within the instance's timeout. A read the instance refused whole for load (503,
 * SERVICE_OVERLOADED only) is sent once more after its Retry-After, when the time left allows a
 * second attempt as long as the first and the instance has fewer such reads pending than its
 * `maxInFlight`: a burst then costs a wait instead of a region's data, and a lasting overload
 * at most that many requests more. Writes are never sent twice.
 */
async function send(
  registry: TopologyRegistry, instance: Instance, viewer: Viewer, headers: Record<string, string>, body: string, read: boolean,
): Promise<InstanceAnswer> {
  const health = registry.healthOf(instance);
  if (health.status === 'REFUSED' || health.status === 'DOWN') {
    throw new InstanceUnavailable(instance, health.reason ?? health.status.toLowerCase());
  }
  // The timeout runs from here: waiting for a turn at a busy instance, and a pause before a retry, count against it.
  const signal = AbortSignal.timeout(instance.timeoutMs);
  const started = performance.now();
  const first = await attempt(registry, instance, viewer, headers, body, signal);
  if (!read || !first.refusedForLoad) return first.answer;
  const elapsed = performance.now() - started;
  const pause = Math.min(first.retryAfterMs, MAX_RETRY_PAUSE_MS);
  const turns = turnsAt(registry, instance);
  if (2 * elapsed + pause > instance.timeoutMs || turns.retrying >= instance.maxInFlight) return first.answer;
  turns.retrying++;
  try {
    await sleep(pause, undefined, { signal });
    return (await attempt(registry, instance, viewer, headers, body, signal)).answer;
  } catch (error) {
    // The time ran out during the pause: the refusal stands.
    if (signal.aborted && !(error instanceof InstanceUnavailable)) return first.answer;
    throw error;
  } finally {
    turns.retrying--;
  }
}

interface Attempt {
  answer: InstanceAnswer;
  /** The instance served nothing because of load (503, SERVICE_OVERLOADED only). */
  refusedForLoad: boolean;
  retryAfterMs: number;
}

async function attempt(
  registry: TopologyRegistry, instance: Instance, viewer: Viewer, headers: Record<string, string>, body: string, signal: AbortSignal,
): Promise<Attempt> {
  const observation = registry.observe(instance);
  const timer = subgraphFetches.startTimer({ subgraph: instance.subgraph, instance: instance.name });
  const response = await inSpan(`subgraph ${instance.name}`, SpanKind.CLIENT, { 'hub.subgraph': instance.subgraph, 'hub.instance': instance.name },
    async () => {
      const unavailable = (reason: string): never => {
        observation.failed(reason);
        timer({ outcome: 'unavailable' });
        throw new InstanceUnavailable(instance, reason);
      };
      const turns = turnsAt(registry, instance);
      try {
        await turns.take(instance.maxInFlight, signal);
      } catch {
        // Never sent: the instance did no work for it, but it answered too slowly to be given this one.
        return unavailable(`no answer within ${instance.timeoutMs} ms (${instance.maxInFlight} requests under way there)`);
      }
      try {
        return await fetchInstance(registry.signer, instance, {
          headers: withTraceHeaders({ ...headers, 'content-type': 'application/json', accept: 'application/json' }),
          body,
          viewer,
          signal,
        });
      } catch (error) {
        return unavailable(error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${instance.timeoutMs} ms` : describeFailure(error));
      } finally {
        turns.give(instance.maxInFlight);
      }
    });
  const text = response.text;
  timer({ outcome: response.ok ? 'ok' : `http_${response.status}` });
  // A write's answer names the data version it left (data-versions.ts).
  const version = response.headers.get(DATA_VERSION_HEADER);
  if (version) registry.versions.wrote(instance, version);
  const answer = graphQLAnswerIn(text);
  if (!answer) {
    if (response.status >= 500) observation.failed(`HTTP ${response.status}`);
    throw new InstanceUnavailable(instance, `HTTP ${response.status} without a GraphQL answer`);
  }
  // Refusing for load is an answer: the instance is alive and keeps its place in the topology.
  observation.succeeded();
  return {
    answer,
    refusedForLoad: response.status === 503 && onlyOverloaded(answer.data, answer.errors),
    retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
  };
}

/** Retry-After in milliseconds: its seconds, or the longest pause when it is missing or an HTTP date. */
function retryAfterMs(header: string | null): number {
  const seconds = header === null ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : MAX_RETRY_PAUSE_MS;
}

/** The GraphQL answer (data, errors or both) a body holds; undefined for anything else, JSON or not (a proxy's own error page). */
function graphQLAnswerIn(text: string): InstanceAnswer | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const answer = value as InstanceAnswer;
  return answer.data !== undefined || Array.isArray(answer.errors) ? answer : undefined;
}

/**
 * Turns at one instance: at most `limit` requests under way, the rest waiting in order. A waiting
 * request whose signal fires leaves the line. The limit is read at each call, so a topology
 * reload that changes it applies to the next request.
 */
export class Turns {
  /** Reads refused for load that wait to be sent once more (`send` bounds them by the same limit). */
  retrying = 0;
  private running = 0;
  private readonly line: { start: () => void; abandon: () => void }[] = [];

  get underWay(): number {
    return this.running;
  }

  get waiting(): number {
    return this.line.length;
  }

  take(limit: number, signal: AbortSignal): Promise<void> {
    if (this.running < limit && this.line.length === 0) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        start: () => {
          signal.removeEventListener('abort', entry.abandon);
          resolve();
        },
        abandon: () => {
          const index = this.line.indexOf(entry);
          if (index >= 0) this.line.splice(index, 1);
          reject(signal.reason);
        },
      };
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener('abort', entry.abandon, { once: true });
      this.line.push(entry);
    });
  }

  give(limit: number): void {
    this.running--;
    while (this.running < limit && this.line.length) {
      this.running++;
      this.line.shift()!.start();
    }
  }
}

const turnsByRegistry = new WeakMap<TopologyRegistry, Map<string, Turns>>();
function turnsAt(registry: TopologyRegistry, instance: Instance): Turns {
  let byName = turnsByRegistry.get(registry);
  if (!byName) turnsByRegistry.set(registry, byName = new Map());
  let turns = byName.get(instance.name);
  if (!turns) byName.set(instance.name, turns = new Turns());
  return turns;
}

/** One error per region an unavailable instance owns here: the rest of the answer stands. */
export function unavailableErrors(
  subgraph: string, failure: InstanceUnavailable, regions: readonly string[], path: (string | number)[],
): GraphQLFormattedError[] {
  return regions.map((region) => ({
    message: `Region ${region} is unavailable for ${subgraph} (${failure.message}); the answer lacks its data`,
    path,
    extensions: { code: 'REGION_UNAVAILABLE', region, subgraph, instance: failure.instance.name },
  }));
}

/** Errors without repeats: the same error from several instances or fetches (e.g. a refused argument) is reported once. */
export function distinctErrors(errors: Iterable<GraphQLFormattedError>): GraphQLFormattedError[] {
  const seen = new Set<string>();
  return [...errors].filter((error) => {
    const identity = JSON.stringify([error.message, error.path, error.extensions?.code]);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}

export function regionNotServedError(subgraph: string, region: string, path: (string | number)[]): GraphQLFormattedError {
  return {
    message: `No ${subgraph} instance owns region ${region}`,
    path,
    extensions: { code: 'REGION_NOT_SERVED', region, subgraph },
  };
}

/** Sends to one instance on behalf of the caller (signed with the caller's verified viewer). */
export type Send = (instance: Instance, request: OutgoingRequest) => Promise<InstanceAnswer>;

/** What a fetch needs to reach a subgraph's instances. */
export interface Route {
  subgraph: string;
  registry: TopologyRegistry;
  send: Send;
  /**
   * Reads records (`_entities` over `$representations`) through the answer cache, kept one record
   * at a time; `fetch` reads those not kept. Absent: every read goes through `send` as it is.
   */
  records?: (query: string, variables: Json, representations: Json[], fetch: (subset: unknown[]) => Promise<GatewayGraphQLResponse>) => Promise<GatewayGraphQLResponse>;
}

/** An instance's answer, or why it could not give one. */
export interface Outcome {
  instance: Instance;
  answer?: InstanceAnswer;
  failure?: InstanceUnavailable;
}

/** Sends and keeps an unavailable instance as an outcome (other errors still throw). */
export async function ask(send: Send, instance: Instance, request: OutgoingRequest): Promise<Outcome> {
  try {
    return { instance, answer: await send(instance, request) };
  } catch (error) {
    if (!(error instanceof InstanceUnavailable)) throw error;
    return { instance, failure: error };
  }
}
