import { z } from 'zod';
import { isRegion, type Region } from '../shared/region.js';

export class ConfigError extends Error {}

/** Parses settings, returning the settings or every missing or malformed one as [name, problem]. */
export function settingProblems<S extends z.ZodType>(
  schema: S, env: Record<string, string | undefined> = process.env,
): { data?: z.infer<S>; problems: [string, string][] } {
  const result = schema.safeParse(env);
  if (result.success) return { data: result.data, problems: [] };
  return { problems: result.error.issues.map((issue) => [issue.path.join('.') || '(settings)', plainMessage(issue)]) };
}

/** zod's messages, where they speak of types, in the words of settings. */
function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'invalid_type') return issue.message;
  if (/received undefined$/.test(issue.message)) return 'missing (required)';
  return issue.expected === 'number' ? 'must be a number' : issue.message;
}

/** Parses settings once, and names every missing or malformed one in a single message. */
export function readConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> {
  const { data, problems } = settingProblems(schema, env);
  if (!problems.length) return data as z.infer<S>;
  throw new ConfigError(`Invalid configuration:\n${problems.map(([name, message]) => `  - ${name}: ${message}`).join('\n')}`);
}

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
/** A comma-separated list of region codes, e.g. "SL,ST"; every unknown code is named. */
export const regionList = z.string().transform((text, ctx) => {
  const regions = text.split(',').map((r) => r.trim().toUpperCase()).filter(Boolean);
  const unknown = regions.filter((r) => !isRegion(r));
  if (unknown.length || regions.length === 0) {
    ctx.addIssue({ code: 'custom', message: `unknown regions: ${unknown.join(', ') || '(none given)'}` });
  }
  return regions as Region[];
});

export const postgresUrl = z.string().regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// URL');
