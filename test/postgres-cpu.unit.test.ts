/**
 * The bench's PostgreSQL CPU column reads a process tree from /proc: the parent's own time, that
 * of its children still running and that of those already ended. Checked on this test's own
 * process as the parent, with children that burn a known amount of CPU.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parentOf, postgresCpuMicros } from '../scripts/bench/postgres-cpu.js';

const BURN_MS = 400;
const burner = (ms: number) => spawn(process.execPath, ['-e', `const end = Date.now() + ${ms}; while (Date.now() < end);`]);

describe.runIf(existsSync('/proc/self/stat'))('CPU of a process tree from /proc', () => {
  it('counts children that ended (reaped) and children still running, besides the parent itself', async () => {
    const before = postgresCpuMicros(process.pid)!;
    const ended = burner(BURN_MS);
    await once(ended, 'exit');
    const afterEnded = postgresCpuMicros(process.pid)!;
    expect(afterEnded - before).toBeGreaterThanOrEqual(0.75 * BURN_MS * 1000);

    const running = burner(3 * BURN_MS);
    await new Promise((resolve) => setTimeout(resolve, 2 * BURN_MS));
    const whileRunning = postgresCpuMicros(process.pid)!;
    expect(whileRunning - afterEnded).toBeGreaterThanOrEqual(0.75 * BURN_MS * 1000);
    running.kill();
    await once(running, 'exit');
  });

  it('finds a process\'s parent, and nothing for a process that does not exist', () => {
    expect(parentOf(process.pid)).toBe(process.ppid);
    expect(postgresCpuMicros(2 ** 22 + 1)).toBeUndefined();
  });
});
