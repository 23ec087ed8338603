/**
 * The data version every instance reports to the gateway's probes (kit/data-version.ts), on real
 * PostgreSQL: it moves once per committed transaction that wrote, whatever the client, only when
 * the write becomes visible, not at all for a rolled-back one; writers are not held up by it
 * before they commit. The feed keeps it in memory from the commits' notifications, on a
 * connection of its own, so that a probe needs no connection of the pool.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initOrm, migrate, type MikroORM } from '../subgraphs/kit/index.js';
import { DataVersionFeed, dataVersion } from '../subgraphs/kit/data-version.js';
import { alliancesSubgraph } from '../subgraphs/alliances/index.js';
import { createTestDatabase } from './support/databases.js';

let orm: MikroORM;
let url: string;
const clients: pg.Client[] = [];

beforeAll(async () => {
  url = await createTestDatabase('data_version');
  orm = await initOrm({ databaseUrl: url, entities: alliancesSubgraph.entities, migrations: alliancesSubgraph.migrations });
  await migrate(orm);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()));
  await orm?.close();
});

async function client(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  clients.push(c);
  return c;
}

const version = async () => Number((await dataVersion(orm))!.split('/')[1]);
const AUDIT = `insert into "audit_log" ("id", "at", "actor", "action", "entity", "entity_id", "region", "fields") values ($1, now(), 'psql', 'create', 'Alliance', 'SL:alliance:x', 'SL', '{}')`;

describe('data version', () => {
  it('moves once for a transaction of several writes, and only when it commits', async () => {
    const writer = await client();
    const before = await version();
    await writer.query('begin');
    for (let n = 0; n < 3; n++) await writer.query(AUDIT, [randomUUID()]);
    await writer.query('update "audit_log" set "actor" = \'psql 2\' where "actor" = \'psql\'');
    expect(await version()).toBe(before);
    await writer.query('commit');
    expect(await version()).toBe(before + 1);
    // A statement of its own is a transaction of its own.
    await writer.query('delete from "audit_log" where "actor" = \'psql 2\'');
    expect(await version()).toBe(before + 2);
  });

  it('stays where it was for a transaction rolled back, and for reads', async () => {
    const writer = await client();
    const before = await version();
    await writer.query('begin');
    await writer.query(AUDIT, [randomUUID()]);
    await writer.query('rollback');
    await writer.query('select count(*) from "audit_log"');
    expect(await version()).toBe(before);
  });

  it('holds no writer up before its commit: two transactions write side by side, then commit one after the other', async () => {
    const [a, b] = [await client(), await client()];
    const [x, y] = [randomUUID(), randomUUID()];
    for (const id of [x, y]) await a.query(AUDIT, [id]);
    const before = await version();
    await a.query('begin');
    await b.query('begin');
    await a.query('update "audit_log" set "actor" = \'a\' where "id" = $1', [x]);
    await b.query('update "audit_log" set "actor" = \'b\' where "id" = $1', [y]);
    // Neither waited for the other's counter update: it comes at commit.
    await a.query('commit');
    await b.query('commit');
    expect(await version()).toBe(before + 2);
  });

  it('reads as new when the instance starts again, though no write moved the counter (it may run other code)', async () => {
    const first = (await dataVersion(orm))!;
    expect(await dataVersion(orm), 'the same instance, read again').toBe(first);
    const restarted = await initOrm({ databaseUrl: url, entities: alliancesSubgraph.entities, migrations: alliancesSubgraph.migrations });
    try {
      const again = (await dataVersion(restarted))!;
      expect(again.split('/').slice(0, 2)).toEqual(first.split('/').slice(0, 2));
      expect(again).not.toBe(first);
    } finally {
      await restarted.close();
    }
  });

  it('is not seen by the statement counter the tests and benchmarks read (a probe is no request\'s work)', async () => {
    const seen: string[] = [];
    const counted = await initOrm({ databaseUrl: url, entities: alliancesSubgraph.entities, migrations: alliancesSubgraph.migrations, onQuery: (sql) => seen.push(sql) });
    try {
      seen.length = 0;
      expect(await dataVersion(counted)).toMatch(/^[0-9a-f-]{36}\/\d+\/[0-9a-f]{8}$/);
      await counted.em.fork().getConnection().execute('select 1');
      expect(seen).toEqual(['select 1']);
    } finally {
      await counted.close();
    }
  });
});

describe('the data version feed', () => {
  /** Until `condition` holds, or fails after `timeoutMs`. */
  async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > end) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  const counterOf = (feed: DataVersionFeed) => Number(feed.current()?.split('/')[1]);
  // No heartbeat within a test: what moves the version is a notification.
  const feedOf = (options: Parameters<typeof DataVersionFeed.start>[2] = {}) => DataVersionFeed.start(orm, url, { heartbeatMs: 60_000, ...options });

  it('reads what dataVersion reads, and follows a commit made past the instance by its notification alone', async () => {
    let changes = 0;
    const feed = await feedOf({ onChange: () => { changes++; } });
    try {
      expect(feed.current()).toBe(await dataVersion(orm));
      const before = counterOf(feed);
      const writer = await client();
      await writer.query('begin');
      await writer.query(AUDIT, [randomUUID()]);
      await writer.query(AUDIT, [randomUUID()]);
      await writer.query('rollback');
      await writer.query(AUDIT, [randomUUID()]);
      await until(() => counterOf(feed) !== before);
      expect(counterOf(feed), 'one commit, the rolled back transaction not at all').toBe(before + 1);
      expect(feed.current()).toBe(await dataVersion(orm));
      expect(changes).toBe(2);
    } finally {
      await feed.stop();
    }
  });

  it('vouches for nothing once its connection is lost, says so once, and reads the counter again when it is back', async () => {
    const heard: string[] = [];
    const feed = await feedOf({ onLost: (reason) => heard.push(`lost: ${reason}`), onBack: () => heard.push('back') });
    try {
      expect(heard).toEqual([]);
      const admin = await client();
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = current_database()', ['hub data version feed']);
      await until(() => feed.current() === undefined);
      // Made while the feed is away: no notification reaches it.
      await admin.query(AUDIT, [randomUUID()]);
      await until(() => feed.current() !== undefined);
      expect(feed.current()).toBe(await dataVersion(orm));
      expect(heard).toEqual([expect.stringMatching(/^lost: .*terminat/), 'back']);
    } finally {
      await feed.stop();
    }
  });

  it('vouches for nothing when no heartbeat has confirmed its connection for three heartbeats\' time', async () => {
    let now = 0;
    const feed = await feedOf({ clock: () => now });
    try {
      expect(feed.current()).toBe(await dataVersion(orm));
      now = 3 * 60_000;
      expect(feed.current()).toBeDefined();
      now += 1;
      expect(feed.current()).toBeUndefined();
    } finally {
      await feed.stop();
    }
  });
});
