/** Something a process stops on its way out, named for the message when it does not. */
export interface Stoppable {
  name: string;
  stop(): Promise<void>;
}

export interface ShutdownOutcome {
  /** Everything stopped, without an error, before the deadline. */
  complete: boolean;
  /** Names of what had not finished stopping at the deadline (those of later stages never began). */
  pending: string[];
  /** What failed to stop, with its error. */
  failed: { name: string; error: unknown }[];
}

/**
 * Stops stage after stage (the parts of one stage together, e.g. gateway, then instances, then
 * the database), but gives it all `deadlineMs`: a stop that never settles must not keep the
 * process alive. Resolves at the latest at the deadline, naming what had not stopped by then.
 */
export async function stopWithin(stages: Stoppable[][], deadlineMs: number): Promise<ShutdownOutcome> {
  const pending = new Set(stages.flat().map((part) => part.name));
  const failed: ShutdownOutcome['failed'] = [];
  const run = async () => {
    for (const stage of stages) {
      await Promise.all(stage.map(async (part) => {
        try {
          await part.stop();
        } catch (error) {
          failed.push({ name: part.name, error });
        }
        pending.delete(part.name);
      }));
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => { timer = setTimeout(() => resolve('deadline'), deadlineMs); });
  try {
    await Promise.race([run(), deadline]);
  } finally {
    clearTimeout(timer);
  }
  return { complete: pending.size === 0 && failed.length === 0, pending: [...pending], failed };
}
