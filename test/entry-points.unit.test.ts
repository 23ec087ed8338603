/**
 * Every command-line entry point: `--help` answers, and bad arguments and settings are all named in
 * one message, with exit code 2 and no stack trace. The programs run as the user runs them.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../scripts/lib/paths.js';
import { Problems, helpText, parseCommandLine, type CommandSpec } from '../subgraphs/kit/cli.js';
import { parseRoles, roleProblem } from '../subgraphs/shared/roles.js';
import { progressDisplay } from '../scripts/lib/progress.js';
import { parseJsonWithLines, type SourceRow } from '../scripts/hub/source.js';
import { refusedRows } from '../scripts/hub/import.js';
import { ApiError } from '../scripts/hub/api.js';

/** Runs a program with only these settings (and PATH); the output of both streams. */
function run(program: string, args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', program, ...args], {
      cwd: PROJECT_ROOT, env: { PATH: process.env.PATH, HUB_LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

/** A stack trace's frame lines, as Node prints them. */
const STACK_LINE = /^\s{4}at /m;

interface EntryPoint {
  program: string;
  args: string[];
  env?: Record<string, string>;
  /** Every line the message must hold: one problem each. */
  problems: string[];
  /** What `--help` must mention (options and settings). */
  help: string[];
}

const ENTRY_POINTS: Record<string, EntryPoint> = {
  gateway: {
    program: 'gateway/main.ts', args: ['--port', '70000', '--topology', '/no/such/topology.json', '--bogus'],
    env: { PORT: 'vierzig', HUB_ENV: 'staging', HUB_RATE_LIMIT_ANONYMOUS: '0', ALLIANCES_URL: 'ftp://x' },
    problems: ['--bogus: unknown option', '--port: ', 'PORT: must be a number', '--topology: cannot read /no/such/topology.json',
      'HUB_RATE_LIMIT_ANONYMOUS: ', 'ALLIANCES_URL: must be an http(s) URL', 'HUB_SIGNING_KEY: missing (required)', 'HUB_ENV: ',
      'HUB_JWT_SECRET: set one of HUB_JWT_SECRET (HS256), HUB_JWT_PUBLIC_KEY or HUB_JWT_JWKS_URL (RS256)'],
    help: ['--topology FILE', '--supergraph FILE', 'HUB_SIGNING_KEY', 'HUB_TOPOLOGY', 'HUB_RATE_LIMIT_WINDOW_SECONDS'],
  },
  subgraph: {
    program: 'subgraphs/main.ts', args: ['alliance', 'surplus'],
    env: { PORT: 'x', REGIONS: 'SL,XX', HUB_INSTANCE_NAME: 'a b', HUB_SEED: 'yes', HUB_DB_POOL_MAX: '0' },
    problems: ['arguments: unexpected "surplus"', 'subgraph: "alliance" is not one of alliances, networks, projects, people',
      'DATABASE_URL: missing (required)', 'PORT: must be a number', 'REGIONS: unknown regions: XX', 'HUB_INSTANCE_NAME: ',
      'HUB_GATEWAY_PUBLIC_KEYS: missing (required)', 'HUB_SEED: ', 'HUB_DB_POOL_MAX: '],
    help: ['<subgraph>', 'DATABASE_URL', 'REGIONS', 'HUB_INSTANCE_NAME', 'HUB_GATEWAY_PUBLIC_KEYS'],
  },
  hub: {
    program: 'scripts/hub.ts', args: ['import', 'alliance', '/no/such/file.csv', '--region', 'XX', '--excel', '--url', 'ftp://gateway'],
    problems: ['kind: "alliance" is not one of', '--url: must be an http(s) URL', '--excel: only for export', 'file: cannot read /no/such/file.csv',
      '--region: "XX" is not a region', 'HUB_TOKEN: importing needs a token'],
    help: ['import or export', '--dry-run', '--region REGION', '--format csv|json', 'HUB_URL', 'HUB_TOKEN'],
  },
  token: {
    program: 'scripts/token.ts', args: ['--expires', 'banana', '--roles', 'editor:XX,Editor:SL,hub-admin', '--subject', ''],
    env: { HUB_JWT_SECRET: 'too short' },
    problems: ['--roles: "editor:XX" names no region: "XX" is not one of', '--roles: "Editor:SL" is not a role',
      '--subject: must not be empty', '--expires: "banana" is not a duration', 'HUB_JWT_SECRET: must be at least 32 characters'],
    help: ['--roles LIST', '--expires TIME', '--subject NAME', 'HUB_JWT_SECRET', 'editor:<REGION>'],
  },
  generate: {
    program: 'scripts/bench/generate.ts', args: ['--seed', 'eins', '--scale', '0', '--layout', 'all', '--prefix', 'Hub-', '--url', 'mysql://x'],
    problems: ['--seed: must be a whole number', '--scale: must be more than 0', '--layout: must be regional, single or both',
      '--prefix: must be 1 to 31 lower-case letters', '--url: must be a postgres:// URL'],
    help: ['--prefix NAME', '--layout regional|single|both', 'only ever drops and\nre-creates databases with that mark'],
  },
  migrate: {
    program: 'scripts/migrate.ts', args: ['peopel', '--chek'],
    env: { DATABASE_URL: 'mysql://x/y' },
    problems: ['--chek: unknown option', 'subgraph: "peopel" is not one of', 'DATABASE_URL: must be a postgres:// URL'],
    help: ['--check', 'DATABASE_URL', '3 no such database'],
  },
};

describe('every entry point', () => {
  it.concurrent.each(Object.entries(ENTRY_POINTS))('%s names every bad argument and setting at once, exit code 2, no stack trace', async (_name, entry) => {
    const { status, stdout, stderr } = await run(entry.program, entry.args, entry.env);
    expect(status, stderr).toBe(2);
    expect(stderr).toMatch(/^Invalid configuration:\n/);
    const lines = stderr.split('\n').filter((line) => line.startsWith('  - '));
    for (const problem of entry.problems) expect(lines.some((line) => line.startsWith(`  - ${problem}`)), `${problem} in\n${stderr}`).toBe(true);
    expect(lines).toHaveLength(entry.problems.length);
    expect(stderr).toMatch(/See npm run \S+ -- --help\n$/);
    expect(`${stdout}${stderr}`).not.toMatch(STACK_LINE);
  }, 60_000);

  it.concurrent.each(Object.entries(ENTRY_POINTS))('%s answers --help with its usage, options and settings, exit code 0', async (_name, entry) => {
    const { status, stdout, stderr } = await run(entry.program, ['--help']);
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run \S+ --/);
    for (const text of [...entry.help, '-h, --help']) expect(stdout, text).toContain(text);
    expect(stderr).toBe('');
  }, 60_000);

  it('a failure past the checks is one short line, not a stack trace (exit code 1)', async () => {
    const { status, stderr } = await run('scripts/hub.ts', ['export', 'alliances', '--url', 'http://127.0.0.1:9/graphql']);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^Export failed: cannot reach http:\/\/127\.0\.0\.1:9\/graphql/);
    expect(stderr).not.toMatch(STACK_LINE);
  }, 60_000);

  it('an unexpected failure (no database server) is a short message; the stack only with HUB_LOG_LEVEL=debug', async () => {
    const env = {
      DATABASE_URL: 'postgres://hub@127.0.0.1:9/hub_alliances', HUB_INSTANCE_NAME: 'alliances-sl',
      HUB_GATEWAY_PUBLIC_KEYS: generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string,
    };
    const quiet = await run('subgraphs/main.ts', ['alliances'], env);
    expect(quiet.status).toBe(1);
    expect(quiet.stderr).toMatch(/^Failed: .*ECONNREFUSED.*\n\(HUB_LOG_LEVEL=debug shows where\)\n$/);
    expect(quiet.stderr).not.toMatch(STACK_LINE);
    const debug = await run('subgraphs/main.ts', ['alliances'], { ...env, HUB_LOG_LEVEL: 'debug' });
    expect(debug.status).toBe(1);
    expect(debug.stderr).toMatch(STACK_LINE);
  }, 60_000);

  it('a token is printed for good arguments and verifies as asked', async () => {
    const secret = 'a'.repeat(40);
    const { status, stdout } = await run('scripts/token.ts', ['--roles', 'editor:SL, admin:NW,hub-admin', '--subject', 'jana@example.org', '--expires', '30m'],
      { HUB_JWT_SECRET: secret });
    expect(status).toBe(0);
    const { jwtVerify } = await import('jose');
    const { payload } = await jwtVerify(stdout.trim(), new TextEncoder().encode(secret));
    expect(payload).toMatchObject({ sub: 'jana@example.org', roles: ['editor:SL', 'admin:NW', 'hub-admin'] });
    expect(payload.exp! - payload.iat!).toBe(30 * 60);
  }, 60_000);
});

describe('the command-line kit', () => {
  const SPEC: CommandSpec = {
    command: 'npm run x --', summary: 'Does x.', positionals: [{ name: 'what', description: 'the thing' }],
    options: { name: { type: 'string', value: 'NAME', description: 'a name', default: 'n' }, fast: { type: 'boolean', description: 'quickly' } },
  };

  it('collects every problem of a command line instead of stopping at the first', () => {
    const problems = new Problems();
    const parsed = parseCommandLine(SPEC, ['--name', '--fast=yes', '-q', 'a', 'b'], problems);
    expect(problems.list).toEqual([
      '--name: needs a value (NAME)', '--fast: given where a value was expected', '-q: unknown option (see --help)', 'arguments: unexpected "b"',
    ]);
    expect(parsed.positionals).toEqual(['a', 'b']);
    const missing = new Problems();
    expect(parseCommandLine(SPEC, [], missing).values).toEqual({ name: 'n', fast: undefined, help: undefined });
    expect(missing.list).toEqual(['what: missing (the thing)']);
  });

  it('writes a help that names positionals, options with their defaults and -h', () => {
    const text = helpText(SPEC);
    expect(text).toMatch(/^Usage: npm run x -- <what> \[options\]\n\nDoes x\.\n/);
    expect(text).toMatch(/--name NAME\s+a name \(default: n\)/);
    expect(text).toMatch(/-h, --help\s+this help/);
  });
});

describe('roles', () => {
  it('accepts exactly hub-admin, admin:<REGION> and editor:<REGION>', () => {
    expect(parseRoles(['hub-admin', 'admin:SL', 'editor:NW', 'editor:DE'])).toEqual({
      roles: { hubAdmin: true, admin: ['SL'], editor: ['NW', 'DE'] }, problems: [],
    });
    expect(parseRoles(undefined)).toEqual({ roles: { hubAdmin: false, admin: [], editor: [] }, problems: [] });
  });

  it('names every unknown role or region', () => {
    expect(roleProblem('editor:XX')).toMatch(/^"editor:XX" names no region: "XX" is not one of BW, .*, DE$/);
    expect(roleProblem('editor:sl')).toMatch(/names no region/);
    expect(roleProblem('Editor:SL')).toBe('"Editor:SL" is not a role (roles are hub-admin, admin:<REGION>, editor:<REGION>)');
    expect(roleProblem('reader')).toMatch(/is not a role/);
    expect(parseRoles(['editor:SL', 'hub-admin ', 7]).problems).toEqual([
      '"hub-admin " is not a role (roles are hub-admin, admin:<REGION>, editor:<REGION>)', '7 is not a role (roles are text)',
    ]);
    expect(parseRoles('hub-admin').problems).toEqual(['the roles claim must be a list of roles']);
  });
});

describe('progress without a terminal', () => {
  it('prints plain lines, a tenth of the way at a time, and never a template placeholder', () => {
    let written = '';
    const stream = new Writable({ write(chunk, _encoding, done) { written += String(chunk); done(); } }) as unknown as NodeJS.WriteStream;
    const display = progressDisplay({ unit: 'rows', stream });
    const task = display.task('alliances', 1000);
    for (let done = 0; done < 1000; done += 50) task.update(done, 'hub_alliances_sl');
    task.finish();
    display.stop();
    const lines = written.trimEnd().split('\n');
    expect(lines[0]).toBe('alliances: 0/1000 rows (hub_alliances_sl)');
    expect(lines.at(-1)).toBe('alliances: 1000/1000 rows (done)');
    expect(lines).toHaveLength(11);
    expect(written).not.toMatch(/[{}]/);
  });
});

describe('JSON import files', () => {
  it('names the line (from 1) of each entry and of a syntax error', () => {
    expect(parseJsonWithLines('[\n  {"a": 1},\n  {"a": 2}\n]')).toEqual({ value: [{ a: 1 }, { a: 2 }], elementLines: [2, 3] });
    expect(parseJsonWithLines('[\n  {"a": 1},\n  {"a": 2 "b": 3}\n]')).toEqual({ line: 3, message: 'expected "," or "}" in an object, found """' });
    expect(parseJsonWithLines('[\n  {"a": 1},\n')).toMatchObject({ line: 3, message: 'expected a value, found the end of the file' });
    expect(parseJsonWithLines('[1,]')).toMatchObject({ line: 1 });
    expect(parseJsonWithLines('[\n"abc\n"]')).toMatchObject({ line: 2, message: 'a text in quotes runs past the end of its line' });
  });
});

describe('a refused import call', () => {
  const rows: SourceRow[] = [2, 3, 5, 9].map((line) => ({ line, values: {} }));
  const chunk = rows.slice(2);

  it('names every row of a refused region by its line', () => {
    const refused = refusedRows(new ApiError('jana may not write data of region NW (FORBIDDEN)', 'FORBIDDEN'), 'NW', rows, chunk);
    expect(refused).toEqual({ wholeRegion: true, errors: [2, 3, 5, 9].map((line) => ({ line, field: 'region', message: 'NW: jana may not write data of region NW (FORBIDDEN)' })) });
  });

  it('turns a row\'s place in the call (from 0) into its line', () => {
    const text = refusedRows(new ApiError('input.rows.1.name of importAlliances contains U+0000 (NUL); text may hold … (BAD_USER_INPUT)', 'BAD_USER_INPUT',
      { field: 'input.rows.1.name' }), 'SL', rows, chunk);
    expect(text).toEqual({ wholeRegion: false, errors: [{ line: 9, field: 'name', message: 'name contains U+0000 (NUL); text may hold … (BAD_USER_INPUT)' }] });
    const coerced = refusedRows(new ApiError('Variable "$input" got invalid value 5 at "input.rows[0].name"; String cannot represent a non string value: 5 (BAD_USER_INPUT)',
      'BAD_USER_INPUT'), 'SL', rows, chunk);
    expect(coerced).toEqual({ wholeRegion: false, errors: [{ line: 5, field: 'name', message: 'String cannot represent a non string value: 5 (BAD_USER_INPUT)' }] });
  });

  it('leaves a refusal that concerns no row to the whole import', () => {
    expect(refusedRows(new ApiError('Refused: the token has expired (UNAUTHENTICATED)', 'UNAUTHENTICATED'), 'SL', rows, chunk)).toBeUndefined();
  });
});
