/**
 * The guard behind "a failing test turns the test command red": vitest runs, in a child process,
 * each of the suite's projects (same configuration, same PostgreSQL set-up) on a fixture file
 * whose outcome is chosen here, and the exit status must say what happened.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../scripts/lib/paths.js';

type Outcome = 'pass' | 'fail' | 'error';

async function runFixtures(outcome: Outcome, projects: string[]): Promise<{ status: number | null; output: string }> {
  // The child must not think it runs inside this vitest.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'TEST'));
  const args = [join(PROJECT_ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...projects.flatMap((p) => ['--project', p])];
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT, env: { ...env, HUB_TEST_FIXTURES: 'exit-status', HUB_FIXTURE_OUTCOME: outcome, NO_COLOR: '1', CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const status = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { status, output };
}

// Seven vitest runs at once, four of them with a PostgreSQL of their own, beside the suite's other files.
describe.concurrent('the exit status of the test command', { timeout: 120_000 }, () => {
  for (const project of ['unit', 'integration', 'e2e']) {
    it(`is non-zero when a test of the ${project} project fails`, async () => {
      const { status, output } = await runFixtures('fail', [project]);
      expect(output).toMatch(/Tests\s+1 failed/);
      expect(status, output).not.toBe(0);
    });

    it(`is non-zero when a file of the ${project} project errors outside any test`, async () => {
      const { status, output } = await runFixtures('error', [project]);
      expect(output).toContain('fixture throws on purpose');
      expect(status, output).not.toBe(0);
    });
  }

  it('is zero when every test of every project passes (the guard can tell the two apart)', async () => {
    const { status, output } = await runFixtures('pass', ['unit', 'integration', 'e2e']);
    expect(output).toMatch(/Tests\s+3 passed/);
    expect(status, output).toBe(0);
  });
});
