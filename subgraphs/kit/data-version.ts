import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { DATA_VERSION_HEADER } from '../shared/limits.js';
import { isOlderVersion } from '../shared/data-version.js';
import pg from 'pg';
import type { MikroORM } from './orm.js';

/** Begins the statements the gateway's probes cost (no request's work): `onQuery` does not see them (orm.ts). */
export const PROBE_STATEMENT = '/* hub probe */';

/**
 * Where an instance's data stands: a counter that every committed write moves, whoever makes it
 * (the gateway, a client on the instance directly, an import, psql). The gateway reads it with
 * every probe (`/references`, header `hub-data-version`) and drops what it kept from the
 * instance's subgraph as soon as it moves (gateway/regional/data-versions.ts).
 *
 * A trigger on every table moves it at commit (deferred): once per transaction, and as the
 * transaction's last lock, so a writer holding it does nothing but commit and two writers cannot
 * deadlock over it. The new value becomes visible together with the write: a probe that reads it
 * is followed only by reads that see the write.
 */
export const DATA_VERSION_TABLE = 'hub_data_version';

const FUNCTION = 'hub_note_write';

/** Where the trigger names every committed version (`origin/counter`): PostgreSQL sends it at commit, never for a rollback. */
const CHANNEL = 'hub_data_version';

/** Idempotent: the counter, its trigger function, and the trigger on every table that has none yet (tables added later included). */
const NOTE_WRITES_SQL = [
  `create table if not exists "${DATA_VERSION_TABLE}" ("id" smallint primary key check ("id" = 1), "origin" uuid not null, "version" bigint not null)`,
  `insert into "${DATA_VERSION_TABLE}" ("id", "origin", "version") values (1, gen_random_uuid(), 0) on conflict ("id") do nothing`,
  `create or replace function ${FUNCTION}() returns trigger language plpgsql as $$
declare noted text;
begin
  if coalesce(current_setting('hub.noted_write', true), '') <> 'on' then
    update "${DATA_VERSION_TABLE}" set "version" = "version" + 1 where "id" = 1 returning "origin" || '/' || "version" into noted;
    perform set_config('hub.noted_write', 'on', true);
    perform pg_notify('${CHANNEL}', noted);
  end if;
  return null;
end $$`,
  `do $$
declare t text;
begin
  for t in select tablename from pg_tables where schemaname = current_schema() and tablename not in ('${DATA_VERSION_TABLE}', 'mikro_orm_migrations') loop
    begin
      if not exists (select 1 from pg_trigger where tgrelid = format('%I', t)::regclass and tgname = '${FUNCTION}') then
        execute format('create constraint trigger ${FUNCTION} after insert or update or delete on %I deferrable initially deferred for each row execute function ${FUNCTION}()', t);
      end if;
      if not exists (select 1 from pg_trigger where tgrelid = format('%I', t)::regclass and tgname = '${FUNCTION}_truncate') then
        execute format('create trigger ${FUNCTION}_truncate after truncate on %I for each statement execute function ${FUNCTION}()', t);
      end if;
    exception when duplicate_object then null;
    end;
  end loop;
end $$`,
];

const STOP_NOTING_WRITES_SQL = `do $$
declare t record;
begin
  for t in select c.relname, g.tgname from pg_trigger g join pg_class c on c.oid = g.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and g.tgname in ('${FUNCTION}', '${FUNCTION}_truncate') loop
    execute format('drop trigger if exists %I on %I', t.tgname, t.relname);
  end loop;
end $$`;

/**
 * Applies the pending migrations (`up`, when `pending`) with no table noting its writes, then
 * notes them on every table again and moves the counter once: a migration may change a table's
 * rows and then its definition in one transaction, which PostgreSQL refuses while deferred
 * trigger events are pending.
 */
export async function migrateNotingWrites(orm: MikroORM, pending: boolean, up: () => Promise<unknown>): Promise<void> {
  const connection = () => orm.em.fork().getConnection();
  if (pending) {
    await connection().execute(STOP_NOTING_WRITES_SQL);
    await up();
  }
  for (const sql of NOTE_WRITES_SQL) await connection().execute(sql);
  if (pending) await connection().execute(`update "${DATA_VERSION_TABLE}" set "version" = "version" + 1 where "id" = 1`);
}

/** A random name for each instance's start (its ORM). */
const starts = new WeakMap<MikroORM, string>();
const startOf = (orm: MikroORM): string => {
  let start = starts.get(orm);
  if (!start) starts.set(orm, start = randomUUID().slice(0, 8));
  return start;
};

/**
 * `origin/counter/start`: the counter, the random origin of this database's counter (a database
 * restored or made anew starts another, so a lower counter is never taken for an old reading),
 * and this instance's start: a restarted instance may run other code, which may answer the same
 * query otherwise, so its version reads as new though its data has not moved.
 * Undefined where it cannot be read (not set up, or the database unreachable): the gateway then
 * keeps answers only for its short time to live.
 */
export async function dataVersion(orm: MikroORM): Promise<string | undefined> {
  try {
    const rows = await orm.em.fork().getConnection().execute<{ version: string }[]>(READ_VERSION);
    return rows[0] && `${rows[0].version}/${startOf(orm)}`;
  } catch {
    return undefined;
  }
}

const READ_VERSION = `${PROBE_STATEMENT} select "origin" || '/' || "version" as "version" from "${DATA_VERSION_TABLE}" where "id" = 1`;

/** How often the feed reads the counter on its own connection: proof that the connection lives, and whatever a notification missed. */
export const FEED_HEARTBEAT_MS = 2_000;
/** How long the feed waits before it connects again after losing its connection. */
const FEED_RECONNECT_MS = 1_000;

export interface DataVersionFeedOptions {
  /** Hears every change of the version, writes made past the instance included. */
  onChange?: () => void;
  /** Hears the feed losing its connection (probes then read over the pool) and having it back, once each time. */
  onLost?: (reason: string) => void;
  onBack?: () => void;
  heartbeatMs?: number;
  clock?: () => number;
}

/**
 * An instance's data version kept in memory, so that a probe costs no database work and never
 * waits behind the requests that hold the pool's connections: under load the pool is exactly what
 * a probe would not get, and a probe that misses too long costs the gateway every kept answer of
 * the subgraph (gateway/regional/data-versions.ts).
 *
 * One connection of its own (beside the pool, counted in the connection budget) listens on the
 * channel the trigger notifies at every commit, and reads the counter every heartbeat. A
 * notification only moves the version forward; a heartbeat's reading is what the database holds
 * (a restored database may hold a lower counter). While the connection is down, or no heartbeat
 * has answered for three heartbeats' time (the connection may be dead without having said so),
 * `current()` is undefined and the caller reads the counter over the pool as before.
 */
export class DataVersionFeed {
  private client?: pg.Client;
  /** `origin/counter` as last heard or read. */
  private version?: string;
  /** When a heartbeat last confirmed the connection. */
  private confirmedAt = 0;
  private heartbeat?: NodeJS.Timeout;
  private reconnect?: NodeJS.Timeout;
  private stopped = false;

  private readonly onChange: () => void;
  private readonly onLost: (reason: string) => void;
  private readonly onBack: () => void;
  /** Lost since it last vouched for a version: `onBack` is due once it does again. */
  private away = false;
  private readonly heartbeatMs: number;
  private readonly clock: () => number;

  private constructor(private readonly databaseUrl: string, private readonly start: string, options: DataVersionFeedOptions) {
    this.onChange = options.onChange ?? (() => undefined);
    this.onLost = options.onLost ?? (() => undefined);
    this.onBack = options.onBack ?? (() => undefined);
    this.heartbeatMs = options.heartbeatMs ?? FEED_HEARTBEAT_MS;
    this.clock = options.clock ?? Date.now;
  }

  /** Starts listening; a database that cannot be reached now is tried again every FEED_RECONNECT_MS. */
  static async start(orm: MikroORM, databaseUrl: string, options: DataVersionFeedOptions = {}): Promise<DataVersionFeed> {
    const feed = new DataVersionFeed(databaseUrl, startOf(orm), options);
    await feed.connect();
    return feed;
  }

  /** `origin/counter/start` as `dataVersion` reads it, or undefined while the feed cannot vouch for it. */
  current(): string | undefined {
    if (!this.version || this.clock() - this.confirmedAt > 3 * this.heartbeatMs) return undefined;
    return `${this.version}/${this.start}`;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.heartbeat);
    clearTimeout(this.reconnect);
    const client = this.client;
    this.client = undefined;
    this.version = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    // A statement or handshake without an answer counts as a lost connection, as an error does.
    const client = new pg.Client({
      connectionString: this.databaseUrl, keepAlive: true, application_name: 'hub data version feed',
      connectionTimeoutMillis: this.heartbeatMs, query_timeout: this.heartbeatMs,
    });
    // Before connect: an error of the handshake is reported here too, and must not go unhandled.
    client.on('error', (error) => this.lost(client, error.message));
    client.on('end', () => this.lost(client, 'the connection ended'));
    client.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload && this.client === client) this.moveTo(message.payload, false);
    });
    this.client = client;
    try {
      await client.connect();
      // Listening first: a commit between the two statements is read by the second or notified.
      await client.query(`LISTEN ${CHANNEL}`);
      await this.read(client);
    } catch (error) {
      this.lost(client, (error as Error).message);
      return;
    }
    if (this.away) {
      this.away = false;
      this.onBack();
    }
    this.scheduleHeartbeat(client);
  }

  private async read(client: pg.Client): Promise<void> {
    const { rows } = await client.query<{ version: string }>(READ_VERSION);
    if (this.client !== client) return;
    if (rows[0]) this.moveTo(rows[0].version, true);
    this.confirmedAt = this.clock();
  }

  private scheduleHeartbeat(client: pg.Client): void {
    // A heartbeat of a connection since lost ends with it: the new connection has its own.
    if (this.client !== client) return;
    this.heartbeat = setTimeout(() => {
      this.read(client).then(() => this.scheduleHeartbeat(client), (error: Error) => this.lost(client, error.message));
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  private moveTo(version: string, read: boolean): void {
    if (version === this.version) return;
    if (!read && this.version && isOlderVersion(version, this.version)) return;
    this.version = version;
    this.onChange();
  }

  /** The connection failed or ended: nothing is vouched for until a new one has read the counter. */
  private lost(client: pg.Client, reason: string): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.version = undefined;
    clearTimeout(this.heartbeat);
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    if (!this.away) {
      this.away = true;
      this.onLost(reason);
    }
    this.reconnect = setTimeout(() => void this.connect(), FEED_RECONNECT_MS);
    this.reconnect.unref();
  }
}

/**
 * A mutation's answer names the data version after it committed: the gateway, which dropped its
 * kept answers for the write already, takes it as known instead of dropping them again when the
 * next probe sees the counter moved.
 */
export function dataVersionPlugin<T extends BaseContext>(orm: MikroORM): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, response }) {
          if (operation?.operation !== 'mutation') return;
          const version = await dataVersion(orm);
          if (version) response.http.headers.set(DATA_VERSION_HEADER, version);
        },
      };
    },
  };
}
