/**
 * Import and export of real data through the gateway's API (authorization, regional routing and
 * validation all apply):
 *   npm run hub -- import <kind> <file.csv|file.json> [--dry-run] [--region SL] [--url URL] [--token T]
 *   npm run hub -- export <kind> [--region SL[,NW]] [--format csv|json] [--excel] [--out FILE]
 * Kinds: alliances, organizations, memberships, projects, people. The token comes from --token or
 * HUB_TOKEN (`npm run token -- --roles editor:SL`).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { DEFAULT_URL } from './hub/api.js';
import { KINDS, regionOf, type Kind } from './hub/columns.js';
import { exportAsCsv, exportAsJson, runExport } from './hub/export.js';
import { runImport, type ImportOutcome } from './hub/import.js';

const USAGE = `Usage:
  npm run hub -- import <${KINDS.join('|')}> <file.csv|file.json> [--dry-run] [--region SL]
  npm run hub -- export <${KINDS.join('|')}> [--region SL[,NW…]] [--format csv|json] [--excel] [--out file]
Options: --url (default ${DEFAULT_URL}), --token (default: env HUB_TOKEN)`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** A progress bar on stderr for long files on a terminal. */
function progressBar(enabled: boolean) {
  if (!enabled) return undefined;
  const bar = new cliProgress.SingleBar({
    stream: process.stderr, format: '{phase} [{bar}] {value}/{total} rows', hideCursor: true, clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  let started = '';
  return {
    update(phase: string, done: number, total: number) {
      if (started !== phase) {
        if (started) bar.stop();
        bar.start(total, 0, { phase: phase === 'check' ? 'checking' : 'importing' });
        started = phase;
      }
      bar.update(done);
    },
    stop: () => { if (started) bar.stop(); },
  };
}

function printImport(outcome: ImportOutcome, file: string): void {
  if (outcome.ignoredColumns.length) console.error(`Ignored columns: ${outcome.ignoredColumns.join(', ')}`);
  if (outcome.repeatedLines.length) console.error(`Repeated rows counted once: lines ${outcome.repeatedLines.join(', ')}`);
  for (const error of outcome.errors) {
    console.error(`${file}:${error.line}: ${error.column ? `${error.column}: ` : ''}${error.message}`);
  }
  if (outcome.failure) console.error(`Failed: ${outcome.failure}`);
  if (outcome.written.length && !outcome.ok) {
    console.error(`Regions already imported: ${outcome.written.join(', ')}. Import is idempotent: run the same command again once the problem is solved.`);
  }
  if (!outcome.dryRun && !outcome.ok) {
    if (!outcome.written.length) console.error(`${outcome.errors.length ? `${outcome.errors.length} invalid line(s); ` : ''}nothing written`);
    return;
  }
  const verbs = outcome.dryRun ? ['would create', 'update'] : ['created', 'updated'];
  const line = (c: { created: number; updated: number; unchanged: number }) =>
    `${verbs[0]} ${c.created}, ${verbs[1]} ${c.updated}, unchanged ${c.unchanged}`;
  for (const r of outcome.regions) console.log(`${r.region}: ${line(r)}`);
  console.log(`${outcome.dryRun ? 'Dry run (nothing written)' : 'Imported'}: ${line(outcome.totals)}`
    + `${outcome.errors.length ? `; ${outcome.errors.length} invalid line(s)` : ''}`);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      region: { type: 'string' },
      url: { type: 'string', default: process.env.HUB_URL ?? DEFAULT_URL },
      token: { type: 'string', default: process.env.HUB_TOKEN },
      format: { type: 'string' },
      excel: { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, kind, file] = positionals;
  if (values.help || !command) return console.log(USAGE), 0;
  if (!KINDS.includes(kind as Kind)) fail(`Unknown kind "${kind ?? ''}".\n${USAGE}`);
  const api = { url: values.url!, token: values.token };

  if (command === 'import') {
    if (!file) fail(`import needs a file.\n${USAGE}`);
    const bar = progressBar(!!process.stderr.isTTY);
    const outcome = await runImport({
      ...api, kind: kind as Kind, file, dryRun: values['dry-run'], region: values.region,
      onProgress: (phase, done, total) => { if (total > 200) bar?.update(phase, done, total); },
    });
    bar?.stop();
    printImport(outcome, file);
    return outcome.ok ? 0 : 1;
  }
  if (command === 'export') {
    const format = values.format ?? (values.out?.toLowerCase().endsWith('.json') ? 'json' : 'csv');
    if (format !== 'csv' && format !== 'json') fail('--format is csv or json');
    const regions = values.region?.split(',').filter((r) => r.trim()).map((r) => regionOf(r) ?? fail(`Unknown region "${r}"`));
    const result = await runExport({ ...api, kind: kind as Kind, regions });
    const text = format === 'json' ? exportAsJson(result) : exportAsCsv(result, values.excel ? { delimiter: ';', bom: true } : {});
    if (values.out) {
      writeFileSync(values.out, text);
      console.error(`Wrote ${result.rows.length} ${kind} to ${values.out}`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  }
  return fail(`Unknown command "${command}".\n${USAGE}`);
}

main().then((code) => process.exit(code), (error: Error) => {
  console.error(error.message);
  process.exit(1);
});
