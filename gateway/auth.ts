import type { IncomingMessage } from 'node:http';
import { createRemoteJWKSet, errors, importSPKI, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ANONYMOUS, viewerFromRoles, type Viewer } from '../subgraphs/kit/auth.js';
import { HttpError } from '../subgraphs/kit/http.js';
import { parseRoles } from '../subgraphs/shared/roles.js';

/** How the gateway checks callers' tokens: HS256 with a shared secret by default, or RS256 by key or JWKS. */
export interface TokenConfig {
  /** HS256 secret (at least 32 characters). */
  secret?: string;
  /** RS256 public key (SPKI PEM). */
  publicKey?: string;
  /** RS256 keys from a JWKS URL. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

export type Authenticate = (req: IncomingMessage) => Promise<Viewer>;

/** Verifies `Authorization: Bearer <JWT>`; no header means anonymous, a bad token is refused (401). */
export async function tokenAuthenticator(config: TokenConfig): Promise<Authenticate> {
  let key: Uint8Array | Awaited<ReturnType<typeof importSPKI>> | JWTVerifyGetKey;
  let algorithms: string[];
  if (config.jwksUrl) {
    key = createRemoteJWKSet(new URL(config.jwksUrl));
    algorithms = ['RS256'];
  } else if (config.publicKey) {
    key = await importSPKI(config.publicKey, 'RS256');
    algorithms = ['RS256'];
  } else if (config.secret) {
    key = new TextEncoder().encode(config.secret);
    algorithms = ['HS256'];
  } else {
    throw new Error('No token key configured: set HUB_JWT_SECRET, HUB_JWT_PUBLIC_KEY or HUB_JWT_JWKS_URL');
  }
  return async (req) => {
    const header = req.headers.authorization;
    if (!header) return ANONYMOUS;
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(header);
    if (!match) throw new HttpError(401, 'UNAUTHENTICATED', 'The Authorization header must be "Bearer <JWT>"');
    try {
      const { payload } = await jwtVerify(match[1], key as Uint8Array, {
        algorithms, issuer: config.issuer, audience: config.audience, requiredClaims: ['sub', 'exp'],
      });
      if (typeof payload.sub !== 'string' || payload.sub.trim() === '') {
        throw new HttpError(401, 'UNAUTHENTICATED', 'Refused: the token names no subject');
      }
      // A role the hub does not know (a typo, another region code) refuses the token: it would
      // otherwise grant silently less than its issuer meant.
      const { problems } = parseRoles(payload.roles);
      if (problems.length) throw new HttpError(401, 'UNAUTHENTICATED', `Refused: the token's roles are not accepted: ${problems.join('; ')}`);
      return viewerFromRoles(payload.sub, payload.roles);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      const reason = error instanceof errors.JWTExpired ? 'the token has expired'
        : error instanceof errors.JWSSignatureVerificationFailed ? 'the token\'s signature is wrong'
          : error instanceof errors.JWTClaimValidationFailed ? `the token's ${error.claim} claim is not accepted`
            : 'the token cannot be verified';
      throw new HttpError(401, 'UNAUTHENTICATED', `Refused: ${reason}`);
    }
  };
}
