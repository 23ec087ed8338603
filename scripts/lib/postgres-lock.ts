import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from './process-alive.js';


/** The command line of a running process, where the system shows it (Linux); undefined elsewhere. */
function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

/**
 * A `postmaster.pid` left by a server that did not stop (its process killed, the machine
 * restarted). PostgreSQL takes over such a lock itself when the pid it names is not running, but
 * refuses to start ("lock file already exists") when that pid is in use again by a process it
 * may signal — any other process of its OS user. Then the lock's pid is replaced by this
 * process's, which PostgreSQL knows to be its parent and so not a server; the rest of the file
 * stays, so PostgreSQL still checks that no process of the old server holds its shared memory.
 * Returns a notice of what it found. A server running on the folder is never touched: that throws.
 */
export function recoverStaleLock(databaseDir: string): string | undefined {
  const lockFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return undefined;
  const lines = readFileSync(lockFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  if (!processAlive(pid)) {
    return `PostgreSQL did not stop last time (its lock names pid ${lines[0]}, which is not running): recovering`;
  }
  const command = commandLineOf(pid);
  // The server's own command line names its data folder (-D); where it cannot be read, assume it is the server.
  if (command === undefined || command.includes(databaseDir)) {
    throw new Error(`PostgreSQL (pid ${pid}) is already running on ${databaseDir}: another npm start? Stop it first, `
      + 'or give this one its own data folder and port (HUB_DATA_DIR, HUB_PG_PORT)');
  }
  writeFileSync(lockFile, [String(process.pid), ...lines.slice(1)].join('\n'));
  return `PostgreSQL did not stop last time, and the pid ${pid} in its lock now belongs to another program `
    + `(${command.trim().slice(0, 60)}): lock marked stale, recovering`;
}
