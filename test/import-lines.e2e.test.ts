/**
 * `npm run hub -- import` names every refused row by the line an editor shows (from 1, the CSV
 * header being line 1), in CSV and JSON, FORBIDDEN rows included, and counts lines, not errors.
 * Run as the user runs it, against a regional hub over HTTP.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Region } from '../subgraphs/kit/index.js';
import { PROJECT_ROOT } from '../scripts/lib/paths.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { tokenFor } from './support/security.js';

let hub: TestHub;
let editorSL: string;
const dir = mkdtempSync(join(tmpdir(), 'hub-import-lines-'));

beforeAll(async () => {
  hub = await startTestHub({ seed: true, regions: [['SL'], ['NW']] as Region[][] });
  editorSL = await tokenFor('jana@saarland.example', ['editor:SL']);
}, 120_000);
afterAll(async () => { await hub?.stop(); });

function hubCli(args: string[], token: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Piped, as in a log or CI job: stderr is no terminal.
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/hub.ts', ...args, '--url', hub.gateway.url], {
      cwd: PROJECT_ROOT, env: { PATH: process.env.PATH, HUB_LOG_LEVEL: 'silent', HUB_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** `file:line: column: message` lines of stderr as [line, column]. */
const refusals = (stderr: string, path: string) => stderr.split('\n').filter((l) => l.startsWith(`${path}:`))
  .map((l) => l.slice(path.length + 1).split(': ').slice(0, 2)).map(([line, column]) => [Number(line), column]);

const allianceCount = async (region: string) =>
  (await hub.query('query($r: [Region!]) { alliances(filter: { regions: $r }) { totalCount } }', { r: [region] })).data.alliances.totalCount as number;

describe('import line numbers', () => {
  it('CSV: the header is line 1, a quoted line break moves the rest down, and lines with several problems count once', async () => {
    const path = file('lines.csv', [
      'region,name,goals,foundedOn,website', //                              line 1
      'SL,Bündnis Gut,,2010,', //                                            line 2
      'SL,Bündnis Zwei Fehler,,irgendwann,www.ohne-schema.de', //            line 3: two problems
      'SL,Bündnis Mehrzeilig,"Ziele über', //                                line 4 …
      'zwei Zeilen",nie,', //                                                … line 5
      '', //                                                                 line 6, blank
      'XX,Bündnis Fremde Region,,,', //                                      line 7
      'SL,,,2011,', //                                                       line 8: no name
    ].join('\n'));
    const before = await allianceCount('SL');
    const { status, stdout, stderr } = await hubCli(['import', 'alliances', path], editorSL);
    expect(status, stderr).toBe(1);
    expect(refusals(stderr, path)).toEqual([[3, 'foundedOn'], [3, 'website'], [4, 'foundedOn'], [7, 'region'], [8, 'name']]);
    expect(stderr).toContain('4 invalid line(s); nothing written');
    expect(stdout).toBe('');
    expect(await allianceCount('SL')).toBe(before);

    const dry = await hubCli(['import', 'alliances', path, '--dry-run'], editorSL);
    expect(dry.stdout).toMatch(/Dry run \(nothing written\): would create 0, update 0, unchanged 0; 4 invalid line\(s\)/);
  });

  it('JSON: each entry by the line it starts on, from 1, and a syntax error by its line', async () => {
    const entries = [
      { region: 'SL', name: 'JSON Gut', foundedOn: '2012' },
      { region: 'SL', name: 'JSON Falsch', foundedOn: 'nie', website: 'ohne-schema' },
      { region: 'SL', name: { verschachtelt: true } },
    ];
    const path = file('lines.json', JSON.stringify(entries, null, 2));
    // Entry 1 starts on line 2, entry 2 on line 7, entry 3 on line 13.
    const { status, stderr } = await hubCli(['import', 'alliances', path, '--dry-run'], editorSL);
    expect(status, stderr).toBe(1);
    expect(refusals(stderr, path)).toEqual([[7, 'foundedOn'], [7, 'website'], [13, 'name']]);
    expect(stderr).not.toMatch(new RegExp(`${path}:0:`));

    const broken = file('broken.json', '[\n  { "name": "A" },\n  { "name": "B" "region": "SL" }\n]\n');
    const syntax = await hubCli(['import', 'alliances', broken, '--region', 'SL'], editorSL);
    expect(syntax.status).toBe(1);
    expect(syntax.stderr).toContain(`${broken}:3: not valid JSON: expected "," or "}" in an object, found """`);
    expect(syntax.stderr).toContain('1 invalid line(s); nothing written');
  });

  it('FORBIDDEN: every row of a region the token may not write is named by its line, and the other regions are still checked', async () => {
    const path = file('forbidden.csv', [
      'Bundesland;Bündnis;Gegründet',
      'SL;Bündnis Saar Erlaubt;2010',
      'NW;Bündnis Ruhr Eins;2011',
      'SL;Bündnis Saar Falsch;irgendwann',
      'NRW;Bündnis Ruhr Zwei;2012',
    ].join('\r\n'));
    const before = { SL: await allianceCount('SL'), NW: await allianceCount('NW') };
    const { status, stderr } = await hubCli(['import', 'alliances', path], editorSL);
    expect(status, stderr).toBe(1);
    expect(refusals(stderr, path)).toEqual([[3, 'Bundesland'], [4, 'Gegründet'], [5, 'Bundesland']]);
    expect(stderr).toContain(`${path}:3: Bundesland: NW: jana@saarland.example may not write data of region NW (FORBIDDEN)`);
    expect(stderr).toContain('3 invalid line(s); nothing written');
    expect({ SL: await allianceCount('SL'), NW: await allianceCount('NW') }).toEqual(before);
  });

  it('piped, progress comes as plain lines without placeholders', async () => {
    const rows = Array.from({ length: 260 }, (_, i) => `SL;Fortschritt Organisation ${i + 1};Unternehmen`);
    const path = file('progress.csv', ['Region;Organisation;Art', ...rows].join('\n'));
    const { status, stdout, stderr } = await hubCli(['import', 'organizations', path, '--dry-run'], editorSL);
    expect(status, stderr).toBe(0);
    expect(stdout).toContain('Dry run (nothing written): would create 260, update 0, unchanged 0');
    const progress = stderr.split('\n').filter((line) => line.startsWith('checking: '));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe('checking: 260/260 rows (done)');
    expect(stderr).not.toMatch(/[{}█░]/);
  });
});
