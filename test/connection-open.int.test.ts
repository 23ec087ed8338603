/**
 * A connection that takes long to open, as under load, on real PostgreSQL behind a TCP proxy that
 * holds each new connection back: the query waiting for it gives up after the acquire timeout,
 * but the connection is not dropped; it joins the pool and serves the next query. Dropped, every
 * query would open one anew and give up again, and the pool would never grow.
 */
import { createServer, connect as connectTcp, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import type { PostgreSqlConnection } from '@mikro-orm/postgresql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initOrm, isDatabaseOverload, type MikroORM } from '../subgraphs/kit/index.js';
import { alliancesSubgraph } from '../subgraphs/alliances/index.js';
import { createTestDatabase } from './support/databases.js';

/** Forwards TCP to PostgreSQL; each connection opened while `delayMs` is set is held back that long first. */
interface SlowProxy {
  url: string;
  delayMs: number;
  /** Connections opened through it. */
  opened: number;
  close(): Promise<void>;
}

async function startSlowProxy(databaseUrl: string): Promise<SlowProxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  const proxy: SlowProxy = { url: '', delayMs: 0, opened: 0, close: async () => undefined };
  const server: Server = createServer((client) => {
    proxy.opened++;
    client.pause();
    sockets.add(client);
    setTimeout(() => {
      const upstream = connectTcp(Number(target.port), target.hostname, () => {
        client.pipe(upstream).pipe(client);
        client.resume();
      });
      sockets.add(upstream);
      const end = () => { client.destroy(); upstream.destroy(); };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    }, proxy.delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  proxy.url = url.toString();
  proxy.close = () => new Promise((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  });
  return proxy;
}

const BUDGET = { max: 2, acquireTimeoutMs: 400, maxWaiting: 1 };
let proxy: SlowProxy;
let orm: MikroORM;

beforeAll(async () => {
  proxy = await startSlowProxy(await createTestDatabase('connection_open'));
  orm = await initOrm({
    databaseUrl: proxy.url, entities: alliancesSubgraph.entities, migrations: alliancesSubgraph.migrations, connections: BUDGET,
  });
});
afterAll(async () => {
  await orm?.close();
  await proxy?.close();
});
afterEach(() => {
  proxy.delayMs = 0;
});

const pool = async (): Promise<pg.Pool> => (orm.em.getConnection() as PostgreSqlConnection).getNativeClient();
const query = () => orm.em.fork().getConnection().execute('select 1 as one');

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `work`, expecting a refusal for want of a connection; returns its message and how long it took. */
async function refused(work: () => Promise<unknown>): Promise<{ message: string; ms: number }> {
  const started = Date.now();
  const error = await work().then(() => undefined, (e: unknown) => e as Error);
  expect(error, 'refused').toBeDefined();
  expect(isDatabaseOverload(error)).toBe(true);
  return { message: error!.message, ms: Date.now() - started };
}

describe('a connection slow to open', () => {
  it('refuses the query after the acquire timeout, keeps the connection when it arrives, and serves the next query on it', async () => {
    const native = await pool();
    // Every open connection taken: the pool has to open one for the query.
    const held = await Promise.all(Array.from({ length: native.idleCount }, () => native.connect()));
    expect(native.totalCount).toBeLessThan(BUDGET.max);
    try {
      proxy.delayMs = 3 * BUDGET.acquireTimeoutMs;
      const first = await refused(query);
      expect(first.message).toMatch(/became free within 400 ms/);
      expect(first.ms).toBeLessThan(proxy.delayMs);
      await until(() => native.idleCount === 1);
      const opened = proxy.opened;
      expect(await query()).toEqual([{ one: 1 }]);
      expect(proxy.opened, 'the next query ran on the connection opened for the first').toBe(opened);
    } finally {
      for (const client of held) client.release();
    }
  });

  it('does not count a query that gave up in the queue among those waiting', async () => {
    const native = await pool();
    const held = await Promise.all(Array.from({ length: BUDGET.max }, () => native.connect()));
    try {
      // The one place in the queue: taken, then given up after the acquire timeout.
      expect((await refused(query)).message).toMatch(/became free within/);
      // Still in pg-pool's queue, but not waiting: the next query may wait in its place.
      expect((await refused(query)).message).toMatch(/became free within/);
    } finally {
      for (const client of held) client.release();
    }
    // The connections the queries gave up on went back to the pool.
    await until(() => native.idleCount === BUDGET.max);
    expect(await query()).toEqual([{ one: 1 }]);
  });
});
