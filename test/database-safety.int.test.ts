/**
 * The database commands touch only what they should: `migrate --check` reads and creates nothing
 * (a missing database is reported), and `generate` drops and re-creates only databases it made
 * itself. Both run as the user runs them, against the test PostgreSQL.
 */
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../scripts/lib/paths.js';
import { createTestDatabase } from './support/databases.js';

const base = () => inject('postgresBaseUrl');
let admin: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: `${base()}postgres` });
  await admin.connect();
});
afterAll(async () => { await admin?.end(); });

function run(program: string, args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', program, ...args], {
      cwd: PROJECT_ROOT, env: { PATH: process.env.PATH, HUB_LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const databasesLike = async (pattern: string) =>
  (await admin.query<{ datname: string }>('select datname from pg_database where datname like $1 order by datname', [pattern])).rows.map((r) => r.datname);

async function inDatabase<T>(name: string, query: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${base()}${name}` });
  await client.connect();
  try {
    return await query(client);
  } finally {
    await client.end();
  }
}

describe('npm run migrate -- --check', () => {
  it('reports a missing database (exit 3) and does not create it', async () => {
    const { status, stdout, stderr } = await run('scripts/migrate.ts', ['people', '--check'], { DATABASE_URL: `${base()}check_missing_people` });
    expect(status, stderr).toBe(3);
    expect(stderr).toBe('The database check_missing_people does not exist: nothing checked, nothing created\n');
    expect(stdout).toBe('');
    expect(await databasesLike('check_missing_people')).toEqual([]);
  }, 60_000);

  it('lists pending migrations of an empty database without creating the migrations table; after migrate, up to date', async () => {
    const url = await createTestDatabase('check_empty');
    const name = new URL(url).pathname.slice(1);
    const pending = await run('scripts/migrate.ts', ['people', '--check'], { DATABASE_URL: url });
    expect(pending.status, pending.stderr).toBe(1);
    expect(pending.stdout).toMatch(/^Pending for people: \S+/);
    const tables = () => inDatabase(name, async (c) => (await c.query('select count(*)::int as n from pg_tables where schemaname = \'public\'')).rows[0].n as number);
    expect(await tables()).toBe(0);

    const applied = await run('scripts/migrate.ts', ['people'], { DATABASE_URL: url });
    expect(applied.status, applied.stderr).toBe(0);
    expect(await tables()).toBeGreaterThan(0);
    const upToDate = await run('scripts/migrate.ts', ['people', '--check'], { DATABASE_URL: url });
    expect(upToDate).toMatchObject({ status: 0, stdout: 'people is up to date\n' });
  }, 120_000);
});

describe('npm run generate', () => {
  const generate = (prefix: string) => run('scripts/bench/generate.ts', ['--url', base(), '--prefix', prefix, '--layout', 'single', '--scale', '0.01', '--seed', '3']);

  it('refuses to drop a database of the same name it did not make, and drops nothing', async () => {
    // Someone else's database that happens to carry a name of the run, e.g. npm start's on the same server.
    await admin.query('create database "gforeign_projects_all"');
    await inDatabase('gforeign_projects_all', (c) => c.query('create table precious (note text); insert into precious values (\'kept\')'));
    const { status, stderr } = await generate('gforeign');
    expect(status, stderr).toBe(1);
    expect(stderr).toContain('1 database(s) named like this run\'s exist without the mark of npm run generate, so they hold someone else\'s data '
      + 'and are left as they are: gforeign_projects_all. Choose another --prefix, or drop them yourself.');
    expect(stderr).not.toMatch(/^\s{4}at /m);
    // Nothing dropped, nothing made.
    expect(await inDatabase('gforeign_projects_all', async (c) => (await c.query('select note from precious')).rows)).toEqual([{ note: 'kept' }]);
    expect(await databasesLike('gforeign\\_%')).toEqual(['gforeign_projects_all']);
  }, 120_000);

  it('makes its databases with its mark, replaces them on the next run, and reports progress piped as plain lines', async () => {
    const first = await generate('gown');
    expect(first.status, first.stderr).toBe(0);
    expect(await databasesLike('gown\\_%')).toEqual(['gown_alliances_all', 'gown_networks_all', 'gown_people_all', 'gown_projects_all']);
    const marks = await admin.query<{ marker: string }>(
      'select shobj_description(oid, \'pg_database\') as marker from pg_database where datname like \'gown\\_%\'');
    expect(new Set(marks.rows.map((r) => r.marker))).toEqual(new Set(['buendnis-hub generated data (npm run generate): may be dropped and made again']));
    expect(first.stderr).toMatch(/^alliances: \d+\/\d+ rows \(done\)$/m);
    expect(first.stderr).not.toMatch(/[{}█░]/);

    const alliances = () => inDatabase('gown_alliances_all', async (c) => (await c.query('select count(*)::int as n from alliance')).rows[0].n as number);
    const count = await alliances();
    await inDatabase('gown_alliances_all', (c) => c.query('create table leftover (x int)'));
    const second = await generate('gown');
    expect(second.status, second.stderr).toBe(0);
    expect(await alliances()).toBe(count);
    expect(await inDatabase('gown_alliances_all', async (c) => (await c.query('select to_regclass(\'leftover\') as t')).rows[0].t)).toBeNull();
  }, 300_000);
});
