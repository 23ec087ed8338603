import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { INSTANCE_NAME_PATTERN, readPublicKeys, readSigningKey } from './signing.js';

/** A setting read by `read`, whose error message becomes the setting's problem. */
const keySetting = <T>(read: (text: string) => T) => z.string().transform((text, ctx): T => {
  try {
    return read(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** The gateway's Ed25519 private key (HUB_SIGNING_KEY, PKCS#8 PEM): only the gateway can sign requests to instances. */
export const signingKeySetting = keySetting<KeyObject>(readSigningKey);

/** The gateway's public key(s) an instance trusts (HUB_GATEWAY_PUBLIC_KEYS, SPKI PEM blocks; two during a rotation). */
export const gatewayPublicKeysSetting = keySetting<KeyObject[]>(readPublicKeys);

/** The instance's name in the topology (HUB_INSTANCE_NAME): it accepts only requests the gateway signed for that name. */
export const instanceNameSetting = z.string()
  .regex(INSTANCE_NAME_PATTERN, 'must be the instance\'s name in the topology: 1 to 64 letters, digits, ".", "_" or "-"');

/**
 * The bearer token the metrics scraper sends for `/metrics` (HUB_METRICS_TOKEN); metrics are off
 * without it. It travels in a header, hence the characters of a bearer token only.
 */
export const metricsTokenSetting = z.string()
  .min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)')
  .regex(/^[A-Za-z0-9._~+/=-]+$/, 'may hold only letters, digits and . _ ~ + / = -');

/** Settings the gateway reads for tokens, limits and environment. */
export const gatewaySecuritySettings = z.object({
  HUB_SIGNING_KEY: signingKeySetting,
  HUB_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  HUB_JWT_PUBLIC_KEY: z.string().includes('BEGIN PUBLIC KEY', { message: 'must be an SPKI PEM public key' }).optional(),
  HUB_JWT_JWKS_URL: z.string().url().optional(),
  HUB_JWT_ISSUER: z.string().optional(),
  HUB_JWT_AUDIENCE: z.string().optional(),
  HUB_ENV: z.enum(['development', 'production']).default('development'),
}).refine((s) => s.HUB_JWT_SECRET || s.HUB_JWT_PUBLIC_KEY || s.HUB_JWT_JWKS_URL, {
  message: 'set one of HUB_JWT_SECRET (HS256), HUB_JWT_PUBLIC_KEY or HUB_JWT_JWKS_URL (RS256)', path: ['HUB_JWT_SECRET'],
  // Checked even when another setting is bad, so one run names every problem.
  when: () => true,
});
