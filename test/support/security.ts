import { SignJWT } from 'jose';
import { viewerFromRoles, type Viewer } from '../../subgraphs/kit/index.js';

/** Test-only secrets: the gateway signs subgraph requests with the first and checks tokens with the second. */
export const TEST_INTERNAL_SECRET = 'test-internal-secret-0123456789abcdef';
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123';
/** What the metrics scraper sends as its bearer token, where a test turns metrics on. */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789abcdef';

export const HUB_ADMIN: Viewer = viewerFromRoles('test-hub-admin', ['hub-admin']);

/** A signed HS256 token with these roles, valid for an hour unless told otherwise. */
export function tokenFor(subject: string, roles: string[], options: { secret?: string; expiresIn?: string | number } = {}): Promise<string> {
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}
