/**
 * The national demo of `npm start` (HUB_DEMO=national): the benchmarks' generated data set (every
 * state and DE, scripts/bench/generate.ts) in databases of its own, `national_<subgraph>_<region>`,
 * loaded once and kept. Each database is marked with the seed and scale it holds, so a later start
 * serves it as it is, and a start with another scale loads it anew.
 */
import pg from 'pg';
import { REGIONS, type Region } from '../../subgraphs/shared/region.js';
import type { SubgraphName } from '../../subgraphs/kit/subgraph.js';

/** Database prefix of the national demo; the seed demo's is `hub`. */
export const NATIONAL_PREFIX = 'national';
/** The generator's seed: the same data on every machine. */
export const NATIONAL_SEED = 1;

export const nationalDatabase = (subgraph: SubgraphName, region: Region) => `${NATIONAL_PREFIX}_${subgraph}_${region.toLowerCase()}`;

const markOf = (scale: number) => `buendnis-hub national demo: seed ${NATIONAL_SEED}, scale ${scale}`;

/**
 * The national demo's databases that are missing or hold another scale than asked, and those of
 * its names that exist without any mark of this project's loaders: someone else's, never dropped.
 */
async function survey(serverUrl: string, subgraphs: SubgraphName[], scale: number): Promise<{ absent: string[]; foreign: string[] }> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string; mark: string | null }>(
      `select datname, shobj_description(oid, 'pg_database') as mark from pg_database where datname like $1`, [`${NATIONAL_PREFIX}\\_%`]);
    const marks = new Map(rows.map((row) => [row.datname, row.mark]));
    const names = subgraphs.flatMap((subgraph) => REGIONS.map((region) => nationalDatabase(subgraph, region)));
    return {
      absent: names.filter((name) => marks.get(name) !== markOf(scale)),
      foreign: names.filter((name) => marks.has(name) && !marks.get(name)?.startsWith('buendnis-hub ')),
    };
  } finally {
    await client.end();
  }
}

/**
 * Makes sure the national data set of `scale` is loaded on the server (a URL of its `postgres`
 * database, whose user may create databases); generates and loads it when not. Returns whether it loaded.
 */
export async function ensureNationalDemo(
  serverUrl: string, subgraphs: SubgraphName[], scale: number, tell: (line: string) => void,
): Promise<boolean> {
  const { absent, foreign } = await survey(serverUrl, subgraphs, scale);
  if (absent.length === 0) return false;
  if (foreign.length) {
    throw new Error(`The national demo would replace ${foreign.length} database(s) that it did not make: ${foreign.join(', ')}. `
      + 'They are left as they are: drop them yourself, or use another server (HUB_DATABASE_URL, HUB_DATA_DIR).');
  }
  // The generator (faker and all) is loaded only when there is something to generate.
  const { countsOf, generateDataset, loadDataset } = await import('../bench/generate.js');
  const started = Date.now();
  const dataset = generateDataset({ seed: NATIONAL_SEED, scale });
  const counts = countsOf(dataset);
  tell(`National demo: loading ${counts.alliance} alliances, ${counts.organization} organisations, ${counts.membership} memberships, `
    + `${counts.project} projects, ${counts.person} people into ${subgraphs.length * REGIONS.length} databases (once; kept for later starts)…`);
  await loadDataset(dataset, { serverUrl, layouts: ['regional'], prefix: NATIONAL_PREFIX, progress: process.stdout.isTTY === true });
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    // Marked last: a load cut short is loaded again at the next start.
    for (const subgraph of subgraphs) {
      for (const region of REGIONS) await client.query(`comment on database "${nationalDatabase(subgraph, region)}" is '${markOf(scale)}'`);
    }
    // Written out now rather than by the shutdown checkpoint, which would make the first Ctrl-C slow
    // (a user without the right to checkpoint leaves it to the server's own schedule).
    await client.query('checkpoint').catch(() => undefined);
  } finally {
    await client.end();
  }
  tell(`National demo: loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}
