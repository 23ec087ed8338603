/**
 * Whether a process with this id runs (any user's: EPERM means it exists). Ids that cannot name
 * a process (not a positive integer) are not alive; callers that must treat an unreadable id as
 * "still busy" check that first.
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
