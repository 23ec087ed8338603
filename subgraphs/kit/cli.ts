/**
 * The shape every command-line entry point shares: `--help`, arguments and settings checked all
 * at once (one message naming every problem), and a short message instead of a stack trace when
 * something goes wrong. ORM-free, so the gateway and the scripts use it as well as the subgraphs.
 */
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { ConfigError, settingProblems } from './config.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** What the option does, one line; a default is added from `default`. */
  description: string;
  /** The value's name in the help, e.g. FILE. */
  value?: string;
  short?: string;
  default?: string | boolean;
}

export interface PositionalSpec {
  name: string;
  description: string;
  optional?: boolean;
}

export interface CommandSpec {
  /** How it is run, e.g. `npm run token --`. */
  command: string;
  /** What it does, a sentence or two. */
  summary: string;
  positionals?: PositionalSpec[];
  /** More positionals allowed after the listed ones (e.g. several files). */
  morePositionals?: boolean;
  options?: Record<string, OptionSpec>;
  /** The settings (environment variables) it reads, with what each does and its default. */
  settings?: Record<string, string>;
  /** Further lines for the help: examples, limits. */
  notes?: string;
}

export type ArgValues = Record<string, string | boolean | undefined>;

/** Problems with the arguments and settings of one run, reported together. */
export class Problems {
  readonly list: string[] = [];

  add(subject: string, message: string): void {
    this.list.push(`${subject}: ${message}`);
  }

  /** Checks a value (an argument) with a zod schema; every issue becomes a problem of `subject`. */
  check<S extends z.ZodType>(subject: string, schema: S, value: unknown): z.infer<S> | undefined {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) this.add(subject, issue.message);
    return undefined;
  }

  /** Reads settings with a zod object schema; every bad or missing one becomes a problem. */
  settings<S extends z.ZodType>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> | undefined {
    const { data, problems } = settingProblems(schema, env);
    for (const [name, message] of problems) this.add(name, message);
    return data;
  }

  /** Stops the run with every problem found so far (exit code 2), if there is any. */
  stopIfAny(): void {
    if (this.list.length) throw new UsageError(this.list);
  }
}

/** Bad arguments or settings: reported as a list, exit code 2. */
export class UsageError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** A failure the user can act on, shown as its message only (exit code 1). */
export class CommandError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** The help text: usage, summary, options and settings. */
export function helpText(spec: CommandSpec): string {
  const positionals = (spec.positionals ?? []).map((p) => (p.optional ? `[${p.name}]` : `<${p.name}>`));
  if (spec.morePositionals) positionals.push('…');
  const options = Object.entries({ ...spec.options, help: { type: 'boolean', short: 'h', description: 'this help' } as OptionSpec });
  const table = (rows: [string, string][]) => {
    const width = Math.min(30, Math.max(...rows.map(([left]) => left.length)));
    return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`).join('\n');
  };
  const optionRows = options.map(([name, option]): [string, string] => [
    `${option.short ? `-${option.short}, ` : ''}--${name}${option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : ''}`,
    `${option.description}${typeof option.default === 'string' && option.default ? ` (default: ${option.default})` : ''}`,
  ]);
  const sections = [
    `Usage: ${spec.command} ${[...positionals, '[options]'].join(' ')}`.replace(/\s+$/, ''),
    '', spec.summary,
  ];
  if (spec.positionals?.length) sections.push('', 'Arguments:', table(spec.positionals.map((p) => [p.name, p.description])));
  sections.push('', 'Options:', table(optionRows));
  if (spec.settings && Object.keys(spec.settings).length) sections.push('', 'Settings (environment variables):', table(Object.entries(spec.settings)));
  if (spec.notes) sections.push('', spec.notes.trim());
  return `${sections.join('\n')}\n`;
}

/**
 * Reads the command line without stopping at the first problem: unknown options, options without
 * their value, values given to switches, missing and surplus arguments all become problems.
 */
export function parseCommandLine(spec: CommandSpec, argv: string[], problems: Problems): { values: ArgValues; positionals: string[]; help: boolean } {
  const options: Record<string, OptionSpec> = { ...spec.options, help: { type: 'boolean', short: 'h', description: '' } };
  const config = Object.fromEntries(Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]));
  const { tokens } = parseArgs({ args: argv, options: config, strict: false, allowPositionals: true, tokens: true });
  const values: ArgValues = Object.fromEntries(Object.entries(options).map(([name, o]) => [name, o.default]));
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    if (!option) {
      problems.add(token.rawName, `unknown option (see --help)`);
    } else if (option.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))) {
      // `--subject --bogus` is a forgotten value, not the value "--bogus" (write --subject=--bogus for that).
      problems.add(token.rawName, `needs a value${option.value ? ` (${option.value})` : ''}`);
      if (token.value !== undefined) problems.add(token.value.split('=')[0], options[token.value.replace(/^-+/, '').split('=')[0]] ? 'given where a value was expected' : 'unknown option (see --help)');
    } else if (option.type === 'boolean' && token.value !== undefined) {
      problems.add(token.rawName, 'takes no value');
    } else {
      values[token.name] = option.type === 'boolean' ? true : token.value;
    }
  }
  const help = values.help === true;
  const listed = spec.positionals ?? [];
  if (!help) {
    for (const missing of listed.slice(positionals.length).filter((p) => !p.optional)) problems.add(missing.name, `missing (${missing.description})`);
    if (!spec.morePositionals && positionals.length > listed.length) {
      problems.add('arguments', `unexpected ${positionals.slice(listed.length).map((p) => `"${p}"`).join(', ')}`);
    }
  }
  return { values, positionals, help };
}

export interface CommandInput {
  values: ArgValues;
  positionals: string[];
  problems: Problems;
}

/**
 * Runs an entry point: `--help` prints the help; `body` checks what it needs (adding problems)
 * and calls `problems.stopIfAny()` before it starts work. Returning a number exits with it;
 * returning nothing leaves the process running (servers). Errors end the run with a short message:
 * bad arguments or settings with exit code 2, anything else with 1; the stack trace only with
 * HUB_LOG_LEVEL=debug or trace.
 */
export function runCommand(spec: CommandSpec, body: (input: CommandInput) => Promise<number | void> | number | void): void {
  const problems = new Problems();
  const run = async () => {
    const { values, positionals, help } = parseCommandLine(spec, process.argv.slice(2), problems);
    if (help) {
      process.stdout.write(helpText(spec));
      return 0;
    }
    const code = await body({ values, positionals, problems });
    problems.stopIfAny();
    return code;
  };
  run().then((code) => {
    if (typeof code === 'number') process.exit(code);
  }, (error: unknown) => {
    process.stderr.write(`${failureMessage(spec, error)}\n`);
    process.exit(exitCodeOf(error));
  });
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConfigError) return 2;
  if (error instanceof CommandError) return error.exitCode;
  return 1;
}

/** What a failed run prints: the problems, or the error's message (its stack only when debugging). */
export function failureMessage(spec: Pick<CommandSpec, 'command'>, error: unknown): string {
  const help = `See ${spec.command} --help`;
  if (error instanceof UsageError || error instanceof ConfigError) return `${error.message}\n${help}`;
  if (error instanceof CommandError) return error.message;
  const debug = ['debug', 'trace'].includes(process.env.HUB_LOG_LEVEL ?? '');
  if (!(error instanceof Error)) return `Failed: ${String(error)}`;
  if (debug) return error.stack ?? error.message;
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `Failed: ${error.message}${cause}\n(HUB_LOG_LEVEL=debug shows where)`;
}
