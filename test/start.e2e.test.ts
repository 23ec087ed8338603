import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { alliancesSubgraph } from '../subgraphs/alliances/index.js';
import { REGIONS, Region } from '../subgraphs/kit/index.js';
import { INTERNAL_OPERATIONS } from '../subgraphs/shared/limits.js';
import { generateDataset, countsOf } from '../scripts/bench/generate.js';
import { PROJECT_ROOT } from '../scripts/lib/paths.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';
import { waitFor } from './support/hub.js';
import { TEST_JWT_SECRET, TEST_METRICS_TOKEN, TEST_SIGNING_KEY } from './support/security.js';

/**
 * The real `npm start` (scripts/start.ts in a child process, as `npm start` runs it) on free
 * ports, with its data in a temporary folder: its topology overlay, a stale PostgreSQL lock,
 * its log and metrics, stopping, and the national demo.
 */
const SIGNING_KEY_PEM = TEST_SIGNING_KEY.export({ type: 'pkcs8', format: 'pem' }) as string;
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
}, 120_000);

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

/** Ports for a run: the gateway, the embedded PostgreSQL and a block for the instances of `regions`. */
async function freePorts(regions: Region[]): Promise<{ gateway: number; postgres: number; base: number }> {
  for (;;) {
    // Below the ephemeral range (32768 and up on Linux), where other tests' connections take ports meanwhile.
    const base = 20_000 + Math.floor(Math.random() * 120) * 100;
    const wanted = [base + 90, base + 91, ...[0, 1, 2, 3].flatMap((s) => regions.map((r) => base + s * 20 + REGIONS.indexOf(r)))];
    if ((await Promise.all(wanted.map(portFree))).every(Boolean)) return { gateway: base + 90, postgres: base + 91, base };
  }
}

interface StartRun {
  child: ChildProcess;
  lines: string[];
  gatewayUrl: string;
  exited: Promise<number | null>;
  /** Waits for a line matching `pattern` (among those already printed too). */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

type Settings = Record<string, string>;

/** Starts `npm start`'s script with these settings and waits until it says it is ready. */
async function start(settings: Settings, readyWithinMs = 120_000): Promise<StartRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HUB_LOG_FORMAT: 'json', HUB_LOG_LEVEL: 'info', ...settings },
  });
  const lines: string[] = [];
  const waiting = new Set<() => void>();
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (text) => {
      lines.push(text);
      for (const wake of waiting) wake();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => { done = true; for (const wake of waiting) wake(); });
  const line = (pattern: RegExp, timeoutMs = 30_000) => new Promise<string>((resolve, reject) => {
    const check = () => {
      const found = lines.find((l) => pattern.test(l));
      if (found !== undefined) finish(() => resolve(found));
      else if (done) finish(() => reject(new Error(`exited without printing ${pattern}:\n${lines.join('\n')}`)));
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`no line ${pattern} within ${timeoutMs} ms:\n${lines.join('\n')}`))), timeoutMs);
    const finish = (then: () => void) => { clearTimeout(timer); waiting.delete(check); then(); };
    waiting.add(check);
    check();
  });
  // Whatever a test left running: stopped as Ctrl-C would, or killed together with its PostgreSQL.
  const lockFile = join(settings.HUB_DATA_DIR, settings.HUB_DEMO === 'national' ? 'national' : '', 'pgdata', 'postmaster.pid');
  cleanups.push(async () => {
    if (done) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      try { process.kill(Number(readFileSync(lockFile, 'utf8').split('\n')[0]), 'SIGKILL'); } catch { /* gone already */ }
    }, 30_000);
    await exited;
    clearTimeout(timer);
  });
  const ready = await line(/is ready in .*: (http\S+)/, readyWithinMs);
  return { child, lines, exited, line, gatewayUrl: /(http\S+)$/.exec(ready)![1] };
}

async function query<T = Record<string, unknown>>(url: string, text: string): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: text }) });
  return response.json() as never;
}

/** Stops a run as Ctrl-C or a service manager would, and gives its exit code. */
async function stop(run: StartRun): Promise<number | null> {
  run.child.kill('SIGTERM');
  return run.exited;
}

const TOPOLOGY = '{ hubTopology { subgraphs { subgraph instances { name regions status } } } }';
type TopologyAnswer = { hubTopology: { subgraphs: { subgraph: string; instances: { name: string; regions: string[]; status: string }[] }[] } };
const instancesOf = (answer: { data?: TopologyAnswer }) => answer.data?.hubTopology.subgraphs.flatMap((s) => s.instances) ?? [];

describe('npm start', () => {
  // Made by the first test that runs, so that a run filtered down to none leaves nothing behind.
  let made: string | undefined;
  const folder = () => made ??= (() => {
    const path = mkdtempSync(join(tmpdir(), 'hub-start-'));
    cleanups.push(() => rmSync(path, { recursive: true, force: true }));
    return path;
  })();
  let settings: Settings;
  let overlayInstance: TestSubgraph;
  let run: StartRun;

  it('keeps an instance added in the overlay across a restart, and exits when stopped', async () => {
    const ports = await freePorts([Region.SL]);
    settings = {
      PORT: String(ports.gateway), HUB_PG_PORT: String(ports.postgres), HUB_PORT_BASE: String(ports.base), HUB_DATA_DIR: folder(),
      HUB_REGIONS: 'SL', HUB_SIGNING_KEY: SIGNING_KEY_PEM, HUB_JWT_SECRET: TEST_JWT_SECRET, HUB_METRICS_TOKEN: TEST_METRICS_TOKEN,
    };
    overlayInstance = await startTestSubgraph(alliancesSubgraph, { regions: [Region.BY] });
    cleanups.push(() => overlayInstance.stop());
    const first = await start(settings);
    const overlay = `${JSON.stringify({ subgraphs: { alliances: [{ name: overlayInstance.instanceName, url: overlayInstance.url, regions: ['BY'] }] } }, null, 2)}\n`;
    writeFileSync(join(folder(), 'topology.local.json'), overlay);
    const added = await waitFor(() => query<TopologyAnswer>(first.gatewayUrl, TOPOLOGY),
      (answer) => instancesOf(answer).some((i) => i.name === 'alliances-by' && i.status === 'UP'), 20_000);
    expect(instancesOf(added).map((i) => i.name)).toEqual(expect.arrayContaining(['alliances-sl', 'alliances-by']));
    // The reload is told once, at info, naming the overlay.
    await first.line(/"msg":"topology loaded .*topology\.local\.json/);
    expect(await stop(first), first.lines.slice(-8).join('\n')).toBe(0);
    expect(first.lines.join('\n')).toMatch(/Stopping…[\s\S]*Stopped\./);

    run = await start(settings);
    const after = await query<TopologyAnswer>(run.gatewayUrl, TOPOLOGY);
    expect(instancesOf(after).find((i) => i.name === 'alliances-by')).toMatchObject({ regions: ['BY'], status: 'UP' });
    expect(readFileSync(join(folder(), 'topology.local.json'), 'utf8')).toBe(overlay);
    expect(readFileSync(join(folder(), 'topology.json'), 'utf8')).not.toContain('alliances-by');
    // Routed there: BY's alliances come from the overlay's instance, SL's from npm start's own.
    const both = await query<{ alliances: { edges: { node: { region: string } }[] } }>(run.gatewayUrl,
      '{ alliances(filter: { regions: [SL, BY] }, first: 100) { edges { node { region } } } }');
    expect(both.errors).toBeUndefined();
    expect(both.data!.alliances.edges.some((e) => e.node.region === 'SL')).toBe(true);
  }, 300_000);

  it('does not log the gateway\'s health probes or count them as operations', async () => {
    // The previous test's requests may still be logging: count from when the log has been quiet for a
    // second (at most 10 s: a log that never goes quiet fails the checks below).
    for (let i = 0, seen = -1; i < 10 && seen !== run.lines.length; i++) {
      seen = run.lines.length;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const probesBefore = run.lines.length;
    // Several probe rounds (every 2 s) with no client at all.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    const idle = run.lines.slice(probesBefore);
    expect(idle.filter((l) => l.includes(INTERNAL_OPERATIONS.healthProbe.operationName))).toEqual([]);
    expect(idle.filter((l) => l.includes('"msg":"graphql'))).toEqual([]);
    // A client's operation is logged at info by the gateway and the instance it reached.
    await query(run.gatewayUrl, 'query CountSaarland { alliances(filter: { regions: [SL] }) { totalCount } }');
    await run.line(/"service":"alliances-sl".*"operation":"CountSaarland__alliances__0".*"msg":"graphql"/);
    await run.line(/"service":"gateway".*"operation":"CountSaarland".*"msg":"graphql"/);

    const base = run.gatewayUrl.replace(/\/graphql$/, '');
    const metrics = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } })).text();
    // A healthy instance is probed with `GET /references` alone: never asked `__typename`.
    expect(metrics).not.toMatch(/^hub_internal_operations_total\{service="alliances-sl",operation="HubHealthProbe"/m);
    expect(metrics).not.toMatch(/^hub_graphql_operations_total\{[^}]*operation="HubHealthProbe"/m);
    expect(metrics).not.toMatch(/^hub_graphql_operations_total\{[^}]*operation="HubSchemaCheck"/m);
    expect(metrics).toMatch(/^hub_graphql_operations_total\{service="alliances-sl",operation="CountSaarland__alliances__0",outcome="ok"\} 1$/m);
    // One process, one set of metrics: on the gateway's port only.
    const instancePort = Number(settings.HUB_PORT_BASE) + REGIONS.indexOf(Region.SL);
    const elsewhere = await fetch(`http://localhost:${instancePort}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } });
    expect(elsewhere.status).toBe(404);
    expect(JSON.stringify(await elsewhere.json())).toContain(`${base}/metrics`);
  }, 60_000);

  it('recovers from a crash whose PostgreSQL lock names a pid now used by another program, in production mode', async () => {
    const lockFile = join(folder(), 'pgdata', 'postmaster.pid');
    const postmaster = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
    // A crash: the process and its server die at once, the lock stays.
    run.child.kill('SIGKILL');
    await run.exited;
    process.kill(postmaster, 'SIGKILL');
    await waitFor(async () => { try { process.kill(postmaster, 0); return true; } catch { return false; } }, (alive) => !alive);
    expect(existsSync(lockFile)).toBe(true);
    // The pid comes back as another program of the server's OS user (as after a reboot): PostgreSQL alone refuses to start.
    const serverUser = process.getuid?.() === 0 ? { uid: Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout), gid: Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout) } : {};
    const squatter = spawn('sleep', ['300'], { stdio: 'ignore', ...serverUser });
    cleanups.push(() => { squatter.kill('SIGKILL'); });
    const lock = readFileSync(lockFile, 'utf8').split('\n');
    writeFileSync(lockFile, [String(squatter.pid), ...lock.slice(1)].join('\n'));

    const recovered = await start({ ...settings, HUB_ENV: 'production' });
    const notice = recovered.lines.find((l) => l.startsWith('Notice: '));
    expect(notice).toMatch(new RegExp(`pid ${squatter.pid} in its lock now belongs to another program .*sleep.*: lock marked stale, recovering`));
    expect(recovered.lines.filter((l) => l.startsWith('Notice: '))).toHaveLength(1);
    // Production rules: no introspection.
    const introspection = await query(recovered.gatewayUrl, '{ __schema { queryType { name } } }');
    expect(introspection.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await query<TopologyAnswer>(recovered.gatewayUrl, TOPOLOGY)).data).toBeDefined();
    expect(await stop(recovered), recovered.lines.slice(-8).join('\n')).toBe(0);
    expect(() => process.kill(squatter.pid!, 0)).not.toThrow();
  }, 300_000);

  it('refuses production mode without its own keys, naming each, and prints its settings for --help', () => {
    const refused = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH, HUB_ENV: 'production', HUB_DATA_DIR: folder() },
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('  - HUB_SIGNING_KEY: required with HUB_ENV=production');
    expect(refused.stderr).toContain('  - HUB_JWT_SECRET: with HUB_ENV=production, set HUB_JWT_SECRET');
    const help = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--help'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(help.status).toBe(0);
    for (const setting of ['PORT', 'HUB_PORT_BASE', 'HUB_DEMO', 'HUB_DEMO_SCALE', 'HUB_DATA_DIR', 'HUB_PG_PORT', 'HUB_ENV', 'HUB_LOG_FORMAT']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${setting} `, 'm'));
    }
    const unknown = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--hepl'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--hepl'");
  }, 120_000);
});

describe('npm start with HUB_DEMO=national', () => {
  it('serves the generated national data set on one instance of each subgraph per region, 17 regions', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'hub-national-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const ports = await freePorts([...REGIONS]);
    // A small scale keeps the test short; the data set is the generator's, only smaller.
    const scale = 0.03;
    const run = await start({
      PORT: String(ports.gateway), HUB_PG_PORT: String(ports.postgres), HUB_PORT_BASE: String(ports.base), HUB_DATA_DIR: folder,
      HUB_DEMO: 'national', HUB_DEMO_SCALE: String(scale),
      HUB_SIGNING_KEY: SIGNING_KEY_PEM, HUB_JWT_SECRET: TEST_JWT_SECRET, HUB_METRICS_TOKEN: TEST_METRICS_TOKEN,
    }, 400_000);
    const expected = countsOf(generateDataset({ seed: 1, scale }));
    // 68 fresh pools of 2 connections on a busy machine may refuse the very first request for load: asked again then.
    const answer = await waitFor(() => query<{
      alliances: { totalCount: number }; projectStatistics: { total: number; byRegion: { region: string; count: number }[] };
      regions: { region: string; owners: { instance: string; status: string }[] }[];
    }>(run.gatewayUrl, `{ alliances { totalCount } projectStatistics { total byRegion { region count } }
      regions { region owners { instance status } } }`), (a) => a.errors === undefined, 30_000);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.alliances.totalCount).toBe(expected.alliance);
    expect(answer.data!.projectStatistics.total).toBe(expected.project);
    expect(answer.data!.projectStatistics.byRegion.map((r) => r.region).sort()).toEqual([...REGIONS].sort());
    const owners = answer.data!.regions.flatMap((r) => r.owners.map((o) => ({ region: r.region, ...o })));
    expect(new Set(owners.map((o) => o.instance)).size).toBe(68);
    expect(owners.every((o) => o.status === 'UP' && o.instance.endsWith(`-${o.region.toLowerCase()}`))).toBe(true);
    // Kept apart from the seed demo: its own topology folder and database names.
    expect(existsSync(join(folder, 'national', 'topology.json'))).toBe(true);
    expect(existsSync(join(folder, 'topology.json'))).toBe(false);
    expect(await stop(run), run.lines.slice(-8).join('\n')).toBe(0);
  }, 600_000);
});
