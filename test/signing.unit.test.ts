import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS, NonceLog, RequestSigner, RequestVerifier, SIGNATURE_MAX_SKEW_MS, UnsignedRequest, keyIdOf, readPublicKeys, readSigningKey,
  viewerFromRoles, type ReceivedRequest, type SignatureFailure,
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
