import {
  createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hash, hkdfSync, randomBytes, sign, timingSafeEqual, verify,
  type KeyObject,
} from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ANONYMOUS, decodeViewer, encodeViewer, type Viewer } from './auth.js';

/**
 * Every request from the gateway to an instance carries one header: a JWS (RFC 7515) over claims
 * that bind it to one instance, method, path, body and viewer, for a short time, and once.
 *
 * The first request to an instance is signed with the gateway's Ed25519 private key (EdDSA, RFC
 * 8037); instances hold only public keys. It also offers a session: the gateway's X25519 public
 * key. The instance answers with its own X25519 public key (SESSION_HEADER), and both sides derive
 * one key by Diffie-Hellman that only the gateway and this instance can compute; later requests
 * carry an HMAC (HS256) under it, about a twentieth of the cost of an Ed25519 signature and its
 * check. So no instance, nor whoever runs one, holds anything that makes a request another
 * instance accepts: a session key opens only the instance that agreed it.
 */
export const SIGNATURE_HEADER = 'x-hub-signature';
/** How far a request's time may lie from the instance's clock, either way: the window a nonce is kept for. */
export const SIGNATURE_MAX_SKEW_MS = 60_000;
/** An instance's name as the topology gives it; the gateway signs for it (HUB_INSTANCE_NAME). */
export const INSTANCE_NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,64}$/;

/** An instance's answer to a request that offered a session: `<gateway's key>.<instance's key>`, X25519 public keys. */
export const SESSION_HEADER = 'hub-session';
/**
 * How long an instance keeps a session from the request that offered it; the gateway offers a new
 * one after half of it, so a session never ends while in use.
 */
export const SESSION_LIFETIME_MS = 60 * 60_000;
/** Sessions an instance keeps at most (a few per gateway process: only the gateway can offer one). */
const MAX_SESSIONS = 64;

const TYPE = 'hub-request';
const NONCE = /^[A-Za-z0-9_-]{22,64}$/;
/** An X25519 public key, raw, base64url. */
const EXCHANGE_KEY = /^[A-Za-z0-9_-]{43}$/;

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
  /** Only in an EdDSA signature: the gateway's X25519 public key, offering a session. */
  session?: string;
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
  | 'AUDIENCE_MISMATCH' | 'REQUEST_MISMATCH' | 'BODY_MISMATCH' | 'NONCE_REPLAYED' | 'VIEWER_UNREADABLE' | 'SESSION_UNKNOWN';

export class UnsignedRequest extends Error {
  constructor(readonly reason: SignatureFailure, message: string) {
    super(message);
  }
}

const base64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const digest = (body: string): string => hash('sha256', body, 'base64url');

/**
 * HMAC-SHA-256 (RFC 2104) under one session key. The padded keys are made once and each MAC is two
 * one-shot hashes, about 2 µs; `createHmac` costs about 14 µs a call, mostly building its object.
 * `test/signing.unit.test.ts` holds it equal to `createHmac`.
 */
export class SessionMac {
  private readonly inner: Buffer;
  private readonly outer: Buffer;

  constructor(key: Buffer) {
    if (key.length > 64) throw new Error('a session key is at most one SHA-256 block');
    const block = Buffer.alloc(64);
    key.copy(block);
    this.inner = Buffer.from(block.map((byte) => byte ^ 0x36));
    this.outer = Buffer.from(block.map((byte) => byte ^ 0x5c));
  }

  of(message: string): Buffer {
    const inner = hash('sha256', Buffer.concat([this.inner, Buffer.from(message, 'utf8')]), 'buffer');
    return hash('sha256', Buffer.concat([this.outer, inner]), 'buffer');
  }
}

const exchangeKeyText = (key: KeyObject): string => (key.export({ format: 'jwk' }) as { x: string }).x;

/**
 * The session key of one gateway key and one instance key, for one instance name: X25519, then
 * HKDF binding both public keys and the name. Throws if the peer's key is unusable.
 */
function sessionMac(own: KeyObject, peer: string, audience: string, gatewayKey: string, instanceKey: string): SessionMac {
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: peer }, format: 'jwk' });
  const shared = diffieHellman({ privateKey: own, publicKey });
  const info = `hub-request session|${audience}|${gatewayKey}|${instanceKey}`;
  return new SessionMac(Buffer.from(hkdfSync('sha256', shared, '', info, 32)));
}

/** Path and query of a URL or request target, normalised as the instance's router sees it. */
export function pathOf(url: string | URL): string {
  const parsed = new URL(url, 'http://instance');
  return `${parsed.pathname}${parsed.search}`;
}

/** The key's id: its JWK thumbprint (RFC 7638), the same for the private key and its public key. */
export function keyIdOf(key: KeyObject): string {
  const { x } = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' }) as { x: string };
  return hash('sha256', `{"crv":"Ed25519","kty":"OKP","x":"${x}"}`, 'base64url');
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

interface Exchange {
  privateKey: KeyObject;
  /** The public key, raw, base64url: what requests offer and what a session's HS256 header names. */
  publicKey: string;
  since: number;
}

/**
 * The gateway's side: signs each request for the one instance it goes to, with a session's HMAC
 * once that instance agreed one (`learn`), with Ed25519 otherwise.
 */
export class RequestSigner {
  readonly keyId: string;
  private readonly protectedHeader: string;
  private exchange: Exchange | undefined;
  private readonly sessions = new Map<string, { instanceKey: string; header: string; mac: SessionMac }>();

  constructor(private readonly key: KeyObject, private readonly sessionLifetimeMs = SESSION_LIFETIME_MS) {
    if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') throw new Error('the gateway signs with an Ed25519 private key');
    this.keyId = keyIdOf(key);
    this.protectedHeader = base64url(JSON.stringify({ alg: 'EdDSA', typ: TYPE, kid: this.keyId }));
  }

  /** The header that makes this request come from the gateway. */
  sign(request: RequestToSign, now: number = Date.now()): Record<string, string> {
    const exchange = this.exchangeAt(now);
    const claims: RequestClaims = {
      aud: request.audience,
      method: request.method.toUpperCase(),
      path: request.path,
      at: now,
      nonce: randomBytes(18).toString('base64url'),
      viewer: encodeViewer(request.viewer ?? ANONYMOUS),
      body: digest(request.body),
    };
    const session = this.sessions.get(request.audience);
    if (session) {
      const input = `${session.header}.${base64url(JSON.stringify(claims))}`;
      return { [SIGNATURE_HEADER]: `${input}.${session.mac.of(input).toString('base64url')}` };
    }
    claims.session = exchange.publicKey;
    const input = `${this.protectedHeader}.${base64url(JSON.stringify(claims))}`;
    return { [SIGNATURE_HEADER]: `${input}.${sign(null, Buffer.from(input), this.key).toString('base64url')}` };
  }

  /** Whether requests to this instance go with a session's HMAC (a refusal then calls for `forget` and one more try). */
  hasSession(audience: string): boolean {
    return this.sessions.has(audience);
  }

  /**
   * Takes an instance's answer to a session offer (its SESSION_HEADER): later requests to it carry
   * the session's HMAC. An answer naming another gateway key than the current one is ignored.
   */
  learn(audience: string, answer: string | null | undefined): void {
    if (!answer || !this.exchange) return;
    const [gatewayKey, instanceKey, ...rest] = answer.split('.');
    if (rest.length > 0 || gatewayKey !== this.exchange.publicKey || !EXCHANGE_KEY.test(instanceKey ?? '')) return;
    if (this.sessions.get(audience)?.instanceKey === instanceKey) return;
    try {
      const mac = sessionMac(this.exchange.privateKey, instanceKey, audience, gatewayKey, instanceKey);
      const header = base64url(JSON.stringify({ alg: 'HS256', typ: TYPE, kid: gatewayKey }));
      this.sessions.set(audience, { instanceKey, header, mac });
    } catch {
      // Not a usable X25519 key: requests to this instance stay signed with Ed25519.
    }
  }

  /** Drops the session with this instance (it refused it, e.g. after a restart): the next request offers a new one. */
  forget(audience: string): void {
    this.sessions.delete(audience);
  }

  /** Takes an instance's HTTP answer: a refusal (401) drops the session, any other answer may agree one (`learn`). */
  answered(audience: string, answer: { status: number; headers: { get(name: string): string | null } }): void {
    if (answer.status === 401) this.forget(audience);
    else this.learn(audience, answer.headers.get(SESSION_HEADER));
  }

  /** The X25519 key pair offered now; a new one (and so new sessions everywhere) after half a session's life. */
  private exchangeAt(now: number): Exchange {
    if (!this.exchange || now - this.exchange.since >= this.sessionLifetimeMs / 2 || now < this.exchange.since) {
      const { privateKey, publicKey } = generateKeyPairSync('x25519');
      this.exchange = { privateKey, publicKey: exchangeKeyText(publicKey), since: now };
      this.sessions.clear();
    }
    return this.exchange;
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

/** What an instance accepted: the viewer, and its answer to a session the request offered (send it as SESSION_HEADER). */
export interface AcceptedRequest {
  viewer: Viewer;
  session?: string;
}

/**
 * An instance's side: accepts a request only when the gateway signed it with a trusted key or a
 * session it offered so, for this instance, this method, path and body, within the time window,
 * and never before.
 */
export class RequestVerifier {
  private readonly keys: Map<string, KeyObject>;
  readonly nonces = new NonceLog();
  /** This instance's X25519 key pair, new with every process: sessions end with it. */
  private readonly exchange = generateKeyPairSync('x25519');
  private readonly exchangeKey = exchangeKeyText(this.exchange.publicKey);
  /** Sessions by the gateway's X25519 key (the HS256 header's `kid`). */
  private readonly sessions = new Map<string, { mac: SessionMac; expires: number }>();

  constructor(readonly audience: string, publicKeys: readonly KeyObject[], private readonly maxSkewMs = SIGNATURE_MAX_SKEW_MS) {
    if (publicKeys.length === 0) throw new Error('an instance needs at least one public key of the gateway');
    this.keys = new Map(publicKeys.map((key) => [keyIdOf(key), key]));
  }

  /** The viewer the gateway signed; throws UnsignedRequest naming why the request is refused. */
  verify(request: ReceivedRequest, now: number = Date.now()): Viewer {
    return this.accept(request, now).viewer;
  }

  /** As `verify`, with the answer to a session the request offered. */
  accept(request: ReceivedRequest, now: number = Date.now()): AcceptedRequest {
    const token = header(request.headers, SIGNATURE_HEADER);
    if (!token) throw new UnsignedRequest('SIGNATURE_MISSING', 'the request does not come from the hub\'s gateway');
    const parts = token.split('.');
    const protectedHeader = parts.length === 3 ? json(parts[0]) as { alg?: unknown; typ?: unknown; kid?: unknown } | undefined : undefined;
    if (!protectedHeader || (protectedHeader.alg !== 'EdDSA' && protectedHeader.alg !== 'HS256') || protectedHeader.typ !== TYPE
      || typeof protectedHeader.kid !== 'string') {
      throw new UnsignedRequest('SIGNATURE_MALFORMED', 'the request\'s signature cannot be read');
    }
    const input = `${parts[0]}.${parts[1]}`;
    const bySession = protectedHeader.alg === 'HS256';
    if (bySession) {
      const session = this.sessions.get(protectedHeader.kid);
      if (!session || session.expires < now) {
        throw new UnsignedRequest('SESSION_UNKNOWN', 'the request names a session this instance does not hold (offer a new one)');
      }
      if (!macHolds(session.mac.of(input), parts[2])) throw new UnsignedRequest('SIGNATURE_INVALID', 'the request\'s signature is wrong');
    } else {
      const key = this.keys.get(protectedHeader.kid);
      if (!key) throw new UnsignedRequest('KEY_UNKNOWN', 'the request is signed with a key this instance does not trust');
      if (!signatureHolds(input, key, parts[2])) throw new UnsignedRequest('SIGNATURE_INVALID', 'the request\'s signature is wrong');
    }
    const claims = json(parts[1]);
    // Only a signature with the gateway's own key may offer a session.
    if (!isClaims(claims) || (claims.session !== undefined && (bySession || !EXCHANGE_KEY.test(claims.session)))) {
      throw new UnsignedRequest('SIGNATURE_MALFORMED', 'the request\'s signature cannot be read');
    }
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
    const session = claims.session === undefined ? undefined : this.agree(claims.session, claims.at);
    return session ? { viewer, session } : { viewer };
  }

  /** Keeps the session the gateway offered (its key, signed); the answer for SESSION_HEADER. */
  private agree(gatewayKey: string, at: number): string | undefined {
    let mac = this.sessions.get(gatewayKey)?.mac;
    if (!mac) {
      try {
        mac = sessionMac(this.exchange.privateKey, gatewayKey, this.audience, gatewayKey, this.exchangeKey);
      } catch {
        // Not a usable X25519 key: the request stands on its Ed25519 signature, without a session.
        return undefined;
      }
      if (this.sessions.size >= MAX_SESSIONS) this.dropOldest(at);
    }
    // Every offer is signed anew, so it may renew the session's time.
    this.sessions.set(gatewayKey, { mac, expires: at + SESSION_LIFETIME_MS });
    return `${gatewayKey}.${this.exchangeKey}`;
  }

  private dropOldest(now: number): void {
    for (const [key, session] of this.sessions) if (session.expires < now) this.sessions.delete(key);
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
  }
}

function macHolds(expected: Buffer, given: string): boolean {
  const mac = Buffer.from(given, 'base64url');
  return mac.length === expected.length && timingSafeEqual(mac, expected);
}
