import { z } from 'zod';

/** The shared secret between gateway and subgraphs: long enough that it cannot be guessed. */
export const internalSecretSetting = z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)');

/**
 * The bearer token the metrics scraper sends for `/metrics` (HUB_METRICS_TOKEN); metrics are off
 * without it. It travels in a header, hence the characters of a bearer token only.
 */
export const metricsTokenSetting = z.string()
  .min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)')
  .regex(/^[A-Za-z0-9._~+/=-]+$/, 'may hold only letters, digits and . _ ~ + / = -');

/** Settings the gateway reads for tokens, limits and environment. */
export const gatewaySecuritySettings = z.object({
  HUB_INTERNAL_SECRET: internalSecretSetting,
  HUB_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  HUB_JWT_PUBLIC_KEY: z.string().includes('BEGIN PUBLIC KEY', { message: 'must be an SPKI PEM public key' }).optional(),
  HUB_JWT_JWKS_URL: z.string().url().optional(),
  HUB_JWT_ISSUER: z.string().optional(),
  HUB_JWT_AUDIENCE: z.string().optional(),
  HUB_ENV: z.enum(['development', 'production']).default('development'),
}).refine((s) => s.HUB_JWT_SECRET || s.HUB_JWT_PUBLIC_KEY || s.HUB_JWT_JWKS_URL, {
  message: 'set one of HUB_JWT_SECRET (HS256), HUB_JWT_PUBLIC_KEY or HUB_JWT_JWKS_URL (RS256)', path: ['HUB_JWT_SECRET'],
});
