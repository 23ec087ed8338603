import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS, NonceLog, RequestSigner, RequestVerifier, SESSION_LIFETIME_MS, SIGNATURE_MAX_SKEW_MS, SessionMac, UnsignedRequest, encodeViewer,
  keyIdOf, readPublicKeys, readSigningKey, viewerFromRoles, type ReceivedRequest, type SignatureFailure,
} from '../subgraphs/kit/index.js';
import { withClaims } from './support/security.js';

const pair = () => generateKeyPairSync('ed25519');
const gateway = pair();
const signer = new RequestSigner(gateway.privateKey);
const EDITOR_NW = viewerFromRoles('jana', ['editor:NW']);
const BODY = JSON.stringify({ query: 'mutation { createAlliance(input: { region: NW, name: "X" }) { id } }' });

/** A request as the gateway sends it to alliances-nw, received as sent unless `change` alters it. */
function received(change: Partial<ReceivedRequest> = {}, now = Date.now(), by: RequestSigner = signer): ReceivedRequest {
  const headers = by.sign({ audience: 'alliances-nw', method: 'POST', path: '/graphql', body: BODY, viewer: EDITOR_NW }, now);
  return { method: 'POST', url: '/graphql', headers, body: BODY, ...change };
}

function refusal(verify: () => unknown): SignatureFailure | undefined {
  try {
    verify();
    return undefined;
  } catch (error) {
    if (error instanceof UnsignedRequest) return error.reason;
    throw error;
  }
}

describe('gateway request signatures', () => {
  it('carry the viewer to the instance they are signed for', () => {
    const verifier = new RequestVerifier('alliances-nw', [gateway.publicKey]);
    const viewer = verifier.verify(received());
    expect(viewer.subject).toBe('jana');
    expect([...viewer.editor]).toEqual(['NW']);
    expect(viewer.hubAdmin).toBe(false);
  });

  it('bind instance, method, path, query, body and time, and are accepted once', () => {
    const verifier = () => new RequestVerifier('alliances-nw', [gateway.publicKey]);
    expect(refusal(() => new RequestVerifier('alliances-sl', [gateway.publicKey]).verify(received()))).toBe('AUDIENCE_MISMATCH');
    expect(refusal(() => verifier().verify(received({ method: 'GET' })))).toBe('REQUEST_MISMATCH');
    expect(refusal(() => verifier().verify(received({ url: '/references' })))).toBe('REQUEST_MISMATCH');
    expect(refusal(() => verifier().verify(received({ url: '/graphql?again=1' })))).toBe('REQUEST_MISMATCH');
    expect(refusal(() => verifier().verify(received({ body: BODY.replace('NW', 'SL') })))).toBe('BODY_MISMATCH');
    expect(refusal(() => verifier().verify(received({}, Date.now() - SIGNATURE_MAX_SKEW_MS - 1_000)))).toBe('SIGNATURE_EXPIRED');
    expect(refusal(() => verifier().verify(received({}, Date.now() + SIGNATURE_MAX_SKEW_MS + 1_000)))).toBe('SIGNATURE_EXPIRED');
    expect(refusal(() => verifier().verify({ ...received(), headers: {} }))).toBe('SIGNATURE_MISSING');
    const tampered = received();
    tampered.headers = withClaims(tampered.headers as Record<string, string>, (c) => ({ ...c, viewer: Buffer.from('{"s":"x","h":true,"e":[],"a":[]}').toString('base64url') }));
    expect(refusal(() => verifier().verify(tampered))).toBe('SIGNATURE_INVALID');

    const once = verifier();
    const request = received();
    expect(refusal(() => once.verify(request))).toBeUndefined();
    expect(refusal(() => once.verify(request))).toBe('NONCE_REPLAYED');
    // A request refused for another reason does not use up its nonce.
    const fresh = received();
    expect(refusal(() => once.verify({ ...fresh, body: '{}' }))).toBe('BODY_MISMATCH');
    expect(refusal(() => once.verify(fresh))).toBeUndefined();
  });

  it('are accepted with any of the instance\'s keys: rotation adds the new key, switches, then drops the old', () => {
    const next = pair();
    const nextSigner = new RequestSigner(next.privateKey);
    expect(nextSigner.keyId).toBe(keyIdOf(next.publicKey));
    expect(nextSigner.keyId).not.toBe(signer.keyId);
    const during = new RequestVerifier('alliances-nw', [gateway.publicKey, next.publicKey]);
    expect(refusal(() => during.verify(received()))).toBeUndefined();
    expect(refusal(() => during.verify(received({}, Date.now(), nextSigner)))).toBeUndefined();
    const after = new RequestVerifier('alliances-nw', [next.publicKey]);
    expect(refusal(() => after.verify(received()))).toBe('KEY_UNKNOWN');
    expect(refusal(() => after.verify(received({}, Date.now(), nextSigner)))).toBeUndefined();
    expect(() => new RequestVerifier('alliances-nw', [])).toThrow('at least one public key');
    expect(() => new RequestSigner(gateway.publicKey)).toThrow('Ed25519 private key');
  });

  it('keep nonces only while their time is inside the window', () => {
    const log = new NonceLog(1_000);
    const now = 1_000_000;
    for (let i = 0; i < 500; i++) expect(log.add(`nonce-${i}`, now + 5_000, now)).toBe(true);
    expect(log.add('nonce-7', now + 5_000, now + 4_000)).toBe(false);
    expect(log.size).toBe(500);
    expect(log.add('later', now + 20_000, now + 6_000)).toBe(true);
    expect(log.size).toBe(1);
    const verifier = new RequestVerifier('alliances-nw', [gateway.publicKey]);
    for (let i = 0; i < 50; i++) verifier.verify(received());
    expect(verifier.nonces.size).toBe(50);
    const later = Date.now() + 2 * SIGNATURE_MAX_SKEW_MS + 1;
    verifier.verify(received({}, later), later);
    expect(verifier.nonces.size).toBe(1);
  });

  it('sign an anonymous request as anonymous', () => {
    const verifier = new RequestVerifier('people', [gateway.publicKey]);
    const headers = signer.sign({ audience: 'people', method: 'get', path: '/references', body: '' });
    expect(verifier.verify({ method: 'GET', url: '/references', headers, body: '' })).toEqual(ANONYMOUS);
  });
});

describe('sessions', () => {
  const NOW = 1_800_000_000_000;
  const request = { audience: 'alliances-nw', method: 'POST', path: '/graphql', body: BODY, viewer: EDITOR_NW };
  const asReceived = (headers: Record<string, string>, change: Partial<ReceivedRequest> = {}): ReceivedRequest =>
    ({ method: 'POST', url: '/graphql', headers, body: BODY, ...change });
  const algorithm = (headers: Record<string, string>) =>
    JSON.parse(Buffer.from(headers['x-hub-signature'].split('.')[0], 'base64url').toString('utf8')) as { alg: string; kid: string };

  /** A gateway and an instance that agreed a session by the gateway's first request. */
  function agreed(audience = 'alliances-nw', gatewaySigner = new RequestSigner(gateway.privateKey)) {
    const verifier = new RequestVerifier(audience, [gateway.publicKey]);
    const offer = gatewaySigner.sign({ ...request, audience }, NOW);
    expect(algorithm(offer).alg).toBe('EdDSA');
    const accepted = verifier.accept(asReceived(offer), NOW);
    expect(accepted.session).toMatch(/^[\w-]{43}\.[\w-]{43}$/);
    gatewaySigner.learn(audience, accepted.session);
    expect(gatewaySigner.hasSession(audience)).toBe(true);
    return { gatewaySigner, verifier, gatewayKey: accepted.session!.split('.')[0] };
  }

  it('MAC like createHmac, for keys and messages of any length', () => {
    for (let i = 0; i < 200; i++) {
      const key = randomBytes(i % 65);
      const message = randomBytes(i * 7).toString('latin1') + 'ü€';
      expect(new SessionMac(key).of(message).equals(createHmac('sha256', key).update(message, 'utf8').digest())).toBe(true);
    }
    expect(() => new SessionMac(randomBytes(65))).toThrow('at most one SHA-256 block');
  });

  it('follow the gateway\'s first, Ed25519-signed request: later requests carry an HMAC the instance accepts once', () => {
    const { gatewaySigner, verifier, gatewayKey } = agreed();
    const next = gatewaySigner.sign(request, NOW + 1);
    expect(algorithm(next)).toEqual({ alg: 'HS256', typ: 'hub-request', kid: gatewayKey });
    expect(verifier.accept(asReceived(next), NOW + 1)).toEqual({ viewer: EDITOR_NW });
    expect(refusal(() => verifier.verify(asReceived(next), NOW + 2))).toBe('NONCE_REPLAYED');
    // The claims bind as with Ed25519.
    const later = () => gatewaySigner.sign(request, NOW + 3);
    expect(refusal(() => verifier.verify(asReceived(later(), { body: BODY.replace('NW', 'SL') }), NOW + 3))).toBe('BODY_MISMATCH');
    expect(refusal(() => verifier.verify(asReceived(later(), { url: '/references' }), NOW + 3))).toBe('REQUEST_MISMATCH');
    expect(refusal(() => verifier.verify(asReceived(later()), NOW + 3 + SIGNATURE_MAX_SKEW_MS + 1))).toBe('SIGNATURE_EXPIRED');
    const tampered = withClaims(later(), (c) => ({ ...c, viewer: encodeViewer(viewerFromRoles('x', ['hub-admin'])) }));
    expect(refusal(() => verifier.verify(asReceived(tampered), NOW + 3))).toBe('SIGNATURE_INVALID');
  });

  it('hold for one instance only: another instance refuses its HMAC even under the same gateway key', () => {
    const nw = agreed('alliances-nw');
    const sl = new RequestVerifier('alliances-sl', [gateway.publicKey]);
    const toNw = nw.gatewaySigner.sign(request, NOW + 1);
    // SL holds no session under that key yet, then agrees its own with the same gateway.
    expect(refusal(() => sl.verify(asReceived(toNw), NOW + 1))).toBe('SESSION_UNKNOWN');
    const offerToSl = nw.gatewaySigner.sign({ ...request, audience: 'alliances-sl' }, NOW + 2);
    nw.gatewaySigner.learn('alliances-sl', sl.accept(asReceived(offerToSl), NOW + 2).session);
    expect(algorithm(nw.gatewaySigner.sign({ ...request, audience: 'alliances-sl' }, NOW + 3)).alg).toBe('HS256');
    // NW's MAC at SL, as sent and re-aimed: the MAC is wrong, whatever the claims say.
    expect(refusal(() => sl.verify(asReceived(nw.gatewaySigner.sign(request, NOW + 4)), NOW + 4))).toBe('SIGNATURE_INVALID');
    const reaimed = withClaims(nw.gatewaySigner.sign(request, NOW + 5), (c) => ({ ...c, aud: 'alliances-sl' }));
    expect(refusal(() => sl.verify(asReceived(reaimed), NOW + 5))).toBe('SIGNATURE_INVALID');
  });

  it('are offered only with the gateway\'s own signature, and an answer for another gateway key is ignored', () => {
    const { gatewaySigner, verifier } = agreed();
    // A session offer slipped into a request under a session's MAC.
    const underSession = withClaims(gatewaySigner.sign(request, NOW + 1), (c) => ({ ...c, session: 'A'.repeat(43) }));
    expect(refusal(() => verifier.verify(asReceived(underSession), NOW + 1))).toBe('SIGNATURE_INVALID');
    const stranger = new RequestSigner(generateKeyPairSync('ed25519').privateKey);
    expect(refusal(() => verifier.verify(asReceived(stranger.sign(request, NOW)), NOW))).toBe('KEY_UNKNOWN');
    const lone = new RequestSigner(gateway.privateKey);
    lone.sign(request, NOW);
    lone.learn('alliances-nw', `${'B'.repeat(43)}.${'C'.repeat(43)}`);
    expect(lone.hasSession('alliances-nw')).toBe(false);
    lone.learn('alliances-nw', 'nonsense');
    expect(lone.hasSession('alliances-nw')).toBe(false);
  });

  it('end: the instance forgets them after their lifetime, the gateway offers a new key after half of it', () => {
    const late = NOW + SESSION_LIFETIME_MS + 1;
    // A gateway that would keep its key too long is refused once the session's lifetime is over.
    const lingering = agreed('alliances-nw', new RequestSigner(gateway.privateKey, 4 * SESSION_LIFETIME_MS));
    expect(refusal(() => lingering.verifier.verify(asReceived(lingering.gatewaySigner.sign(request, late - 2)), late - 2))).toBeUndefined();
    const afterLifetime = lingering.gatewaySigner.sign(request, late);
    expect(algorithm(afterLifetime).alg).toBe('HS256');
    expect(refusal(() => lingering.verifier.verify(asReceived(afterLifetime), late))).toBe('SESSION_UNKNOWN');

    const { gatewaySigner, verifier, gatewayKey } = agreed();
    expect(algorithm(gatewaySigner.sign(request, NOW + SESSION_LIFETIME_MS / 2 - 1)).alg).toBe('HS256');
    const rotated = gatewaySigner.sign(request, NOW + SESSION_LIFETIME_MS / 2);
    expect(algorithm(rotated).alg).toBe('EdDSA');
    const accepted = verifier.accept(asReceived(rotated), NOW + SESSION_LIFETIME_MS / 2);
    expect(accepted.session?.split('.')[0]).not.toBe(gatewayKey);
  });

  it('are dropped by the gateway when refused, so the next request offers one again', () => {
    const { gatewaySigner } = agreed();
    const refused = { status: 401, headers: new Headers() };
    gatewaySigner.answered('alliances-nw', refused);
    expect(gatewaySigner.hasSession('alliances-nw')).toBe(false);
    expect(algorithm(gatewaySigner.sign(request, NOW + 1)).alg).toBe('EdDSA');
  });
});

describe('key settings', () => {
  const privatePem = gateway.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const publicPem = gateway.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const nextPem = pair().publicKey.export({ type: 'spki', format: 'pem' }) as string;

  it('read a PKCS#8 private key and a list of SPKI public keys, also with escaped line breaks', () => {
    expect(keyIdOf(readSigningKey(privatePem))).toBe(signer.keyId);
    expect(keyIdOf(readSigningKey(privatePem.replace(/\n/g, '\\n')))).toBe(signer.keyId);
    expect(readPublicKeys(`${publicPem}\n${nextPem}`).map(keyIdOf)).toEqual([signer.keyId, keyIdOf(readPublicKeys(nextPem)[0])]);
  });

  it('refuse what is not the right kind of key, saying why', () => {
    expect(() => readSigningKey(publicPem)).toThrow('must be an Ed25519 private key as PKCS#8 PEM');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(() => readSigningKey(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)).toThrow('must be an Ed25519 key, not rsa');
    expect(() => readPublicKeys(privatePem)).toThrow('holds a private key');
    expect(() => readPublicKeys(`${publicPem}${privatePem}`)).toThrow('holds a private key');
    expect(() => readPublicKeys('')).toThrow('must hold one or more Ed25519 public keys');
    expect(() => readPublicKeys('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toThrow('key 1 is not a readable SPKI PEM public key');
  });
});
