import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ANONYMOUS, decodeViewer, encodeViewer, type Viewer } from './auth.js';

/**
 * Every request from the gateway to an instance carries one header: a JWS (RFC 7515, EdDSA as in
 * RFC 8037) made with the gateway's Ed25519 private key. Instances hold only public keys, so no
 * instance, nor whoever runs one, can make a request another instance accepts. The claims bind
 * the signature to one instance, method, path, body and viewer, for a short time, and once.
 */
export const SIGNATURE_HEADER = 'x-hub-signature';
/** How far a request's time may lie from the instance's clock, either way: the window a nonce is kept for. */
export const SIGNATURE_MAX_SKEW_MS = 60_000;
/** An instance's name as the topology gives it; the gateway signs for it (HUB_INSTANCE_NAME). */
export const INSTANCE_NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,64}$/;

const TYPE = 'hub-request';
const NONCE = /^[A-Za-z0-9_-]{22,64}$/;

/** What the gateway signs about one request. */
export interface RequestClaims {
  /** The instance it is for, by its name in the topology. */
  aud: string;
  method: string;
  /** Path and query string, as the gateway requested them. */
  path: string;
  /** When it was signed, in milliseconds since the epoch. */
  at: number;
  /** Random per request: an instance answers each nonce once. */
  nonce: string;
  /** The viewer the gateway verified (`encodeViewer`). */
  viewer: string;
  /** SHA-256 of the body (UTF-8), base64url. */
  body: string;
}

export interface RequestToSign {
  audience: string;
  method: string;
  path: string;
  body: string;
  viewer?: Viewer;
}

/** The request as an instance received it. */
export interface ReceivedRequest {
  method: string;
  /** The request target (`req.url`). */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Stable reasons for refusing a request; the 401 answer names one in `extensions.reason`. */
export type SignatureFailure =
  | 'SIGNATURE_MISSING' | 'SIGNATURE_MALFORMED' | 'KEY_UNKNOWN' | 'SIGNATURE_INVALID' | 'SIGNATURE_EXPIRED'
  | 'AUDIENCE_MISMATCH' | 'REQUEST_MISMATCH' | 'BODY_MISMATCH' | 'NONCE_REPLAYED' | 'VIEWER_UNREADABLE';

export class UnsignedRequest extends Error {
  constructor(readonly reason: SignatureFailure, message: string) {
    super(message);
  }
}

const base64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const digest = (body: string): string => createHash('sha256').update(body, 'utf8').digest('base64url');

/** Path and query of a URL or request target, normalised as the instance's router sees it. */
export function pathOf(url: string | URL): string {
  const parsed = new URL(url, 'http://instance');
  return `${parsed.pathname}${parsed.search}`;
}

/** The key's id: its JWK thumbprint (RFC 7638), the same for the private key and its public key. */
export function keyIdOf(key: KeyObject): string {
  const { x } = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' }) as { x: string };
  return createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');
}

/** PEM text from a setting; an environment file may carry its line breaks as `\n`. */
const pemText = (text: string): string => text.replace(/\\n/g, '\n').trim();

/** The gateway's private key (HUB_SIGNING_KEY): an Ed25519 key as PKCS#8 PEM. Throws naming what is wrong. */
export function readSigningKey(text: string): KeyObject {
  const pem = pemText(text);
  if (!pem.includes('-----BEGIN PRIVATE KEY-----')) {
    throw new Error('must be an Ed25519 private key as PKCS#8 PEM (-----BEGIN PRIVATE KEY-----, e.g. openssl genpkey -algorithm ed25519)');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error('is not a readable PKCS#8 PEM private key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`must be an Ed25519 key, not ${key.asymmetricKeyType}`);
  return key;
}

/**
 * The public keys an instance trusts (HUB_GATEWAY_PUBLIC_KEYS): one or more Ed25519 keys as SPKI
 * PEM blocks, one after the other (two while the gateway's key is rotated). A private key here
 * is refused: an instance must never hold one.
 */
export function readPublicKeys(text: string): KeyObject[] {
  const pem = pemText(text);
  if (pem.includes('PRIVATE KEY')) throw new Error('holds a private key: instances get only the gateway\'s public keys');
  const blocks = pem.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  if (blocks.length === 0) {
    throw new Error('must hold one or more Ed25519 public keys as SPKI PEM (-----BEGIN PUBLIC KEY-----, e.g. openssl pkey -pubout)');
  }
  return blocks.map((block, index) => {
    let key: KeyObject;
    try {
      key = createPublicKey(block);
    } catch {
      throw new Error(`key ${index + 1} is not a readable SPKI PEM public key`);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`key ${index + 1} must be an Ed25519 key, not ${key.asymmetricKeyType}`);
    return key;
  });
}

/** The gateway's side: signs each request for the one instance it goes to. */
export class RequestSigner {
  readonly keyId: string;
  private readonly protectedHeader: string;

  constructor(private readonly key: KeyObject) {
    if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') throw new Error('the gateway signs with an Ed25519 private key');
    this.keyId = keyIdOf(key);
    this.protectedHeader = base64url(JSON.stringify({ alg: 'EdDSA', typ: TYPE, kid: this.keyId }));
  }

  /** The header that makes this request come from the gateway. */
  sign(request: RequestToSign, now: number = Date.now()): Record<string, string> {
    const claims: RequestClaims = {
      aud: request.audience,
      method: request.method.toUpperCase(),
      path: request.path,
      at: now,
      nonce: randomBytes(18).toString('base64url'),
      viewer: encodeViewer(request.viewer ?? ANONYMOUS),
      body: digest(request.body),
    };
    const input = `${this.protectedHeader}.${base64url(JSON.stringify(claims))}`;
    return { [SIGNATURE_HEADER]: `${input}.${sign(null, Buffer.from(input), this.key).toString('base64url')}` };
  }
}

/**
 * Nonces of accepted requests, each kept only while its time is inside the window (after that
 * the time check refuses it anyway): memory grows with the rate of genuine requests times the
 * window, never with what others send.
 */
export class NonceLog {
  private readonly until = new Map<string, number>();
  private nextSweep = 0;

  constructor(private readonly sweepEveryMs = SIGNATURE_MAX_SKEW_MS / 4) {}

  /** False when the nonce was seen and is still kept; otherwise keeps it until `expires`. */
  add(nonce: string, expires: number, now: number): boolean {
    if (now >= this.nextSweep) {
      for (const [seen, until] of this.until) if (until < now) this.until.delete(seen);
      this.nextSweep = now + this.sweepEveryMs;
    }
    const known = this.until.get(nonce);
    if (known !== undefined && known >= now) return false;
    this.until.set(nonce, expires);
    return true;
  }

  get size(): number {
    return this.until.size;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function json(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function signatureHolds(input: string, key: KeyObject, signature: string): boolean {
  try {
    return verify(null, Buffer.from(input), key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

function isClaims(value: unknown): value is RequestClaims {
  const c = value as Partial<RequestClaims> | null;
  return typeof c === 'object' && c !== null && typeof c.aud === 'string' && typeof c.method === 'string'
    && typeof c.path === 'string' && Number.isSafeInteger(c.at) && typeof c.nonce === 'string' && NONCE.test(c.nonce)
    && typeof c.viewer === 'string' && typeof c.body === 'string';
}

/**
 * An instance's side: accepts a request only when the gateway signed it with a trusted key, for
 * this instance, this method, path and body, within the time window, and never before.
 */
export class RequestVerifier {
  private readonly keys: Map<string, KeyObject>;
  readonly nonces = new NonceLog();

  constructor(readonly audience: string, publicKeys: readonly KeyObject[], private readonly maxSkewMs = SIGNATURE_MAX_SKEW_MS) {
    if (publicKeys.length === 0) throw new Error('an instance needs at least one public key of the gateway');
    this.keys = new Map(publicKeys.map((key) => [keyIdOf(key), key]));
  }

  /** The viewer the gateway signed; throws UnsignedRequest naming why the request is refused. */
  verify(request: ReceivedRequest, now: number = Date.now()): Viewer {
    const token = header(request.headers, SIGNATURE_HEADER);
    if (!token) throw new UnsignedRequest('SIGNATURE_MISSING', 'the request does not come from the hub\'s gateway');
    const parts = token.split('.');
    const protectedHeader = parts.length === 3 ? json(parts[0]) as { alg?: unknown; typ?: unknown; kid?: unknown } | undefined : undefined;
    if (!protectedHeader || protectedHeader.alg !== 'EdDSA' || protectedHeader.typ !== TYPE || typeof protectedHeader.kid !== 'string') {
      throw new UnsignedRequest('SIGNATURE_MALFORMED', 'the request\'s signature cannot be read');
    }
    const key = this.keys.get(protectedHeader.kid);
    if (!key) throw new UnsignedRequest('KEY_UNKNOWN', 'the request is signed with a key this instance does not trust');
    if (!signatureHolds(`${parts[0]}.${parts[1]}`, key, parts[2])) {
      throw new UnsignedRequest('SIGNATURE_INVALID', 'the request\'s signature is wrong');
    }
    const claims = json(parts[1]);
    if (!isClaims(claims)) throw new UnsignedRequest('SIGNATURE_MALFORMED', 'the request\'s signature cannot be read');
    if (Math.abs(now - claims.at) > this.maxSkewMs) {
      throw new UnsignedRequest('SIGNATURE_EXPIRED', 'the request\'s signature is too old or too new');
    }
    if (claims.aud !== this.audience) {
      throw new UnsignedRequest('AUDIENCE_MISMATCH', `the request is signed for another instance (${claims.aud}), not for ${this.audience}`);
    }
    if (claims.method !== request.method.toUpperCase() || claims.path !== pathOf(request.url)) {
      throw new UnsignedRequest('REQUEST_MISMATCH', 'the request\'s method or path is not the one signed');
    }
    if (claims.body !== digest(request.body)) throw new UnsignedRequest('BODY_MISMATCH', 'the request\'s body is not the one signed');
    let viewer: Viewer;
    try {
      viewer = decodeViewer(claims.viewer);
    } catch {
      throw new UnsignedRequest('VIEWER_UNREADABLE', 'the request\'s viewer cannot be read');
    }
    if (!this.nonces.add(claims.nonce, claims.at + this.maxSkewMs, now)) {
      throw new UnsignedRequest('NONCE_REPLAYED', 'the request was received before (a replay)');
    }
    return viewer;
  }
}
