import { readFileSync, readdirSync } from 'node:fs';

/**
 * The CPU time PostgreSQL's processes have used so far, read from Linux's /proc: the postmaster's
 * own, that of the backends it has reaped (its children's totals, kept by the kernel) and that of
 * its children still running. The difference between two readings is all the server's CPU in
 * between, including backends that started and ended there. Undefined where /proc is missing.
 */
export function postgresCpuMicros(postmasterPid: number): number | undefined {
  const postmaster = statOf(String(postmasterPid));
  if (!postmaster) return undefined;
  let ticks = postmaster.utime + postmaster.stime + postmaster.cutime + postmaster.cstime;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(entry);
    if (stat?.ppid === postmasterPid) ticks += stat.utime + stat.stime;
  }
  return ticks * MICROS_PER_TICK;
}

/** Linux reports process times in USER_HZ, 100 per second on every architecture Node runs on. */
const MICROS_PER_TICK = 10_000;

interface ProcessStat { ppid: number; utime: number; stime: number; cutime: number; cstime: number }

function statOf(pid: string): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // Ended since the directory was read, or no /proc at all.
    return undefined;
  }
  // The command name may hold spaces and parentheses: the fields start after its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const at = (field: number) => Number(fields[field - 3]);
  return { ppid: at(4), utime: at(14), stime: at(15), cutime: at(16), cstime: at(17) };
}

/** The parent of a process (a backend's is the postmaster), or undefined where /proc is missing. */
export function parentOf(pid: number): number | undefined {
  return statOf(String(pid))?.ppid;
}
