import type pg from 'pg';
import { Counter, Gauge } from 'prom-client';
import { z } from 'zod';
import { ConfigError } from './config.js';

/**
 * How many PostgreSQL connections an instance holds and how its queries wait for one. Every
 * instance on a server together, plus a reserve, must stay within the server's
 * `max_connections`: then a query waits for a connection of its own pool, or is refused as
 * overloaded, but never meets a server that has no connection left.
 */
export interface ConnectionBudget {
  /** Connections in the instance's pool (HUB_DB_POOL_MAX). */
  max: number;
  /** How long a query waits for a free connection before it is refused (HUB_DB_ACQUIRE_TIMEOUT_MS). */
  acquireTimeoutMs: number;
  /** Queries that may wait for a connection at once; the next one is refused at once (HUB_DB_QUEUE_MAX). */
  maxWaiting: number;
}

/**
 * For one instance on its own server. The acquire timeout bounds each query's wait, well below
 * the 5 s the gateway gives an instance, so that a query waiting in vain is refused as
 * SERVICE_OVERLOADED before the gateway gives up on the instance.
 */
export const DEFAULT_CONNECTION_BUDGET: ConnectionBudget = { max: 10, acquireTimeoutMs: 2_000, maxWaiting: 100 };

/**
 * How long a connection a burst opened stays in the pool unused. A new connection costs the server
 * a process, an authentication and cold catalog caches, far more than the few queries an instance
 * answers in between; pg-pool's 10 s made instances behind the regional gateway, each seeing a
 * part of the traffic, connect again several times a second under load. Every connection of every
 * pool is within the server's budget anyway (`poolSizeFor`).
 */
export const IDLE_CONNECTION_MS = 60_000;

/** The smallest pool a budget computes: a write's transaction holds one connection while the rest of its request may need another. */
export const MIN_COMPUTED_POOL_SIZE = 2;

/** Connections left to other clients of the server (psql, `npm run migrate`, backups) besides its reserved slots. */
export const CONNECTIONS_FOR_OTHERS = 5;

/** What a client told to come back later should wait, in seconds (HTTP `Retry-After`). */
export const OVERLOAD_RETRY_AFTER_SECONDS = 1;

/** The settings of an instance's connection budget; HUB_DB_POOL_MAX is left open where a caller computes it. */
export const connectionBudgetSettings = {
  HUB_DB_POOL_MAX: z.coerce.number().int().min(1).max(1_000).optional(),
  HUB_DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(DEFAULT_CONNECTION_BUDGET.acquireTimeoutMs),
  HUB_DB_QUEUE_MAX: z.coerce.number().int().min(0).max(10_000).default(DEFAULT_CONNECTION_BUDGET.maxWaiting),
};

/** The budget the settings name, the pool size given where they leave it open. */
export function connectionBudgetFrom(
  settings: { HUB_DB_POOL_MAX?: number; HUB_DB_ACQUIRE_TIMEOUT_MS: number; HUB_DB_QUEUE_MAX: number }, max?: number,
): ConnectionBudget {
  return {
    max: settings.HUB_DB_POOL_MAX ?? max ?? DEFAULT_CONNECTION_BUDGET.max,
    acquireTimeoutMs: settings.HUB_DB_ACQUIRE_TIMEOUT_MS,
    maxWaiting: settings.HUB_DB_QUEUE_MAX,
  };
}

/** A server's connection limits: `max_connections` and the slots it keeps for superusers and reserved roles. */
export interface ServerConnectionLimits {
  maxConnections: number;
  reserved: number;
}

export async function serverConnectionLimits(client: pg.Client): Promise<ServerConnectionLimits> {
  const { rows } = await client.query<{ max: number; superuser: number; reserved: number }>(`select
    current_setting('max_connections')::int as max,
    current_setting('superuser_reserved_connections')::int as superuser,
    coalesce(current_setting('reserved_connections', true), '0')::int as reserved`);
  return { maxConnections: rows[0].max, reserved: rows[0].superuser + rows[0].reserved };
}

/** Connections an instance holds beside its pool: the one its data version feed listens on (kit/data-version.ts). */
export const CONNECTIONS_BESIDE_POOL = 1;

/**
 * The pool size of each of `instances` instances sharing one server: what the server allows,
 * less its reserved slots and CONNECTIONS_FOR_OTHERS, shared evenly, less each instance's
 * CONNECTIONS_BESIDE_POOL, at most the default and at least MIN_COMPUTED_POOL_SIZE. A requested
 * size must fit the same way. Throws a ConfigError that states the budget otherwise.
 */
export function poolSizeFor(limits: ServerConnectionLimits, instances: number, requested?: number): number {
  const available = limits.maxConnections - limits.reserved - CONNECTIONS_FOR_OTHERS;
  const budget = `the server allows ${limits.maxConnections} connections (max_connections), ${limits.reserved} are reserved `
    + `and ${CONNECTIONS_FOR_OTHERS} kept for other clients: ${available} for ${instances} instances, `
    + `each holding ${CONNECTIONS_BESIDE_POOL} beside its pool`;
  if (requested !== undefined) {
    const held = (requested + CONNECTIONS_BESIDE_POOL) * instances;
    if (held > available) {
      throw new ConfigError(`HUB_DB_POOL_MAX=${requested} does not fit: ${instances} instances would hold up to `
        + `${held} connections, but ${budget}. Lower HUB_DB_POOL_MAX or raise max_connections.`);
    }
    return requested;
  }
  const size = Math.min(DEFAULT_CONNECTION_BUDGET.max, Math.floor(available / instances) - CONNECTIONS_BESIDE_POOL);
  if (size < MIN_COMPUTED_POOL_SIZE) {
    throw new ConfigError(`No connection budget: ${budget}, which leaves pools of fewer than ${MIN_COMPUTED_POOL_SIZE} each. `
      + 'Raise max_connections, run fewer instances or set HUB_DB_POOL_MAX.');
  }
  return size;
}

// -------------------------------------------------------------------------------------------------
// Refusing what cannot be served

/** Why a query got no connection. */
export type OverloadReason = 'queue_full' | 'timeout' | 'too_many_clients';

/** The code of DatabaseOverloaded; MikroORM copies it onto the exception it wraps the error in. */
export const DATABASE_OVERLOADED = 'HUB_DATABASE_OVERLOADED';
/** PostgreSQL's too_many_connections: "sorry, too many clients already", a database's or role's connection limit. */
const TOO_MANY_CONNECTIONS = '53300';

/** A query that got no database connection: the queue was full, the wait too long, or the server full. */
export class DatabaseOverloaded extends Error {
  readonly code = DATABASE_OVERLOADED;

  constructor(readonly reason: OverloadReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatabaseOverloaded';
  }
}

/** Whether a thrown value (or what it wraps) is a query refused for want of a connection. */
export function isDatabaseOverload(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === DATABASE_OVERLOADED || code === TOO_MANY_CONNECTIONS) return true;
  }
  return false;
}

/** pg-pool's messages for a wait or a new connection that took longer than connectionTimeoutMillis. */
const ACQUIRE_TIMEOUTS = new Set(['timeout exceeded when trying to connect', 'Connection terminated due to connection timeout']);

/** The overload a failed connect means, if it means one. */
function overloadOf(error: unknown, budget: ConnectionBudget): DatabaseOverloaded | undefined {
  if (error instanceof DatabaseOverloaded) return error;
  if ((error as { code?: unknown } | undefined)?.code === TOO_MANY_CONNECTIONS) {
    return new DatabaseOverloaded('too_many_clients', 'The database server has no connection left', { cause: error });
  }
  if (error instanceof Error && ACQUIRE_TIMEOUTS.has(error.message)) {
    return new DatabaseOverloaded('timeout', `No database connection became free within ${budget.acquireTimeoutMs} ms`, { cause: error });
  }
  return undefined;
}

/**
 * How long opening a connection may take: longer than a query waits for one. Under load a new
 * connection can take seconds (a server process, a login, cold caches); dropped when its query
 * gave up, it would be opened again by the next query and again dropped, so that the pool never
 * grew while every query was refused. A connection that arrives after its query gave up goes to
 * the next query instead.
 */
export const CONNECT_TIMEOUT_MS = 10_000;

interface CountedPool {
  service: string;
  budget: ConnectionBudget;
}

const guarded = new WeakSet<pg.Pool>();
/** The pools the metrics read; an ended pool leaves at the next scrape. */
const counted = new Map<pg.Pool, CountedPool>();
/** Queries of each pool that gave up while still in pg-pool's queue: they are no longer waiting, though pg-pool counts them. */
const abandoned = new WeakMap<pg.Pool, { count: number }>();

/** Queries waiting for a connection of the pool, those that gave up left out. */
function waitingIn(pool: pg.Pool): number {
  return Math.max(0, pool.waitingCount - (abandoned.get(pool)?.count ?? 0));
}

type ConnectCallback = (error: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void;

/**
 * Bounds the queue of a pool: pg-pool queues every query that finds no free connection, without
 * limit. A query that would wait beyond `maxWaiting` is refused at once, one that waits longer
 * than the acquire timeout when its time is up, and a server without a connection left (53300)
 * refuses too: each as DatabaseOverloaded, counted per reason. A connection being opened for a
 * query that gave up is kept for the next (CONNECT_TIMEOUT_MS, pg-pool's connectionTimeoutMillis).
 * `service` names the instance in the metrics (none without it).
 */
export function guardPool(pool: pg.Pool, budget: ConnectionBudget, service?: string): void {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const gaveUp = { count: 0 };
  abandoned.set(pool, gaveUp);
  const refuse = (overload: DatabaseOverloaded): DatabaseOverloaded => {
    if (service) refusals.inc({ service, reason: overload.reason });
    return overload;
  };
  const full = () => pool.idleCount === 0 && pool.totalCount >= budget.max;
  const admission = (): DatabaseOverloaded | undefined => (full() && waitingIn(pool) >= budget.maxWaiting
    ? refuse(new DatabaseOverloaded('queue_full', `${waitingIn(pool)} queries already wait for a database connection`)) : undefined);
  const failure = (error: unknown): unknown => {
    const overload = overloadOf(error, budget);
    return overload ? refuse(overload) : error;
  };
  const acquire = (): Promise<pg.PoolClient> => {
    const refused = admission();
    if (refused) return Promise.reject(refused);
    // Full: the query joins pg-pool's queue; otherwise pg-pool opens a connection for it.
    const queued = full();
    return new Promise((resolve, reject) => {
      let waiting = true;
      const timer = setTimeout(() => {
        waiting = false;
        if (queued) gaveUp.count++;
        reject(refuse(new DatabaseOverloaded('timeout', `No database connection became free within ${budget.acquireTimeoutMs} ms`)));
      }, budget.acquireTimeoutMs);
      connect().then((client) => {
        if (waiting) {
          waiting = false;
          clearTimeout(timer);
          return resolve(client);
        }
        if (queued) gaveUp.count--;
        client.release();
      }, (error: unknown) => {
        if (waiting) {
          waiting = false;
          clearTimeout(timer);
          return reject(failure(error));
        }
        if (queued) gaveUp.count--;
      });
    });
  };
  function guardedConnect(): Promise<pg.PoolClient>;
  function guardedConnect(callback: ConnectCallback): void;
  function guardedConnect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    if (!callback) return acquire();
    acquire().then((client) => callback(undefined, client, (release) => client.release(release as Error | boolean | undefined)),
      (error: Error) => callback(error, undefined, () => undefined));
  }
  pool.connect = guardedConnect;
  guarded.add(pool);
  if (service) counted.set(pool, { service, budget });
}

/** Whether guardPool bounds this pool. */
export function isGuarded(pool: pg.Pool): boolean {
  return guarded.has(pool);
}

// -------------------------------------------------------------------------------------------------
// Metrics: read from the pools when scraped. Instances sharing a label (tests) add up.

/** The pools that count, those ended dropped. */
function livePools(): [pg.Pool, CountedPool][] {
  const live: [pg.Pool, CountedPool][] = [];
  for (const [pool, entry] of counted) {
    if (pool.ending) counted.delete(pool);
    else live.push([pool, entry]);
  }
  return live;
}

new Gauge({
  name: 'hub_db_pool_connections',
  help: 'Database connections of each instance\'s pool, by state: in_use (lent to a query or transaction, or connecting) or idle.',
  labelNames: ['service', 'state'],
  collect() {
    this.reset();
    for (const [pool, { service }] of livePools()) {
      this.inc({ service, state: 'in_use' }, pool.totalCount - pool.idleCount);
      this.inc({ service, state: 'idle' }, pool.idleCount);
    }
  },
});
new Gauge({
  name: 'hub_db_pool_waiting',
  help: 'Queries of each instance waiting for a database connection: the length of its queue.',
  labelNames: ['service'],
  collect() {
    this.reset();
    for (const [pool, { service }] of livePools()) this.inc({ service }, waitingIn(pool));
  },
});
new Gauge({
  name: 'hub_db_pool_limit',
  help: 'Each instance\'s connection budget: connections (HUB_DB_POOL_MAX) and waiting queries (HUB_DB_QUEUE_MAX).',
  labelNames: ['service', 'limit'],
  collect() {
    this.reset();
    for (const [, { service, budget }] of livePools()) {
      this.inc({ service, limit: 'connections' }, budget.max);
      this.inc({ service, limit: 'waiting' }, budget.maxWaiting);
    }
  },
});
const refusals = new Counter({
  name: 'hub_db_pool_refusals_total',
  help: 'Queries refused for want of a database connection, by instance and reason (queue_full, timeout, too_many_clients).',
  labelNames: ['service', 'reason'],
});
