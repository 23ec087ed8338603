/**
 * The gateway process loads no ORM or schema-building code: what it shares with the subgraphs
 * (regions, ids, cursors, sort keys, signing, routing declarations) lives in modules without it.
 * The gateway's program is started with a probe that lists every module it resolved.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../scripts/lib/paths.js';

/** Packages and project modules that belong to the subgraphs only. */
const SUBGRAPH_ONLY = [
  /\/node_modules\/@mikro-orm\//, /\/node_modules\/type-graphql\//, /\/node_modules\/class-validator\//,
  /\/node_modules\/reflect-metadata\//, /\/subgraphs\/index\.ts$/, /\/subgraphs\/kit\/(index|orm|entity|errors|subgraph)\.ts$/,
  /\/subgraphs\/(alliances|networks|projects|people)\/(entities|resolvers|inputs)\//,
];

function modulesOf(program: string, args: string[]): string[] {
  const out = join(mkdtempSync(join(tmpdir(), 'hub-modules-')), 'modules.json');
  // Without its settings the gateway stops right after loading: every static import is resolved by then.
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', join(PROJECT_ROOT, 'test/fixtures/module-probe.mjs'), program, ...args], {
    cwd: PROJECT_ROOT, env: { PATH: process.env.PATH, HUB_LOG_LEVEL: 'silent', HUB_MODULE_PROBE_OUT: out }, encoding: 'utf8', timeout: 60_000,
  });
  expect(existsSync(out), run.stdout + run.stderr).toBe(true);
  return JSON.parse(readFileSync(out, 'utf8')) as string[];
}

describe('the gateway process', () => {
  it('loads no ORM, type-graphql or subgraph entity code', () => {
    const modules = modulesOf('gateway/main.ts', []);
    expect(modules.some((url) => url.endsWith('/gateway/server.ts'))).toBe(true);
    expect(modules.some((url) => url.endsWith('/gateway/regional/planner.ts'))).toBe(true);
    expect(modules.some((url) => url.endsWith('/subgraphs/shared/routing.ts'))).toBe(true);
    expect(modules.filter((url) => SUBGRAPH_ONLY.some((pattern) => pattern.test(url)))).toEqual([]);
  });

  it('would be caught loading them (a subgraph instance does)', () => {
    const modules = modulesOf('subgraphs/main.ts', ['alliances']);
    expect(modules.filter((url) => SUBGRAPH_ONLY.some((pattern) => pattern.test(url))).length).toBeGreaterThan(0);
  });
});
