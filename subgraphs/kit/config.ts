import { z } from 'zod';
import { isRegion, type Region } from '../shared/region.js';

export class ConfigError extends Error {}

/** Parses settings once, and names every missing or malformed one in a single message. */
export function readConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  - ${issue.path.join('.') || '(settings)'}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
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
