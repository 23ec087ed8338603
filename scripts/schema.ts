/**
 * Regenerates schema/<subgraph>.graphql and schema/supergraph.graphql from the code.
 *   npm run schema            write the files
 *   npm run schema -- --check exit 1 when the checked-in files are stale
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { composeHub, SCHEMA_DIR } from './lib/supergraph.js';

const check = process.argv.includes('--check');
const { files } = await composeHub();
const stale: string[] = [];
mkdirSync(SCHEMA_DIR, { recursive: true });
for (const [name, text] of Object.entries(files)) {
  const path = join(SCHEMA_DIR, name);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === text) continue;
  stale.push(name);
  if (!check) writeFileSync(path, text);
}
if (check && stale.length) {
  console.error(`Stale schema files (run npm run schema): ${stale.join(', ')}`);
  process.exit(1);
}
console.log(stale.length ? `${check ? 'Stale' : 'Wrote'}: ${stale.join(', ')}` : 'Schema files are up to date');
