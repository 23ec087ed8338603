import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { DATA_VERSION_HEADER } from '../shared/limits.js';
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

/** Idempotent: the counter, its trigger function, and the trigger on every table that has none yet (tables added later included). */
const NOTE_WRITES_SQL = [
  `create table if not exists "${DATA_VERSION_TABLE}" ("id" smallint primary key check ("id" = 1), "origin" uuid not null, "version" bigint not null)`,
  `insert into "${DATA_VERSION_TABLE}" ("id", "origin", "version") values (1, gen_random_uuid(), 0) on conflict ("id") do nothing`,
  `create or replace function ${FUNCTION}() returns trigger language plpgsql as $$
begin
  if coalesce(current_setting('hub.noted_write', true), '') <> 'on' then
    update "${DATA_VERSION_TABLE}" set "version" = "version" + 1 where "id" = 1;
    perform set_config('hub.noted_write', 'on', true);
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
    const rows = await orm.em.fork().getConnection().execute<{ version: string }[]>(
      `${PROBE_STATEMENT} select "origin" || '/' || "version" as "version" from "${DATA_VERSION_TABLE}" where "id" = 1`);
    return rows[0] && `${rows[0].version}/${startOf(orm)}`;
  } catch {
    return undefined;
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
