/**
 * Import and export of real data through the gateway's API (authorization, regional routing and
 * validation all apply):
 *   npm run hub -- import <kind> <file.csv|file.json> [--dry-run] [--region SL] [--url URL] [--token T]
 *   npm run hub -- export <kind> [--region SL[,NW]] [--format csv|json] [--excel] [--out FILE]
 * Kinds: alliances, organizations, memberships, projects, people. The token comes from --token or
 * HUB_TOKEN (`npm run token -- --roles editor:SL`).
 */
import { accessSync, constants, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { CommandError, runCommand, type CommandSpec } from '../subgraphs/kit/cli.js';
import { ApiError, DEFAULT_URL } from './hub/api.js';
import { KINDS, regionOf, type Kind } from './hub/columns.js';
import { exportAsCsv, exportAsJson, runExport } from './hub/export.js';
import { runImport, type ImportOutcome } from './hub/import.js';
import { progressDisplay, type ProgressTask } from './lib/progress.js';

const SPEC: CommandSpec = {
  command: 'npm run hub --',
  summary: 'Imports a CSV or JSON file into the hub, or exports records, through the gateway\'s API with your token: roles, regional routing '
    + 'and validation apply as for single mutations. An import checks every row first and writes only when all are valid.',
  positionals: [
    { name: 'command', description: 'import or export' },
    { name: 'kind', description: KINDS.join(', ') },
    { name: 'file', description: 'import: the file (.csv, or .json: an array of objects)', optional: true },
  ],
  options: {
    'dry-run': { type: 'boolean', description: 'import: check and count only, write nothing' },
    region: { type: 'string', value: 'REGION', description: 'import: the region of rows without one; export: the regions, comma-separated (default: all)' },
    format: { type: 'string', value: 'csv|json', description: 'export: the format (default: json for an --out ending in .json, else csv)' },
    excel: { type: 'boolean', description: 'export: CSV as Excel opens it (; and a BOM)' },
    out: { type: 'string', value: 'FILE', description: 'export: the file to write (default: standard output)' },
    url: { type: 'string', value: 'URL', description: `the gateway's GraphQL URL (default: HUB_URL, else ${DEFAULT_URL})` },
    token: { type: 'string', value: 'JWT', description: 'your token (default: HUB_TOKEN)' },
  },
  settings: {
    HUB_URL: `the gateway's GraphQL URL (default ${DEFAULT_URL})`,
    HUB_TOKEN: 'your token (npm run token -- --roles editor:SL); needed to import, and to export contact details',
  },
  notes: `Examples:
  npm run hub -- import alliances buendnisse.csv --dry-run
  npm run hub -- export alliances --region SL --format csv --out buendnisse-sl.csv
Exit codes: 0 done, 1 invalid lines or a failed call (each line is named as file:line), 2 bad arguments or settings.
Progress goes to stderr: a bar on a terminal, plain lines otherwise.`,
};

/** Progress of the check and import phases on stderr, for files long enough to wait for. */
function importProgress() {
  const display = progressDisplay({ unit: 'rows' });
  let current: { phase: string; task: ProgressTask } | undefined;
  return {
    update(phase: string, done: number, total: number) {
      if (current?.phase !== phase) {
        current?.task.finish();
        current = { phase, task: display.task(phase === 'check' ? 'checking' : 'importing', total) };
      }
      if (done >= total) current.task.finish();
      else current.task.update(done);
    },
    stop: () => display.stop(),
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
    if (!outcome.written.length) console.error(`${outcome.invalidLines ? `${outcome.invalidLines} invalid line(s); ` : ''}nothing written`);
    return;
  }
  const verbs = outcome.dryRun ? ['would create', 'update'] : ['created', 'updated'];
  const line = (c: { created: number; updated: number; unchanged: number }) =>
    `${verbs[0]} ${c.created}, ${verbs[1]} ${c.updated}, unchanged ${c.unchanged}`;
  for (const r of outcome.regions) console.log(`${r.region}: ${line(r)}`);
  console.log(`${outcome.dryRun ? 'Dry run (nothing written)' : 'Imported'}: ${line(outcome.totals)}`
    + `${outcome.invalidLines ? `; ${outcome.invalidLines} invalid line(s)` : ''}`);
}

const COMMANDS = ['import', 'export'];
const IMPORT_ONLY = ['dry-run'];
const EXPORT_ONLY = ['format', 'excel', 'out'];

runCommand(SPEC, async ({ values, positionals, problems }) => {
  const [command, kind, file] = positionals;
  if (command && !COMMANDS.includes(command)) problems.add('command', `"${command}" is not import or export`);
  if (kind && !KINDS.includes(kind as Kind)) problems.add('kind', `"${kind}" is not one of ${KINDS.join(', ')}`);
  const url = problems.check(values.url ? '--url' : 'HUB_URL', z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL'),
    (values.url as string | undefined) ?? process.env.HUB_URL ?? DEFAULT_URL);
  const token = ((values.token as string | undefined) ?? process.env.HUB_TOKEN)?.trim() || undefined;
  if (token && !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) {
    problems.add(values.token ? '--token' : 'HUB_TOKEN', 'is not a token (three base64url parts separated by dots, as npm run token prints)');
  }
  const only = (options: string[], where: string) => {
    for (const name of options) if (values[name] !== undefined && values[name] !== false) problems.add(`--${name}`, `only for ${where}`);
  };
  if (command === 'import') {
    only(EXPORT_ONLY, 'export');
    if (!file) problems.add('file', 'import needs the file to read');
    else {
      try {
        accessSync(file, constants.R_OK);
      } catch {
        problems.add('file', `cannot read ${file}`);
      }
    }
    if (values.region !== undefined && !regionOf(String(values.region))) problems.add('--region', `"${values.region}" is not a region (a state code such as SL or a German state name)`);
    if (!token) problems.add('HUB_TOKEN', 'importing needs a token: set HUB_TOKEN or give --token (npm run token -- --roles editor:SL)');
  }
  let regions: string[] | undefined;
  let format: string | undefined;
  if (command === 'export') {
    only(IMPORT_ONLY, 'import');
    if (file) problems.add('arguments', `export reads no file ("${file}"); write to one with --out`);
    format = (values.format as string | undefined) ?? (String(values.out ?? '').toLowerCase().endsWith('.json') ? 'json' : 'csv');
    if (format !== 'csv' && format !== 'json') problems.add('--format', `"${format}" is not csv or json`);
    if (values.excel && format === 'json') problems.add('--excel', 'only for CSV');
    regions = values.region === undefined ? undefined : String(values.region).split(',').map((r) => r.trim()).filter(Boolean).flatMap((r) => {
      const region = regionOf(r);
      if (!region) problems.add('--region', `"${r}" is not a region (a state code such as SL or a German state name)`);
      return region ? [region] : [];
    });
  }
  problems.stopIfAny();
  const api = { url: url!, token };

  if (command === 'import') {
    const progress = importProgress();
    const outcome = await runImport({
      ...api, kind: kind as Kind, file, dryRun: values['dry-run'] === true, region: values.region as string | undefined,
      onProgress: (phase, done, total) => { if (total > 200) progress.update(phase, done, total); },
    }).finally(() => progress.stop());
    printImport(outcome, file);
    return outcome.ok ? 0 : 1;
  }
  const result = await runExport({ ...api, kind: kind as Kind, regions }).catch((error: Error) => {
    throw error instanceof ApiError ? new CommandError(`Export failed: ${error.message}`) : error;
  });
  const text = format === 'json' ? exportAsJson(result) : exportAsCsv(result, values.excel ? { delimiter: ';', bom: true } : {});
  if (values.out) {
    writeFileSync(String(values.out), text);
    console.error(`Wrote ${result.rows.length} ${kind} to ${values.out}`);
  } else {
    process.stdout.write(text);
  }
  return 0;
});
