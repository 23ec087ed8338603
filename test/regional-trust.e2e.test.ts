import { createHmac, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  REFERENCES_PATH, SESSION_HEADER, SIGNATURE_HEADER, encodeViewer, gatewayPublicKeysSetting, instanceNameSetting, keyIdOf, postgresUrl, readConfig, regionList,
  type Region,
} from '../subgraphs/kit/index.js';
import { SUBGRAPHS } from '../subgraphs/index.js';
import { startGateway, type RunningGateway } from '../gateway/server.js';
import { tokenAuthenticator } from '../gateway/auth.js';
import { SUPERGRAPH_PATH } from '../scripts/lib/supergraph.js';
import { graphqlClient } from './support/client.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';
import {
  GATEWAY_JWS_HEADER, HUB_ADMIN, TEST_GATEWAY_PUBLIC_KEY, TEST_JWT_SECRET, TEST_SIGNER, TEST_SIGNING_KEY, claimsFor, craftSignature,
  signatureClaims, tokenFor, withClaims,
} from './support/security.js';

/**
 * Regions that need not trust each other. A state's team runs its instances on its own server
 * with everything they are configured with: the database URL, its own settings and the gateway's
 * public key. Here that team (SL) turns hostile and goes straight to another region's (NW)
 * instances: forging the gateway's signature with whatever it holds, replaying requests the
 * gateway sent (captured by a proxy in front of an instance, as anyone on the way could), and
 * altering them. Every attempt is refused with HTTP 401 and a stable reason, and NW's data stays
 * as it was; the gateway's own requests keep working.
 */

let hub: TestHub;
let alliancesNwProxy: CapturingProxy;
let peopleSlProxy: CapturingProxy;
const NW_CONTACT = { email: 'k.vertraulich@example.org', phone: '02371 4711' };

interface Captured {
  method: string;
  /** Path and query, as the gateway sent them. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

interface CapturingProxy {
  url: string;
  captured: Captured[];
  /** Requests for which this holds are kept and answered 503 instead of being passed on. */
  withhold?: (request: Captured) => boolean;
  /** Requests for which this holds are refused as an instance refuses a session it does not hold, instead of being passed on. */
  refuse?: (request: Captured) => boolean;
  /** Rewrites the instance's answer to a session offer on its way back (SESSION_HEADER). */
  sessionAnswer?: (answer: string) => string;
  close(): Promise<void>;
}

/** Headers a fetch may not set or that describe the proxy's own connection. */
const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'expect', 'upgrade']);

function forwardable(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && !HOP_BY_HOP.has(entry[0])));
}

/** Records every request on its way to `target` and passes it on unchanged (same path, headers and body). */
async function startCapturingProxy(target: TestSubgraph): Promise<CapturingProxy> {
  const proxy: CapturingProxy = { url: '', captured: [], close: async () => undefined };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: Captured = { method: req.method ?? 'GET', path: req.url ?? '/', headers: forwardable(req.headers), body: Buffer.concat(chunks).toString('utf8') };
    proxy.captured.push(request);
    if (proxy.withhold?.(request)) {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[{"message":"held back"}]}');
      return;
    }
    if (proxy.refuse?.(request)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"message":"Refused","extensions":{"code":"UNAUTHENTICATED","reason":"SESSION_UNKNOWN"}}]}');
      return;
    }
    try {
      const answer = await send(target.url, request);
      const session = answer.session && (proxy.sessionAnswer?.(answer.session) ?? answer.session);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...(session ? { [SESSION_HEADER]: session } : {}) }).end(answer.text);
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  proxy.close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return proxy;
}

interface Answer {
  status: number;
  text: string;
  /** The instance's answer to a session offer, if any. */
  session?: string;
  json?: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** Sends a request (captured, altered or forged) to the server of `url`, at the request's own path. */
async function send(url: string, request: Captured): Promise<Answer> {
  const response = await fetch(new URL(request.path, url), {
    method: request.method, headers: request.headers, body: request.method === 'GET' ? undefined : request.body,
  });
  const text = await response.text();
  let json: Answer['json'];
  try {
    json = JSON.parse(text) as Answer['json'];
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json, session: response.headers.get(SESSION_HEADER) ?? undefined };
}

function expectRefused(answer: Answer, reason: string, what: string): void {
  expect(answer.status, `${what}: ${answer.text.slice(0, 300)}`).toBe(401);
  expect(answer.json?.data, what).toBeUndefined();
  expect(answer.json?.errors?.[0].extensions, what).toEqual({ code: 'UNAUTHENTICATED', reason });
}

const instance = (name: string): TestSubgraph => hub.subgraphs[name];

/** Every row of a table of an instance's database, as `id@version`: what any write would change. */
async function rows(name: string, table: 'alliance' | 'person'): Promise<string[]> {
  const client = new pg.Client({ connectionString: instance(name).databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ row: string }>(`select id || '@' || version as row from ${table} order by id`)).rows.map((r) => r.row);
  } finally {
    await client.end();
  }
}

/** Everything an SL instance is started with, as its environment holds it (`npm run subgraph`). */
function slEnvironment(subgraph: 'alliances' | 'people'): Record<string, string> {
  const sl = instance(`${subgraph}-sl`);
  return {
    DATABASE_URL: sl.databaseUrl,
    PORT: String(sl.port),
    REGIONS: 'SL',
    HUB_SEED: 'true',
    HUB_INSTANCE_NAME: sl.instanceName,
    HUB_GATEWAY_PUBLIC_KEYS: TEST_GATEWAY_PUBLIC_KEY.export({ type: 'spki', format: 'pem' }) as string,
  };
}

/** The algorithm a captured request was signed with: EdDSA (the gateway's key) or HS256 (a session). */
const algorithmOf = (headers: Record<string, string>): string =>
  JSON.parse(Buffer.from(headers[SIGNATURE_HEADER].split('.')[0], 'base64url').toString('utf8')).alg as string;

/** The gateway's session key id as anyone on the way reads it: the `kid` of a session's HS256 header, or the key an EdDSA claim offers. */
async function gatewaySessionKey(): Promise<string> {
  expect((await hub.query('{ alliances(first: 1) { totalCount } people(first: 1) { totalCount } }')).errors).toBeUndefined();
  for (const request of [...alliancesNwProxy.captured, ...peopleSlProxy.captured].reverse()) {
    const [protectedHeader] = request.headers[SIGNATURE_HEADER].split('.');
    const { alg, kid } = JSON.parse(Buffer.from(protectedHeader, 'base64url').toString('utf8')) as { alg: string; kid: string };
    const key = alg === 'HS256' ? kid : signatureClaims(request.headers).session;
    if (key) return key;
  }
  throw new Error('no request on the way carried the gateway\'s session key');
}

/** HS256 as any client computes it. */
const hs256 = (key: string | Buffer) => (input: Buffer) => createHmac('sha256', key).update(input).digest();

/** What the SL operator can make of what it holds: every way to sign a request it can think of. */
function forgeries(
  environment: Record<string, string>, target: TestSubgraph, body: string, sessionKey: string,
): { name: string; headers: Record<string, string>; reason: string }[] {
  const claims = claimsFor(target, body, HUB_ADMIN);
  const own = generateKeyPairSync('ed25519').privateKey;
  const byOwnKey = (input: Buffer) => sign(null, input, own);
  const secrets = Object.entries(environment);
  return [
    { name: 'no signature at all', headers: {}, reason: 'SIGNATURE_MISSING' },
    // The former scheme: an HMAC over time, viewer and body, keyed with anything in the environment.
    ...secrets.map(([setting, secret]) => {
      const at = String(Date.now());
      const viewer = encodeViewer(HUB_ADMIN);
      return {
        name: `an HMAC keyed with ${setting}`, reason: 'SIGNATURE_MALFORMED',
        headers: { 'x-hub-viewer': viewer, 'x-hub-timestamp': at, 'x-hub-signature': createHmac('sha256', secret).update(`${at}\n${viewer}\n${body}`).digest('hex') },
      };
    }),
    // Algorithm confusion: HS256 keyed with the public key (or any other setting), under the gateway's key id: that names no session.
    ...secrets.map(([setting, secret]) => ({
      name: `HS256 keyed with ${setting}`, reason: 'SESSION_UNKNOWN',
      headers: craftSignature({ ...GATEWAY_JWS_HEADER, alg: 'HS256' }, claims, hs256(secret)),
    })),
    // HS256 under the session the gateway holds with this instance (its id travels with every request), keyed with any setting.
    ...secrets.map(([setting, secret]) => ({
      name: `HS256 under the gateway's session, keyed with ${setting}`, reason: 'SIGNATURE_INVALID',
      headers: craftSignature({ alg: 'HS256', typ: 'hub-request', kid: sessionKey }, claims, hs256(secret)),
    })),
    { name: 'alg "none"', headers: craftSignature({ ...GATEWAY_JWS_HEADER, alg: 'none' }, claims, () => Buffer.alloc(0)), reason: 'SIGNATURE_MALFORMED' },
    { name: 'its own Ed25519 key under its own key id', headers: craftSignature({ ...GATEWAY_JWS_HEADER, kid: keyIdOf(own) }, claims, byOwnKey), reason: 'KEY_UNKNOWN' },
    { name: 'its own Ed25519 key under the gateway\'s key id', headers: craftSignature(GATEWAY_JWS_HEADER, claims, byOwnKey), reason: 'SIGNATURE_INVALID' },
  ];
}

beforeAll(async () => {
  hub = await startTestHub({ seed: true, regions: [['SL'], ['NW']] as Region[][] });
  const created = await hub.as(['editor:NW'], 'nw-editor')('mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }', {
    input: { region: 'NW', givenName: 'Karla', familyName: 'Vertraulich', contact: NW_CONTACT },
  });
  expect(created.errors).toBeUndefined();
  // A proxy in front of NW's alliances instance (anyone on the way) and of SL's own people instance (its operator).
  alliancesNwProxy = await startCapturingProxy(instance('alliances-nw'));
  peopleSlProxy = await startCapturingProxy(instance('people-sl'));
  await hub.useTopology(Object.values(hub.subgraphs).map((s) => (s.instanceName === 'alliances-nw' ? { ...s, url: alliancesNwProxy.url }
    : s.instanceName === 'people-sl' ? { ...s, url: peopleSlProxy.url } : s)));
}, 90_000);

afterAll(async () => {
  await hub?.stop();
  await alliancesNwProxy?.close();
  await peopleSlProxy?.close();
});

const NW_PEOPLE = '{ people(first: 100) { edges { node { id name contact { email phone } } } } }';

describe('an operator holding everything a regional (SL) instance is configured with', () => {
  it('holds a working instance configuration with public keys only, nothing that can sign', () => {
    for (const subgraph of ['alliances', 'people'] as const) {
      const environment = slEnvironment(subgraph);
      const settings = readConfig(z.object({
        DATABASE_URL: postgresUrl, REGIONS: regionList, HUB_INSTANCE_NAME: instanceNameSetting, HUB_GATEWAY_PUBLIC_KEYS: gatewayPublicKeysSetting,
      }), environment);
      expect(settings.HUB_GATEWAY_PUBLIC_KEYS.map((key) => key.type)).toEqual(['public']);
      expect(settings.HUB_GATEWAY_PUBLIC_KEYS.map(keyIdOf)).toEqual([TEST_SIGNER.keyId]);
      expect(Object.values(environment).join('\n')).not.toMatch(/PRIVATE KEY/);
    }
  });

  it('(a, c) cannot read NW contact data straight from the NW people instance, whatever it signs with', async () => {
    const target = instance('people-nw');
    const body = JSON.stringify({ query: NW_PEOPLE });
    const attempts = forgeries(slEnvironment('people'), target, body, await gatewaySessionKey());
    expect(attempts.length).toBeGreaterThan(10);
    for (const attempt of attempts) {
      const answer = await send(target.url, { method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', ...attempt.headers }, body });
      expectRefused(answer, attempt.reason, attempt.name);
      expect(answer.text).not.toContain(NW_CONTACT.email);
    }
  });

  it('(b, c) cannot create or delete NW records straight at the NW alliances instance, whatever it signs with', async () => {
    const target = instance('alliances-nw');
    const before = await rows('alliances-nw', 'alliance');
    expect(before.length).toBeGreaterThan(0);
    const writes = [
      'mutation { createAlliance(input: { region: NW, name: "Untergeschobenes Bündnis" }) { id } }',
      `mutation { deleteAlliance(id: "${before[0].split('@')[0]}") }`,
    ];
    const sessionKey = await gatewaySessionKey();
    for (const query of writes) {
      const body = JSON.stringify({ query });
      for (const attempt of forgeries(slEnvironment('alliances'), target, body, sessionKey)) {
        const answer = await send(target.url, { method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', ...attempt.headers }, body });
        expectRefused(answer, attempt.reason, `${attempt.name}: ${query}`);
      }
    }
    expect(await rows('alliances-nw', 'alliance')).toEqual(before);
  });

  it('(d) cannot replay a captured gateway request to the instance it was for: the nonce was seen', async () => {
    const before = await rows('alliances-nw', 'alliance');
    const created = await hub.as(['editor:NW'], 'nw-editor')('mutation { createAlliance(input: { region: NW, name: "Bündnis für Familie Hemer" }) { id } }');
    expect(created.errors).toBeUndefined();
    const after = await rows('alliances-nw', 'alliance');
    expect(after).toHaveLength(before.length + 1);
    const genuine = alliancesNwProxy.captured.find((r) => r.body.includes('Hemer'))!;
    expect(genuine).toBeDefined();
    expect(signatureClaims(genuine.headers).aud).toBe('alliances-nw');

    expectRefused(await send(instance('alliances-nw').url, genuine), 'NONCE_REPLAYED', 'the same request again');
    expectRefused(await send(instance('alliances-nw').url, genuine), 'NONCE_REPLAYED', 'and once more');
    expect(await rows('alliances-nw', 'alliance')).toEqual(after);
  });

  it('(d) cannot replay a request the gateway sent to its own instance at another region\'s instance: it names its audience', async () => {
    const read = await hub.query(NW_PEOPLE);
    expect(read.errors).toBeUndefined();
    expect(JSON.stringify(read.data)).toContain(NW_CONTACT.email);
    // The hub admin's read as SL's people instance received it: signed for people-sl, with a hub-admin viewer.
    const captured = peopleSlProxy.captured.filter((r) => r.body.includes('contact'));
    expect(captured.length).toBeGreaterThan(0);
    for (const request of captured) {
      expect(signatureClaims(request.headers)).toMatchObject({ aud: 'people-sl', viewer: encodeViewer(HUB_ADMIN) });
      // A session's HMAC holds only for the instance that agreed it; the gateway's own signature names its audience.
      const misdirected = algorithmOf(request.headers) === 'EdDSA' ? 'AUDIENCE_MISMATCH' : 'SIGNATURE_INVALID';
      const answer = await send(instance('people-nw').url, request);
      expectRefused(answer, misdirected, 'replayed at people-nw');
      expect(answer.text).not.toContain(NW_CONTACT.email);
      // Re-aimed at people-nw, the signature no longer holds.
      expectRefused(await send(instance('people-nw').url, { ...request, headers: withClaims(request.headers, (c) => ({ ...c, aud: 'people-nw' })) }),
        'SIGNATURE_INVALID', 're-aimed at people-nw');
    }
    // A write captured on its way to NW's alliances instance is no more use at SL's, nor at NW's people instance.
    const nwWrite = alliancesNwProxy.captured.find((r) => r.body.includes('Hemer'))!;
    const misdirected = algorithmOf(nwWrite.headers) === 'EdDSA' ? 'AUDIENCE_MISMATCH' : 'SIGNATURE_INVALID';
    expectRefused(await send(instance('alliances-sl').url, nwWrite), misdirected, 'alliances-nw request at alliances-sl');
    expectRefused(await send(instance('people-nw').url, nwWrite), misdirected, 'alliances-nw request at people-nw');
  });

  it('(e) cannot alter the path, method or body of a captured request; unaltered, it was genuine', async () => {
    const target = instance('alliances-nw');
    // Held back on the way, so that only the alteration can be what an instance refuses: a write and the next /references probe.
    const seen = alliancesNwProxy.captured.length;
    alliancesNwProxy.withhold = (r) => r.body.includes('Menden') || r.path === REFERENCES_PATH;
    const held = await hub.as(['editor:NW'], 'nw-editor')('mutation { createAlliance(input: { region: NW, name: "Bündnis für Familie Menden" }) { id } }');
    expect(held.errors).toBeDefined();
    const heldProbe = () => alliancesNwProxy.captured.slice(seen).find((r) => r.path === REFERENCES_PATH);
    for (let i = 0; i < 100 && !heldProbe(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    alliancesNwProxy.withhold = undefined;
    const genuine = alliancesNwProxy.captured.find((r) => r.body.includes('Menden'))!;
    const probe = heldProbe()!;
    const before = await rows('alliances-nw', 'alliance');

    expectRefused(await send(target.url, { ...genuine, path: '/graphql?again=1' }), 'REQUEST_MISMATCH', 'another query string');
    expectRefused(await send(target.url, { ...genuine, path: '/graphql/../graphql?x' }), 'REQUEST_MISMATCH', 'another spelling of the path');
    expectRefused(await send(target.url, { ...genuine, body: genuine.body.replace('Menden', 'Balve') }), 'BODY_MISMATCH', 'another name');
    expectRefused(await send(target.url, { ...genuine, body: JSON.stringify({ query: `mutation { deleteAlliance(id: "${before[0].split('@')[0]}") }` }) }),
      'BODY_MISMATCH', 'a delete instead');
    // The probe of /references (GET, no body) turned into a POST, or into a GraphQL request.
    expect(probe.method).toBe('GET');
    expectRefused(await send(target.url, { ...probe, method: 'POST' }), 'REQUEST_MISMATCH', 'the probe as POST');
    expectRefused(await send(target.url, { ...probe, method: 'POST', path: '/graphql' }), 'REQUEST_MISMATCH', 'the probe at /graphql');
    expect(await rows('alliances-nw', 'alliance')).toEqual(before);

    // Unaltered, the held-back requests are accepted once: the refusals above were for the alterations.
    const delivered = await send(target.url, genuine);
    expect(delivered.status, delivered.text).toBe(200);
    expect(delivered.json?.errors).toBeUndefined();
    expect(await rows('alliances-nw', 'alliance')).toHaveLength(before.length + 1);
    expectRefused(await send(target.url, genuine), 'NONCE_REPLAYED', 'delivered twice');
    expect((await send(target.url, probe)).status).toBe(200);
  });

  it('(f) holding the session key the gateway uses with its own instance opens no other instance', async () => {
    // The SL operator runs its people instance with an X25519 key it knows: here its proxy puts that key into the
    // instance's answer to a session offer. Refusing one request under the current session makes the gateway offer one.
    const own = generateKeyPairSync('x25519');
    const ownKey = (own.publicKey.export({ format: 'jwk' }) as { x: string }).x;
    let refusedOnce = false;
    peopleSlProxy.refuse = (r) => !refusedOnce && algorithmOf(r.headers) === 'HS256' && (refusedOnce = true);
    peopleSlProxy.sessionAnswer = (answer) => `${answer.split('.')[0]}.${ownKey}`;
    const seen = peopleSlProxy.captured.length;
    try {
      for (let i = 0; i < 3; i++) expect((await hub.query(NW_PEOPLE)).errors).toBeUndefined();
    } finally {
      peopleSlProxy.refuse = undefined;
      peopleSlProxy.sessionAnswer = undefined;
    }
    const traffic = peopleSlProxy.captured.slice(seen);
    const offer = traffic.find((r) => algorithmOf(r.headers) === 'EdDSA' && signatureClaims(r.headers).session);
    expect(offer, 'the gateway offered a session').toBeDefined();
    const gatewayKey = signatureClaims(offer!.headers).session!;
    // The session key as the operator computes it (RFC 7748 X25519, then HKDF-SHA-256 over both keys and the instance's name).
    const shared = diffieHellman({ privateKey: own.privateKey, publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: gatewayKey }, format: 'jwk' }) });
    const key = Buffer.from(hkdfSync('sha256', shared, '', `hub-request session|people-sl|${gatewayKey}|${ownKey}`, 32));
    const underOwnKey = traffic.filter((r) => {
      const [protectedHeader, claims, mac] = r.headers[SIGNATURE_HEADER].split('.');
      return algorithmOf(r.headers) === 'HS256' && hs256(key)(Buffer.from(`${protectedHeader}.${claims}`)).toString('base64url') === mac;
    });
    expect(underOwnKey.length, 'the gateway sent SL requests under the operator\'s session key').toBeGreaterThan(0);

    // With that key: NW's contact data and NW's records stay out of reach.
    const sessionHeader = { alg: 'HS256', typ: 'hub-request', kid: gatewayKey };
    const peopleNw = instance('people-nw');
    const read = JSON.stringify({ query: NW_PEOPLE });
    const answer = await send(peopleNw.url, {
      method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', ...craftSignature(sessionHeader, claimsFor(peopleNw, read, HUB_ADMIN), hs256(key)) }, body: read,
    });
    expectRefused(answer, 'SIGNATURE_INVALID', 'a read of NW people under the SL session key');
    expect(answer.text).not.toContain(NW_CONTACT.email);
    const captured = underOwnKey[0];
    const reaimed = craftSignature(sessionHeader, { ...signatureClaims(captured.headers), aud: 'people-nw' }, hs256(key));
    expectRefused(await send(peopleNw.url, { ...captured, headers: { ...captured.headers, ...reaimed } }), 'SIGNATURE_INVALID', 'an SL request re-aimed at people-nw');
    const before = await rows('alliances-nw', 'alliance');
    const write = JSON.stringify({ query: 'mutation { createAlliance(input: { region: NW, name: "Untergeschobenes Bündnis" }) { id } }' });
    const alliancesNw = instance('alliances-nw');
    expectRefused(await send(alliancesNw.url, {
      method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', ...craftSignature(sessionHeader, claimsFor(alliancesNw, write, HUB_ADMIN), hs256(key)) }, body: write,
    }), 'SIGNATURE_INVALID', 'a write at alliances-nw under the SL session key');
    expect(await rows('alliances-nw', 'alliance')).toEqual(before);
    // The gateway gets over the false answer: its next request to people-sl offers a session anew, which the instance answers itself.
    expect((await hub.query(NW_PEOPLE)).errors).toBeUndefined();
  });

  it('leaves the gateway\'s own requests working, for every region', async () => {
    const nwPeople = await rows('people-nw', 'person');
    const editor = hub.as(['editor:NW'], 'nw-editor');
    const created = await editor('mutation { createAlliance(input: { region: NW, name: "Bündnis für Familie Balve" }) { id region } }');
    expect(created.errors).toBeUndefined();
    expect(created.data.createAlliance.region).toBe('NW');
    const deleted = await editor(`mutation { deleteAlliance(id: "${created.data.createAlliance.id}") }`);
    expect(deleted.errors).toBeUndefined();
    const read = await hub.query(`${NW_PEOPLE.slice(0, -1)} alliances(first: 100) { totalCount } }`);
    expect(read.errors).toBeUndefined();
    expect(JSON.stringify(read.data)).toContain(NW_CONTACT.email);
    expect(await rows('people-nw', 'person')).toEqual(nwPeople);
    const topology = await hub.query('{ hubTopology { subgraphs { instances { name status } } } }');
    for (const { instances } of topology.data.hubTopology.subgraphs) {
      for (const i of instances as { name: string; status: string }[]) expect(i.status, i.name).toBe('UP');
    }
  });
});

describe('rotating the gateway\'s key', () => {
  const started: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const service of started.reverse()) await service.stop();
  });

  it('takes no downtime: instances accept the old and the new key, then the new one only', async () => {
    const next = generateKeyPairSync('ed25519');
    const both = [TEST_GATEWAY_PUBLIC_KEY, next.publicKey];
    const instances = await Promise.all(SUBGRAPHS.map((definition) => startTestSubgraph(definition, { seed: true, gatewayPublicKeys: both })));
    started.push(...instances);
    const gatewayWith = async (signingKey: KeyObject): Promise<RunningGateway> => {
      const gateway = await startGateway({
        supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
        subgraphUrls: Object.fromEntries(instances.map((i) => [i.name, i.url])),
        security: { signingKey, authenticate: await tokenAuthenticator({ secret: TEST_JWT_SECRET }) },
        port: 0,
        host: '127.0.0.1',
      });
      started.push(gateway);
      return gateway;
    };
    const token = await tokenFor('rotation-admin', ['hub-admin']);
    const ask = (gateway: RunningGateway, query: string) => graphqlClient(gateway.url)(query, {}, { authorization: `Bearer ${token}` });
    const COUNT = '{ alliances(first: 0) { totalCount } networks(region: SL) { name } }';

    // Step 2 done (both keys on every instance): the gateway on the old key and on the new key both work.
    const old = await gatewayWith(TEST_SIGNING_KEY);
    const fresh = await gatewayWith(next.privateKey);
    for (const gateway of [old, fresh]) {
      const answer = await ask(gateway, COUNT);
      expect(answer.errors).toBeUndefined();
      expect(answer.data.alliances.totalCount).toBeGreaterThan(0);
    }

    // Step 4: the old key removed (the alliances instance restarted with the new key only).
    const alliances = instances.find((i) => i.name === 'alliances')!;
    await alliances.stop();
    started.splice(started.indexOf(alliances), 1);
    started.push(await startTestSubgraph(SUBGRAPHS.find((d) => d.name === 'alliances')!, {
      port: alliances.port, databaseUrl: alliances.databaseUrl, gatewayPublicKeys: [next.publicKey],
    }));
    const answer = await ask(fresh, COUNT);
    expect(answer.errors).toBeUndefined();
    // A gateway still on the old key is refused there: the instance shows DOWN, its reason naming the unknown key.
    const late = await gatewayWith(TEST_SIGNING_KEY);
    const topology = await ask(late, '{ hubTopology { subgraphs { subgraph instances { name status reason } } } }');
    const instance = topology.data.hubTopology.subgraphs.find((s: { subgraph: string }) => s.subgraph === 'alliances').instances[0];
    expect(instance).toMatchObject({ name: 'alliances', status: 'DOWN', reason: expect.stringContaining('KEY_UNKNOWN') });
    expect((await ask(late, COUNT)).data).toBeNull();
  });
});
