import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stopWithin } from '../scripts/lib/shutdown.js';
import { recoverStaleLock } from '../scripts/lib/postgres-lock.js';
import { TopologyError, readTopologyFile } from '../gateway/regional/topology.js';
import { PROJECT_ROOT } from '../scripts/lib/paths.js';
import { aFewAtATime } from '../scripts/lib/a-few-at-a-time.js';

const SUBGRAPHS = ['alliances', 'networks', 'projects', 'people'];
const folder = mkdtempSync(join(tmpdir(), 'hub-start-unit-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('starting a few at a time', () => {
  it('never runs more than the limit at once, starts the next as one ends, and keeps the order', async () => {
    let running = 0;
    let most = 0;
    const results = await aFewAtATime([30, 5, 20, 1, 10, 2, 8], 3, async (ms) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
      return ms * 2;
    });
    expect(results).toEqual([60, 10, 40, 2, 20, 4, 16]);
    expect(most).toBe(3);
  });

  it('fails with the first failure', async () => {
    await expect(aFewAtATime([1, 2, 3], 2, async (n) => { if (n === 2) throw new Error('no port'); return n; })).rejects.toThrow('no port');
  });
});

describe('stopping within a deadline', () => {
  it('resolves at the deadline when a part never stops, naming it and what came after it', async () => {
    const stopped: string[] = [];
    const part = (name: string, stop: () => Promise<void>) => ({ name, stop: async () => { await stop(); stopped.push(name); } });
    const begun = Date.now();
    const outcome = await stopWithin([
      [part('gateway', async () => undefined)],
      [part('instance alliances-sl', () => new Promise(() => undefined)), part('instance people-sl', async () => undefined)],
      [part('PostgreSQL', async () => undefined)],
    ], 300);
    const took = Date.now() - begun;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(2_000);
    expect(outcome).toMatchObject({ complete: false, pending: ['instance alliances-sl', 'PostgreSQL'], failed: [] });
    expect(stopped).toEqual(['gateway', 'instance people-sl']);
  });

  it('stops stage after stage and reports failures without waiting for the deadline', async () => {
    const order: string[] = [];
    const begun = Date.now();
    const outcome = await stopWithin([
      [{ name: 'a', stop: async () => { await new Promise((r) => setTimeout(r, 50)); order.push('a'); } }],
      [{ name: 'b', stop: async () => { order.push('b'); throw new Error('pool busy'); } }],
    ], 10_000);
    expect(Date.now() - begun).toBeLessThan(2_000);
    expect(order).toEqual(['a', 'b']);
    expect(outcome.complete).toBe(false);
    expect(outcome.pending).toEqual([]);
    expect(outcome.failed.map((f) => [f.name, (f.error as Error).message])).toEqual([['b', 'pool busy']]);
  });
});

describe('the topology overlay', () => {
  const generated = {
    subgraphs: Object.fromEntries(SUBGRAPHS.map((s) => [s, ['SL', 'DE'].map((r) => ({ name: `${s}-${r.toLowerCase()}`, url: `http://localhost:41${r === 'SL' ? '11' : '16'}/graphql`, regions: [r] }))])),
  };
  const files = (overlay: unknown) => {
    const base = join(folder, `topology-${Math.random()}.json`);
    writeFileSync(base, JSON.stringify(generated));
    const local = `${base}.local`;
    if (overlay !== undefined) writeFileSync(local, typeof overlay === 'string' ? overlay : JSON.stringify(overlay));
    return { base, local };
  };

  it('adds instances, replaces one of the same name and takes the regions it lists', () => {
    const { base, local } = files({
      timeoutMs: 3_000,
      subgraphs: {
        alliances: [
          { name: 'alliances-by', url: 'http://by.example/graphql', regions: ['BY'] },
          { name: 'alliances-saar', url: 'http://saar.example/graphql', regions: ['SL'] },
        ],
        people: [{ name: 'people-de', url: 'http://elsewhere.example/graphql', regions: ['DE'] }],
      },
    });
    const topology = readTopologyFile(base, SUBGRAPHS, local);
    expect(topology.subgraphs.get('alliances')!.map((i) => [i.name, i.regions.join()])).toEqual(
      [['alliances-by', 'BY'], ['alliances-saar', 'SL'], ['alliances-de', 'DE']]);
    expect(topology.owners.get('people')!.get('DE' as never)!.url).toBe('http://elsewhere.example/graphql');
    expect(topology.subgraphs.get('networks')!.map((i) => i.name)).toEqual(['networks-sl', 'networks-de']);
    expect(topology.subgraphs.get('alliances')!.every((i) => i.timeoutMs === 3_000)).toBe(true);
  });

  it('is optional, and the merged result is checked like any topology, naming both files', () => {
    const { base, local } = files(undefined);
    expect(readTopologyFile(base, SUBGRAPHS, local).subgraphs.get('alliances')).toHaveLength(2);
    const clash = files({ subgraphs: { alliances: [{ name: 'people-sl', url: 'http://x.example/graphql', regions: ['BY'] }], comments: [{ name: 'c', url: 'http://c.example/graphql', regions: ['SL'] }] } });
    expect(() => readTopologyFile(clash.base, SUBGRAPHS, clash.local)).toThrow(TopologyError);
    expect(() => readTopologyFile(clash.base, SUBGRAPHS, clash.local)).toThrow(
      /with the overlay .*\.local: .*instance name people-sl is used twice.*comments is not a subgraph/);
    const malformed = files('{ "subgraphs": ');
    expect(() => readTopologyFile(malformed.base, SUBGRAPHS, malformed.local)).toThrow(/cannot read .*\.local/);
    const badRegion = files({ subgraphs: { alliances: [{ name: 'a', url: 'http://a.example/graphql', regions: ['XX'] }] } });
    expect(() => readTopologyFile(badRegion.base, SUBGRAPHS, badRegion.local)).toThrow(/overlay subgraphs\.alliances\.0\.regions\.0/);
  });
});

describe('a stale PostgreSQL lock', () => {
  const dataDir = join(folder, 'pgdata');
  mkdirSync(dataDir, { recursive: true });
  const lockFile = join(dataDir, 'postmaster.pid');
  const lock = (pid: number) => writeFileSync(lockFile, `${pid}\n${dataDir}\n1764600000\n54320\n\nlocalhost\n  5432001         0\nready   \n`);

  it('is left to PostgreSQL, with a notice, when its pid is not running', () => {
    const gone = spawn(process.execPath, ['-e', '0']);
    return new Promise<void>((resolve) => gone.once('exit', () => {
      lock(gone.pid!);
      expect(recoverStaleLock(dataDir)).toMatch(new RegExp(`its lock names pid ${gone.pid}, which is not running`));
      expect(readFileSync(lockFile, 'utf8').split('\n')[0]).toBe(String(gone.pid));
      resolve();
    }));
  });

  it('is marked stale when its pid now runs another program, keeping the rest of the file', async () => {
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      lock(other.pid!);
      expect(recoverStaleLock(dataDir)).toMatch(/now belongs to another program \(sleep 30\): lock marked stale/);
      const lines = readFileSync(lockFile, 'utf8').split('\n');
      expect(lines[0]).toBe(String(process.pid));
      expect(lines[6]).toBe('  5432001         0');
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('is never touched when a server runs on the folder', async () => {
    // A process whose command line names the folder, as a running postmaster's does (-D folder).
    const server = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', '--', '-D', dataDir], { stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    try {
      lock(server.pid!);
      expect(() => recoverStaleLock(dataDir)).toThrow(new RegExp(`PostgreSQL \\(pid ${server.pid}\\) is already running on ${dataDir}`));
      expect(readFileSync(lockFile, 'utf8').split('\n')[0]).toBe(String(server.pid));
    } finally {
      server.kill('SIGKILL');
    }
  });
});

describe('log lines', () => {
  const logOnce = "import('./subgraphs/kit/observability.ts').then((m) => m.serviceLogger('alliances-sl').info({ instance: 'x' }, 'hello'))";
  const run = (env: Record<string, string>) => spawnSync(process.execPath, ['--import', 'tsx', '-e', logOnce], {
    cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH, HUB_LOG_LEVEL: 'info', ...env },
  }).stdout.trim();

  it('are JSON when not on a terminal, readable when HUB_LOG_FORMAT=pretty asks, and JSON again when json does', () => {
    expect(JSON.parse(run({}))).toMatchObject({ level: 30, service: 'alliances-sl', instance: 'x', msg: 'hello' });
    expect(run({ HUB_LOG_FORMAT: 'pretty' })).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: alliances-sl: hello \{"instance":"x"\}$/);
    expect(JSON.parse(run({ HUB_LOG_FORMAT: 'json' })).msg).toBe('hello');
  }, 120_000);

  // util-linux's `script` gives the process a terminal, as `npm start` in a shell has.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('are readable and coloured on a terminal', () => {
    const command = `${process.execPath} --import tsx -e "${logOnce.replaceAll('"', '\\"')}"`;
    const output = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH, HUB_LOG_LEVEL: 'info' },
    }).stdout;
    expect(output).toContain('\u001b[32mINFO\u001b[39m');
    expect(output).toMatch(/alliances-sl: hello/);
    expect(output).not.toContain('"level":30');
  }, 120_000);
});
