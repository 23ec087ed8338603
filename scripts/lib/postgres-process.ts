import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths.js';

export interface PostgresProcess {
  /** `postgres://user:password@localhost:port/` — append a database name. */
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts `postgres-server.ts` (an embedded PostgreSQL on a free port) as a child process and
 * waits for its URL. The child stops its server when this process ends, however it ends.
 */
export function startPostgresProcess(name: string): Promise<PostgresProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts/lib/postgres-server.ts'), name], {
    cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve({
        baseUrl: (JSON.parse(line) as { baseUrl: string }).baseUrl,
        stop: async () => {
          child.stdin.end();
          await exited;
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL did not start (exit ${code}):\n${stderr.join('').slice(-4000)}`)));
  });
}
