import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { type Viewer } from '../subgraphs/kit/auth.js';
import { HttpError } from '../subgraphs/kit/http.js';

/**
 * Budgets in points per caller and window: a request costs one point, and one more for every
 * full `costPerPoint` of its query cost (graphql-armor's, as the cost limit counts it), so the
 * largest query allowed (cost 20,000) costs 21 points.
 */
export interface RateLimits {
  windowSeconds: number;
  /** Per client address, for callers without a token (they can only read). */
  anonymous: number;
  /** Per token subject. */
  signedIn: number;
  costPerPoint: number;
}

/** For `npm run gateway` (HUB_RATE_LIMIT_*): ten plain reads a second per address, fifty per signed-in caller. */
export const DEFAULT_RATE_LIMITS: RateLimits = { windowSeconds: 60, anonymous: 600, signedIn: 3_000, costPerPoint: 1_000 };

export const RATE_LIMITED = 'RATE_LIMITED';

/** Whom a request is counted against. */
export interface Caller {
  key: string;
  anonymous: boolean;
}

/** What one refusal says, and when to try again. */
interface Refusal {
  message: string;
  retryAfter: number;
}

/**
 * Counts each caller's requests and query cost in fixed windows, in this process's memory (each
 * gateway process keeps its own count). A signed-in caller is counted by the token's subject,
 * wherever it calls from; anyone else by the client address.
 */
export class RateLimiter {
  private readonly anonymous: RateLimiterMemory;
  private readonly signedIn: RateLimiterMemory;

  constructor(readonly limits: RateLimits) {
    this.anonymous = new RateLimiterMemory({ points: limits.anonymous, duration: limits.windowSeconds });
    this.signedIn = new RateLimiterMemory({ points: limits.signedIn, duration: limits.windowSeconds });
  }

  callerOf(req: IncomingMessage, viewer: Viewer): Caller {
    return viewer.subject === null ? { key: `address:${clientAddress(req)}`, anonymous: true } : { key: `subject:${viewer.subject}`, anonymous: false };
  }

  /** Counts one request of the caller; refuses it with HTTP 429 once the caller's budget of the window is spent. */
  async admit(caller: Caller): Promise<Caller> {
    const refusal = await this.consume(caller, 1);
    if (!refusal) return caller;
    const error = new HttpError(429, RATE_LIMITED, refusal.message);
    error.headers = { 'retry-after': String(refusal.retryAfter) };
    throw error;
  }

  /** Counts an operation's cost; refuses it (HTTP 429, a GraphQL error) when that overdraws the budget. */
  async charge(caller: Caller, cost: number): Promise<void> {
    const points = Math.floor(cost / this.limits.costPerPoint);
    const refusal = points > 0 ? await this.consume(caller, points) : undefined;
    if (refusal) {
      // Apollo Server takes the answer's status and headers from here; the headers must be a Map.
      const extensions: Record<string, unknown> = {
        code: RATE_LIMITED, http: { status: 429, headers: new HeaderMap([['retry-after', String(refusal.retryAfter)]]) },
      };
      throw new GraphQLError(refusal.message, { extensions });
    }
  }

  private async consume(caller: Caller, points: number): Promise<Refusal | undefined> {
    try {
      await (caller.anonymous ? this.anonymous : this.signedIn).consume(caller.key, points);
      return undefined;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const retryAfter = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      const budget = caller.anonymous
        ? `a caller without a token may spend ${this.limits.anonymous} points per address`
        : `a signed-in caller may spend ${this.limits.signedIn} points`;
      return {
        retryAfter,
        message: `Too many requests: ${budget} in ${this.limits.windowSeconds} s (one a request, one more per ${this.limits.costPerPoint} of query cost); try again in ${retryAfter} s`,
      };
    }
  }
}

/**
 * The address a request comes from, as the key of its budget: IPv4 (also when mapped into IPv6)
 * as it is, IPv6 by its /64 network, since one subscriber is usually given a whole /64.
 */
export function clientAddress(req: Pick<IncomingMessage, 'socket'>): string {
  const address = (req.socket.remoteAddress ?? 'unknown').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  // An embedded IPv4 address (`64:ff9b::192.0.2.1`) stands for two groups.
  const size = (part: string) => groups(part).reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const written = address.includes('::') ? [...groups(head), ...Array(8 - size(head) - size(tail)).fill('0'), ...groups(tail)] : groups(address);
  return `${written.slice(0, 4).map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/64`;
}
