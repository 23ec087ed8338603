/**
 * Progress of long runs on stderr: bars on a terminal, plain lines otherwise (a log file or a CI
 * job gets `alliances: 3114/20000 rows (hub_alliances_sl)` every tenth of the way, never a bar
 * or a template).
 */
import cliProgress from 'cli-progress';

export interface ProgressTask {
  /** `done` of the task's total; `detail` says what is being worked on. */
  update(done: number, detail?: string): void;
  /** Marks the task complete. */
  finish(detail?: string): void;
}

export interface ProgressDisplay {
  task(name: string, total: number): ProgressTask;
  stop(): void;
}

export interface ProgressOptions {
  /** What is counted, e.g. "rows". */
  unit: string;
  stream?: NodeJS.WriteStream;
  /** Bars (true) or lines (false); by default bars exactly when the stream is a terminal. */
  bars?: boolean;
}

export function progressDisplay(options: ProgressOptions): ProgressDisplay {
  const stream = options.stream ?? process.stderr;
  const bars = options.bars ?? stream.isTTY === true;
  return bars ? barDisplay(stream, options.unit) : lineDisplay(stream, options.unit);
}

function barDisplay(stream: NodeJS.WriteStream, unit: string): ProgressDisplay {
  const multi = new cliProgress.MultiBar({
    stream, format: `{name} |{bar}| {value}/{total} ${unit} {detail}`, hideCursor: true, clearOnComplete: false,
  }, cliProgress.Presets.shades_classic);
  const names: string[] = [];
  return {
    task(name, total) {
      names.push(name);
      const bar = multi.create(total, 0, { name, detail: '' });
      return {
        update: (done, detail) => bar.update(done, { name, detail: detail ?? '' }),
        finish: (detail) => bar.update(total, { name, detail: detail ?? 'done' }),
      };
    },
    stop: () => multi.stop(),
  };
}

function lineDisplay(stream: NodeJS.WriteStream, unit: string): ProgressDisplay {
  return {
    task(name, total) {
      let reported = -1;
      const write = (done: number, detail?: string) => stream.write(`${name}: ${done}/${total} ${unit}${detail ? ` (${detail})` : ''}\n`);
      return {
        update(done, detail) {
          // One line per tenth of the way: enough to see it move, little enough for a log.
          const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
          if (tenth > reported && done < total) {
            reported = tenth;
            write(done, detail);
          }
        },
        finish(detail) {
          write(total, detail ?? 'done');
          reported = 10;
        },
      };
    },
    stop: () => undefined,
  };
}
