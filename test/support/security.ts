import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import {
  RequestSigner, SIGNATURE_HEADER, encodeViewer, pathOf, viewerFromRoles, type RequestClaims, type Viewer,
} from '../../subgraphs/kit/index.js';

/** The test gateway's key pair, made once per test file: the gateway signs with the private key, instances hold the public key. */
const TEST_KEYS = generateKeyPairSync('ed25519');
export const TEST_SIGNING_KEY: KeyObject = TEST_KEYS.privateKey;
export const TEST_GATEWAY_PUBLIC_KEY: KeyObject = TEST_KEYS.publicKey;
/** Signs as the test gateway does, for clients that talk straight to an instance. */
export const TEST_SIGNER = new RequestSigner(TEST_SIGNING_KEY);
/** The token key the test gateway checks callers' tokens with. */
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123';
/** What the metrics scraper sends as its bearer token, where a test turns metrics on. */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789abcdef';

export const HUB_ADMIN: Viewer = viewerFromRoles('test-hub-admin', ['hub-admin']);

/** An instance as a test addresses it: its name in the topology and its GraphQL URL. */
export interface InstanceAddress {
  instanceName: string;
  url: string;
}

/** The claims of a request's signature as it travels (unverified): what anyone on its way can read. */
export function signatureClaims(headers: Record<string, string | string[] | undefined>): RequestClaims {
  const token = String(headers[SIGNATURE_HEADER] ?? '');
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as RequestClaims;
}

/** The signature header the gateway would send with this request to this instance (POST to its GraphQL URL unless told). */
export function gatewaySignature(
  instance: InstanceAddress, body: string, viewer: Viewer = HUB_ADMIN, options: { method?: string; path?: string; now?: number } = {},
): Record<string, string> {
  return TEST_SIGNER.sign({
    audience: instance.instanceName, method: options.method ?? 'POST', path: options.path ?? pathOf(instance.url), body, viewer,
  }, options.now);
}

/** A signed HS256 token with these roles, valid for an hour unless told otherwise. */
export function tokenFor(subject: string, roles: string[], options: { secret?: string; expiresIn?: string | number } = {}): Promise<string> {
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

/** The protected header the test gateway's signatures carry. */
export const GATEWAY_JWS_HEADER = { alg: 'EdDSA', typ: 'hub-request', kid: TEST_SIGNER.keyId };

/** Claims as the gateway would sign them for this request (fresh time and nonce). */
export function claimsFor(
  instance: InstanceAddress, body: string, viewer: Viewer = HUB_ADMIN, options: { method?: string; path?: string } = {},
): RequestClaims {
  return {
    aud: instance.instanceName, method: options.method ?? 'POST', path: options.path ?? pathOf(instance.url), at: Date.now(),
    nonce: randomBytes(18).toString('base64url'), viewer: encodeViewer(viewer), body: createHash('sha256').update(body).digest('base64url'),
  };
}

/**
 * A signature header made by hand: any protected header and claims, signed by `signer` (by
 * default with the test gateway's private key, i.e. as only the gateway could).
 */
export function craftSignature(
  protectedHeader: Record<string, unknown>, claims: Record<string, unknown> | RequestClaims,
  signer: (input: Buffer) => Buffer = (input) => sign(null, input, TEST_SIGNING_KEY),
): Record<string, string> {
  const input = `${Buffer.from(JSON.stringify(protectedHeader)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return { [SIGNATURE_HEADER]: `${input}.${signer(Buffer.from(input)).toString('base64url')}` };
}

/** A signature header with its claims changed and its signature kept, as someone on the way could change them. */
export function withClaims(headers: Record<string, string>, change: (claims: RequestClaims) => Record<string, unknown>): Record<string, string> {
  const [protectedHeader, , signature] = headers[SIGNATURE_HEADER].split('.');
  const claims = Buffer.from(JSON.stringify(change(signatureClaims(headers)))).toString('base64url');
  return { ...headers, [SIGNATURE_HEADER]: `${protectedHeader}.${claims}.${signature}` };
}
