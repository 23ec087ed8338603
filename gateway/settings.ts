import { z } from 'zod';
import { DEFAULT_ANSWER_CACHE } from './regional/answer-cache.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './rate-limit.js';
import type { GatewayOptions } from './server.js';

/**
 * The gateway's settings that `npm run gateway` and `npm start` read alike: rate limits and the
 * gateway-side savings (each can be switched off, so the work itself can be measured).
 */
const budget = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
export const gatewayTuningSettings = {
  HUB_RATE_LIMIT_WINDOW_SECONDS: budget(DEFAULT_RATE_LIMITS.windowSeconds),
  HUB_RATE_LIMIT_ANONYMOUS: budget(DEFAULT_RATE_LIMITS.anonymous),
  HUB_RATE_LIMIT_SIGNED_IN: budget(DEFAULT_RATE_LIMITS.signedIn),
  HUB_SHARE_IN_FLIGHT: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  HUB_ANSWER_CACHE_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(DEFAULT_ANSWER_CACHE.ttlMs),
  HUB_ANSWER_CACHE_VERSIONED_TTL_MS: z.coerce.number().int().min(0).max(86_400_000).default(DEFAULT_ANSWER_CACHE.versionedTtlMs!),
  HUB_ANSWER_CACHE_MB: z.coerce.number().int().min(1).max(16_384).default(DEFAULT_ANSWER_CACHE.maxBytes / 2 ** 20),
};

/** What `--help` says about them. */
export const GATEWAY_TUNING_HELP: Record<string, string> = {
  'HUB_RATE_LIMIT_WINDOW_SECONDS, _ANONYMOUS, _SIGNED_IN': 'rate-limit window and points (60 s; 600 per address, 3,000 per token subject)',
  HUB_SHARE_IN_FLIGHT: 'on or off: identical reads in flight at the same time share one subgraph request, and records several fetches miss at once are read together (default on)',
  HUB_ANSWER_CACHE_TTL_MS: 'how long read answers of instances are kept; every write through the gateway empties the cache, '
    + 'writes made directly on an instance that reports no data version show after this time at the latest (default 5000; 0 turns the cache off)',
  HUB_ANSWER_CACHE_VERSIONED_TTL_MS: 'the same for subgraphs whose instances all report where their data stands: their answers are dropped '
    + 'when a health probe sees that move, so writes past the gateway show within a probe round (default 3600000; 0: TTL_MS for all)',
  HUB_ANSWER_CACHE_MB: 'memory for kept answers (default 64)',
};

type Tuning = { [K in keyof typeof gatewayTuningSettings]: z.infer<(typeof gatewayTuningSettings)[K]> };

/** The gateway options these settings stand for. */
export function gatewayTuning(config: Tuning): Pick<GatewayOptions, 'shareInFlight' | 'answerCache'> & { rateLimits: RateLimits } {
  return {
    rateLimits: {
      ...DEFAULT_RATE_LIMITS, windowSeconds: config.HUB_RATE_LIMIT_WINDOW_SECONDS,
      anonymous: config.HUB_RATE_LIMIT_ANONYMOUS, signedIn: config.HUB_RATE_LIMIT_SIGNED_IN,
    },
    shareInFlight: config.HUB_SHARE_IN_FLIGHT === 'on',
    answerCache: config.HUB_ANSWER_CACHE_TTL_MS > 0
      ? {
        ttlMs: config.HUB_ANSWER_CACHE_TTL_MS, maxBytes: config.HUB_ANSWER_CACHE_MB * 2 ** 20,
        versionedTtlMs: config.HUB_ANSWER_CACHE_VERSIONED_TTL_MS > 0 ? config.HUB_ANSWER_CACHE_VERSIONED_TTL_MS : undefined,
      } : undefined,
  };
}
