import { createHmac, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../data/demo/ids.js';
import { startGateway, type RunningGateway } from '../gateway/server.js';
import { tokenAuthenticator } from '../gateway/auth.js';
import { SUPERGRAPH_PATH } from '../scripts/lib/supergraph.js';
import {
  RequestSigner, encodeViewer, viewerFromRoles, ANONYMOUS, type Region, type RequestClaims, type Viewer,
} from '../subgraphs/kit/index.js';
import { startTestHub, type TestHub } from './support/hub.js';
import {
  GATEWAY_JWS_HEADER, HUB_ADMIN, TEST_JWT_SECRET, TEST_SIGNER, TEST_SIGNING_KEY, claimsFor, craftSignature, gatewaySignature, tokenFor, withClaims,
} from './support/security.js';
import {
  JSON_HEADERS, claims, craftToken, expectNoInternals, fingerprint, graphqlPost, oversizedThenOrdinary, send,
  type RawAnswer, type RawRequest,
} from './support/hostile.js';

/**
 * Hostile requests over real HTTP, each built by hand (body, headers, content type), against the
 * gateway of a seeded hub and directly against its subgraph instances. Every case asserts the exact
 * HTTP status and error code (and the message where it is stable), that no error shows a stack
 * trace or other internals, that the hub answers the next ordinary request, and that nothing was
 * written (a fingerprint of counts and versions taken before and after).
 *
 * The hubs run with NODE_ENV=development, as `npm start` does, so nothing here relies on a test
 * mode hiding stack traces.
 */

let hub: TestHub;
/** One instance per subgraph owning only the demo regions (SL, NW, BW, ST, DE, TH): HH, BY, … have no instance. */
let regional: TestHub;
/** A second gateway in production mode over the plain hub's instances. */
let production: RunningGateway;
const previousNodeEnv = process.env.NODE_ENV;

beforeAll(async () => {
  process.env.NODE_ENV = 'development';
  [hub, regional] = await Promise.all([
    startTestHub({ seed: true }),
    startTestHub({ seed: true, regions: [['SL', 'NW', 'BW', 'ST', 'DE', 'TH']] as Region[][] }),
  ]);
  production = await startGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    subgraphUrls: Object.fromEntries(Object.values(hub.subgraphs).map((s) => [s.name, s.url])),
    security: { signingKey: TEST_SIGNING_KEY, authenticate: await tokenAuthenticator({ secret: TEST_JWT_SECRET }) },
    environment: 'production',
    port: 0,
    host: '127.0.0.1',
  });
}, 120_000);

afterAll(async () => {
  await production?.stop();
  await Promise.all([hub?.stop(), regional?.stop()]);
  process.env.NODE_ENV = previousNodeEnv;
});

type Target = 'plain' | 'regional' | 'production';

interface HostileCase {
  name: string;
  /** Which gateway the case is about (its hub is fingerprinted); the plain hub unless told. */
  target?: Target;
  request: () => RawRequest | Promise<RawRequest>;
  status: number;
  /**
   * The `extensions.code` of the error the case is about (one of several where the right code is a
   * matter of taste); null: no errors at all.
   */
  code: string | string[] | null;
  /** That error's message; without it, the case is about the first error. */
  message?: string | RegExp;
  /** Further assertions on the answer. */
  check?: (answer: RawAnswer) => void | Promise<void>;
}

const gatewayUrl = (target: Target = 'plain') =>
  target === 'production' ? production.url : target === 'regional' ? regional.gateway.url : hub.gateway.url;
const hubOf = (target: Target = 'plain') => (target === 'regional' ? regional : hub);
const subgraphUrl = (name: 'alliances' | 'networks' | 'projects' | 'people') => hub.subgraphs[name].url;

/** A JSON POST to a gateway. */
const post = (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}, target: Target = 'plain') =>
  () => graphqlPost(gatewayUrl(target), query, variables, headers);
/** The same with a bearer token made at request time. */
const postWithToken = (token: () => string | Promise<string>, query: string, variables?: Record<string, unknown>, target: Target = 'plain') =>
  async () => graphqlPost(gatewayUrl(target), query, variables, { authorization: `Bearer ${await token()}` });
const rawBody = (body: string | Uint8Array, headers: Record<string, string> = JSON_HEADERS, method = 'POST') =>
  () => ({ url: gatewayUrl(), method, headers, body });
/** An oversized body, on a connection of its own (see `oversizedThenOrdinary` for what reusing it does). */
const oversized = (url: () => string, bytes: number) => () => ({ url: url(), headers: { ...JSON_HEADERS }, body: bodyOfSize(bytes), ownConnection: true });

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const hubAdminToken = () => tokenFor('hostile-hub-admin', ['hub-admin']);
const signedToken = (extra: Record<string, unknown>) => craftToken({ alg: 'HS256', typ: 'JWT' }, claims(extra), { secret: TEST_JWT_SECRET });

/** Another Ed25519 key than the gateway's: what anyone can make. */
const STRANGER = new RequestSigner(generateKeyPairSync('ed25519').privateKey);

/** A request to a subgraph instance signed as the gateway signs it, with optional tampering. */
function subgraphRequest(
  name: 'alliances' | 'networks' | 'projects' | 'people', query: string, variables: Record<string, unknown> | undefined,
  proof: {
    viewer?: Viewer; signer?: RequestSigner; now?: number; headers?: (signed: Record<string, string>) => Record<string, string>; body?: (body: string) => string;
  } | 'unsigned',
): () => RawRequest {
  return () => {
    const instance = hub.subgraphs[name];
    const body = JSON.stringify(variables ? { query, variables } : { query });
    if (proof === 'unsigned') return { url: instance.url, headers: { ...JSON_HEADERS }, body };
    const signed = (proof.signer ?? TEST_SIGNER).sign({
      audience: instance.instanceName, method: 'POST', path: new URL(instance.url).pathname, body, viewer: proof.viewer ?? HUB_ADMIN,
    }, proof.now);
    return {
      url: instance.url,
      headers: { ...JSON_HEADERS, ...(proof.headers ? proof.headers(signed) : signed) },
      body: proof.body ? proof.body(body) : body,
    };
  };
}

/** A signature made with the gateway's own key over claims of our choosing. */
function craftedRequest(
  name: 'alliances' | 'networks' | 'projects' | 'people', query: string, change: (claims: RequestClaims) => Record<string, unknown>,
): () => RawRequest {
  return () => {
    const instance = hub.subgraphs[name];
    const body = JSON.stringify({ query });
    return { url: instance.url, headers: { ...JSON_HEADERS, ...craftSignature(GATEWAY_JWS_HEADER, change(claimsFor(instance, body))) }, body };
  };
}

/** A valid request of exactly `bytes` bytes (ASCII), padded with an unused variable. */
function bodyOfSize(bytes: number): string {
  const empty = JSON.stringify({ query: '{ __typename }', variables: { pad: '' } });
  const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(bytes - empty.length) } });
  expect(Buffer.byteLength(body)).toBe(bytes);
  return body;
}

const SAARBRUECKEN = 'Lokales Bündnis für Familien im Regionalverband Saarbrücken';
const CSRF = /^This operation has been blocked as a potential Cross-Site Request Forgery \(CSRF\)\. Please either specify a 'content-type' header/;
const NOT_JSON_OBJECT = 'POST body missing, invalid Content-Type, or JSON object has no keys.';
const BEARER_FORMAT = 'The Authorization header must be "Bearer <JWT>"';
const NOT_FROM_GATEWAY = 'Refused: the request does not come from the hub\'s gateway';
const WRONG_SIGNATURE = 'Refused: the request\'s signature is wrong';
const EXPIRED_SIGNATURE = 'Refused: the request\'s signature is too old or too new';
const UNREADABLE_SIGNATURE = 'Refused: the request\'s signature cannot be read';
const UNKNOWN_KEY = 'Refused: the request is signed with a key this instance does not trust';
const OTHER_BODY = 'Refused: the request\'s body is not the one signed';
const UNREADABLE_VIEWER = 'Refused: the request\'s viewer cannot be read';
const NEEDS_TOKEN = 'Writing needs a signed-in editor: send a bearer token';

/** `{ alliances { edges { node { memberships { alliance { … name } } } } } }`, `levels` membership/alliance pairs deep. */
function deepQuery(levels: number): string {
  let inner = 'name';
  for (let i = 0; i < levels; i++) inner = `memberships { alliance { ${inner} } }`;
  return `{ alliances(first: 1) { edges { node { ${inner} } } } }`;
}

/** A list of lists of lists: ~22,700 by graphql-armor's cost model when `first` is a literal 100. */
const costBomb = (first: string) => `{ alliances(first: ${first}) { edges { node { memberships { organization { memberships {
  alliance { memberships { organization { name kind } } } } } } } } } }`;

const ORDINARY = `{ alliance(id: "${DEMO.alliance.saarbruecken}") { name } }`;

/** The ordinary request every case is followed by. */
async function expectHubAnswers(target: Target): Promise<void> {
  const next = await send(graphqlPost(gatewayUrl(target), ORDINARY));
  expect(next.status, 'the hub answers the next ordinary request').toBe(200);
  expect(next.json, 'the hub answers the next ordinary request').toEqual({ data: { alliance: { name: SAARBRUECKEN } } });
}

/**
 * Waits until the hub answers again, so that one case that breaks it (it fails on its own) does
 * not fail the cases after it: an instance marked DOWN is probed again every 2 s.
 */
async function untilHubAnswers(target: Target): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const next = await send(graphqlPost(gatewayUrl(target), ORDINARY), 6_000).catch(() => undefined);
    if (next?.json?.data?.alliance?.name === SAARBRUECKEN) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function runCase(c: HostileCase): Promise<void> {
  const target = c.target ?? 'plain';
  const owner = hubOf(target);
  await untilHubAnswers(target);
  const before = await fingerprint(owner.query);

  const answer = await send(await c.request());
  const shown = answer.text.slice(0, 600);
  expect(answer.status, shown).toBe(c.status);
  expectNoInternals(answer);
  const errors = answer.json?.errors ?? [];
  if (c.code === null) {
    expect(answer.json?.errors, shown).toBeUndefined();
  } else {
    const matches = (message: string) => c.message === undefined || (typeof c.message === 'string' ? message === c.message : c.message.test(message));
    const error = c.message === undefined ? errors[0] : errors.find((e) => matches(e.message));
    expect(error, `an error ${c.message ?? ''} in ${shown}`).toBeDefined();
    const codes = Array.isArray(c.code) ? c.code : [c.code];
    expect(codes, `the code of ${JSON.stringify(error)}`).toContain(error?.extensions?.code);
  }
  await c.check?.(answer);

  // The hub still answers an ordinary request, and nothing was written.
  await expectHubAnswers(target);
  expect(await fingerprint(owner.query), 'nothing was written').toEqual(before);
}

const table = (cases: HostileCase[]) => cases.map((c) => [c.name, c] as const);

// ---------------------------------------------------------------------------------------------
// 1. The HTTP envelope: bodies that are no GraphQL request, methods, content types, sizes.
// ---------------------------------------------------------------------------------------------
const HTTP_CASES: HostileCase[] = [
  { name: 'malformed JSON', request: rawBody('{"query": "{ __typename }"'), status: 400, code: 'BAD_REQUEST', message: 'The request body is not valid JSON' },
  { name: 'an empty JSON body', request: rawBody(''), status: 400, code: 'BAD_REQUEST', message: 'The request body is not valid JSON' },
  { name: 'invalid UTF-8 and NUL bytes as body', request: rawBody(new Uint8Array([0x7b, 0xff, 0xfe, 0x00, 0x7d]), { 'content-type': 'application/json' }), status: 400, code: 'BAD_REQUEST', message: 'The request body is not valid JSON' },
  { name: 'a batch (JSON array) is refused', request: rawBody(JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }])), status: 400, code: 'BAD_REQUEST', message: 'Operation batching disabled.' },
  { name: 'a batch of mutations is refused', request: rawBody(JSON.stringify([{ query: `mutation { deleteAlliance(id: "${DEMO.alliance.saarbruecken}") }` }])), status: 400, code: 'BAD_REQUEST', message: 'Operation batching disabled.' },
  { name: 'a JSON string as body', request: rawBody('"{ __typename }"'), status: 400, code: 'BAD_REQUEST', message: NOT_JSON_OBJECT },
  { name: 'a JSON number as body', request: rawBody('42'), status: 400, code: 'BAD_REQUEST', message: NOT_JSON_OBJECT },
  { name: 'JSON null as body', request: rawBody('null'), status: 400, code: 'BAD_REQUEST', message: NOT_JSON_OBJECT },
  { name: 'an empty JSON object', request: rawBody('{}'), status: 400, code: 'BAD_REQUEST', message: NOT_JSON_OBJECT },
  { name: 'no query in the body', request: rawBody('{"variables": {}, "operationName": null}'), status: 400, code: 'BAD_REQUEST', message: 'GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.' },
  { name: 'a query that is a number', request: rawBody('{"query": 5}'), status: 400, code: 'BAD_REQUEST', message: 'GraphQL queries must be strings.' },
  { name: 'variables as a JSON-encoded string', request: rawBody('{"query": "{ __typename }", "variables": "{}"}'), status: 400, code: 'BAD_REQUEST', message: '`variables` in a POST body should be provided as an object, not a recursively JSON-encoded string.' },
  {
    name: 'a body one byte over 1,000,000 bytes', status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body exceeds 1000000 bytes',
    request: oversized(() => gatewayUrl(), 1_000_001),
  },
  { name: 'a 20 MB body', request: oversized(() => gatewayUrl(), 20_000_000), status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body exceeds 1000000 bytes' },
  {
    name: 'a body of exactly 1,000,000 bytes is still served', status: 200, code: null,
    request: () => ({ url: gatewayUrl(), headers: JSON_HEADERS, body: bodyOfSize(1_000_000) }),
    check: (answer) => expect(answer.json?.data).toEqual({ __typename: 'Query' }),
  },
  {
    name: 'JSON nested 100,000 levels deep in an unused variable', status: 200, code: null,
    request: rawBody(`{"query":"{ __typename }","variables":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`),
    check: (answer) => expect(answer.json?.data).toEqual({ __typename: 'Query' }),
  },
  { name: 'GET without a preflight header (CSRF)', request: () => ({ url: `${gatewayUrl()}?query=${encodeURIComponent('{ __typename }')}`, method: 'GET' }), status: 400, code: 'BAD_REQUEST', message: CSRF },
  { name: 'POST text/plain without a preflight header (CSRF)', request: rawBody('{"query": "{ __typename }"}', { 'content-type': 'text/plain' }), status: 400, code: 'BAD_REQUEST', message: CSRF },
  { name: 'a mutation as text/plain (CSRF), with a valid token', request: async () => ({ url: gatewayUrl(), headers: { 'content-type': 'text/plain', ...bearer(await hubAdminToken()) }, body: JSON.stringify({ query: `mutation { deleteAlliance(id: "${DEMO.alliance.saarbruecken}") }` }) }), status: 400, code: 'BAD_REQUEST', message: CSRF },
  { name: 'POST without any content type (CSRF)', request: rawBody(new TextEncoder().encode('{"query": "{ __typename }"}'), {}), status: 400, code: 'BAD_REQUEST', message: CSRF },
  { name: 'POST as an HTML form (CSRF)', request: rawBody('query=%7B__typename%7D', { 'content-type': 'application/x-www-form-urlencoded' }), status: 400, code: 'BAD_REQUEST', message: CSRF },
  { name: 'POST as multipart form data (CSRF)', request: rawBody('--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ __typename }\r\n--x--\r\n', { 'content-type': 'multipart/form-data; boundary=x' }), status: 400, code: 'BAD_REQUEST', message: CSRF },
  {
    name: 'a mutation over GET, even with the preflight header and a token', status: 405, code: 'BAD_REQUEST', message: 'GET requests only support query operations, not mutation operations',
    request: async () => ({
      url: `${gatewayUrl()}?query=${encodeURIComponent(`mutation { deleteAlliance(id: "${DEMO.alliance.saarbruecken}") }`)}`,
      method: 'GET', headers: { 'apollo-require-preflight': 'true', ...bearer(await hubAdminToken()) },
    }),
  },
  { name: 'PUT', request: rawBody('{"query": "{ __typename }"}', JSON_HEADERS, 'PUT'), status: 405, code: 'BAD_REQUEST', message: 'Apollo Server supports only GET/POST requests.' },
  { name: 'DELETE', request: rawBody('{"query": "{ __typename }"}', JSON_HEADERS, 'DELETE'), status: 405, code: 'BAD_REQUEST', message: 'Apollo Server supports only GET/POST requests.' },
  { name: 'a path that is not served', request: () => ({ url: gatewayUrl().replace(/\/graphql$/, '/graphql/../admin?x=1'), headers: JSON_HEADERS, body: '{}' }), status: 404, code: 'NOT_FOUND', message: 'Nothing at /admin; GraphQL is served at /graphql' },
];

// ---------------------------------------------------------------------------------------------
// 2. Documents: syntax, validation and the query limits (graphql-armor at the gateway).
// ---------------------------------------------------------------------------------------------
const DOCUMENT_CASES: HostileCase[] = [
  // A client's syntax error is the client's fault: 400 GRAPHQL_PARSE_FAILED, as Apollo Server answers it without armor.
  { name: 'a syntax error is a 400, not a 500', request: post('{ alliances { '), status: 400, code: 'GRAPHQL_PARSE_FAILED', message: /^Syntax Error: Expected Name, found <EOF>\./ },
  { name: 'several operations without operationName', request: post('query A { __typename } query B { __typename }'), status: 400, code: 'OPERATION_RESOLUTION_FAILURE', message: 'Must provide operation name if query contains multiple operations.' },
  { name: 'an operationName that names no operation', request: () => ({ url: gatewayUrl(), headers: JSON_HEADERS, body: JSON.stringify({ query: 'query A { __typename }', operationName: 'C' }) }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE', message: 'Unknown operation named "C".' },
  { name: 'fragments spreading each other in a cycle', request: post('{ alliances { ...A } } fragment A on AllianceConnection { totalCount ...B } fragment B on AllianceConnection { ...A }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: 'Cannot spread fragment "A" within itself via "B".' },
  { name: 'an unknown field, with a suggestion in development', request: post('{ allianc { id } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: 'Cannot query field "allianc" on type "Query". Did you mean "alliance" or "alliances"?' },
  { name: 'production hides field suggestions', target: 'production', request: post('{ allianc { id } }', undefined, {}, 'production'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: 'Cannot query field "allianc" on type "Query". [Suggestion hidden]?' },
  // "Did you mean …" is blocked in production: enum values must not be suggested either (they would map the schema that introspection hides).
  { name: 'production hides enum value suggestions', target: 'production', request: post('{ networks(region: SLL) { id } }', undefined, {}, 'production'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: /^Value "SLL" does not exist in "Region" enum\.(?!.*Did you mean)/ },
  { name: 'production refuses introspection', target: 'production', request: post('{ __schema { types { name fields { name } } } }', undefined, {}, 'production'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: /^GraphQL introspection is not allowed by Apollo Server/ },
  { name: 'the subgraphs\' _service is not part of the public API', request: post('{ _service { sdl } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: 'Cannot query field "_service" on type "Query".' },
  { name: 'the subgraphs\' _entities is not part of the public API', request: post(`{ _entities(representations: [{ __typename: "Person", id: "${DEMO.person.kemmer}" }]) { __typename } }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: 'Cannot query field "_entities" on type "Query".' },
  { name: 'the hidden erasure steps cannot be called through the gateway', request: postWithToken(hubAdminToken, `mutation { forgetPersonInPeople(personId: "${DEMO.person.kemmer}") }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: 'Cannot query field "forgetPersonInPeople" on type "Mutation".' },

  { name: 'depth 12 is still allowed', request: post(deepQuery(4)), status: 200, code: null, check: (a) => expect(a.json?.data?.alliances.edges).toHaveLength(1) },
  { name: 'depth 14, beyond the limit of 12', request: post(deepQuery(5)), status: 400, code: 'BAD_USER_INPUT', message: 'Syntax Error: Query depth limit of 12 exceeded, found 14.' },
  { name: 'depth 104', request: post(deepQuery(50)), status: 400, code: 'BAD_USER_INPUT', message: 'Syntax Error: Query depth limit of 12 exceeded, found 104.' },
  {
    name: 'depth hidden in nested fragments', status: 400, code: 'BAD_USER_INPUT', message: /^Syntax Error: Query depth limit of 12 exceeded, found \d+\.$/,
    request: post(`{ alliances { edges { node { ...A } } } }
      fragment A on Alliance { memberships { alliance { ...B } } }
      fragment B on Alliance { memberships { alliance { ...C } } }
      fragment C on Alliance { memberships { alliance { ...D } } }
      fragment D on Alliance { memberships { alliance { ...E } } }
      fragment E on Alliance { memberships { alliance { name } } }`),
  },
  { name: '30 aliases are still allowed', request: post(`{ ${Array.from({ length: 30 }, (_, i) => `a${i}: regions { region }`).join(' ')} }`), status: 200, code: null },
  { name: 'alias bomb: 31 aliases', request: post(`{ ${Array.from({ length: 31 }, (_, i) => `a${i}: regions { region }`).join(' ')} }`), status: 400, code: 'BAD_USER_INPUT', message: 'Syntax Error: Aliases limit of 30 exceeded, found 31.' },
  { name: 'alias bomb: 200 aliased alliance lookups', request: post(`{ ${Array.from({ length: 200 }, (_, i) => `a${i}: alliance(id: "${DEMO.alliance.iserlohn}") { name }`).join(' ')} }`), status: 400, code: 'BAD_USER_INPUT', message: 'Syntax Error: Aliases limit of 30 exceeded, found 200.' },
  { name: 'token bomb: 3,000 fields exceed the token limit (a 400, not a 500)', request: post(`{ ${Array.from({ length: 3_000 }, () => '__typename').join(' ')} }`), status: 400, code: 'GRAPHQL_PARSE_FAILED', message: 'Syntax Error: Document contains more that 3000 tokens. Parsing aborted.' },
  { name: '20 directives are still allowed', request: post(`{ ${Array.from({ length: 20 }, () => '... @include(if: true) { __typename }').join(' ')} }`), status: 200, code: null },
  { name: 'directive bomb: 21 directives', request: post(`{ ${Array.from({ length: 21 }, () => '... @include(if: true) { __typename }').join(' ')} }`), status: 400, code: 'BAD_USER_INPUT', message: 'Syntax Error: Directives limit of 20 exceeded, found 21.' },
  { name: 'directive bomb: @include ×50 on one field', request: post(`{ __typename ${'@include(if: true) '.repeat(50)}}`), status: 400, code: 'BAD_USER_INPUT', message: 'Syntax Error: Directives limit of 20 exceeded, found 50.' },
  { name: 'cost bomb: nested lists with first: 100', request: post(costBomb('100')), status: 400, code: 'BAD_USER_INPUT', message: /^Syntax Error: Query Cost limit of 20000 exceeded, found [\d.]+\.$/ },
  // The same document with `first` in a variable must cost the same: otherwise the limit is one variable away.
  { name: 'cost bomb: the same nested lists with first: $n = 100', request: post(`query Bomb($n: Int!) ${costBomb('$n')}`, { n: 100 }), status: 400, code: 'BAD_USER_INPUT', message: /^Syntax Error: Query Cost limit of 20000 exceeded, found [\d.]+\.$/ },
];

// ---------------------------------------------------------------------------------------------
// 3. Page sizes and cursors.
// ---------------------------------------------------------------------------------------------
const FIRST_TOO_LARGE = 'Invalid input: first: first must not be greater than 100';
const PAGING_CASES: HostileCase[] = [
  ...['alliances', 'organizations', 'projects', 'people'].flatMap((list): HostileCase[] => [
    {
      name: `${list}(first: 1000)`, request: post(`{ ${list}(first: 1000) { totalCount } }`), status: 200, code: 'BAD_USER_INPUT', message: FIRST_TOO_LARGE,
      check: (a) => expect(a.json?.errors?.[0].extensions?.validationErrors).toEqual([{ field: 'first', messages: ['first must not be greater than 100'] }]),
    },
    { name: `${list}(first: -1)`, request: post(`{ ${list}(first: -1) { totalCount } }`), status: 200, code: 'BAD_USER_INPUT', message: 'Invalid input: first: first must not be less than 0' },
    { name: `${list}(after: <garbage>)`, request: post(`{ ${list}(after: "garbage!") { totalCount } }`), status: 200, code: 'BAD_USER_INPUT', message: '"garbage!" is not a cursor of this list' },
  ]),
  { name: 'networks(first: 1000)', request: post('{ networks(first: 1000) { id } }'), status: 200, code: 'BAD_USER_INPUT', message: 'first must be between 0 and 100' },
  { name: 'networks(first: -5)', request: post('{ networks(first: -5) { id } }'), status: 200, code: 'BAD_USER_INPUT', message: 'first must be between 0 and 100' },
  { name: 'first beyond a 32-bit integer, as a variable', request: post('query($n: Int!) { alliances(first: $n) { totalCount } }', { n: 99_999_999_999 }), status: 400, code: 'BAD_USER_INPUT', message: 'Variable "$n" got invalid value 99999999999; Int cannot represent non 32-bit signed integer value: 99999999999' },
  { name: 'first as a string variable', request: post('query($n: Int!) { people(first: $n) { totalCount } }', { n: '10; drop table person' }), status: 400, code: 'BAD_USER_INPUT', message: /^Variable "\$n" got invalid value "10; drop table person"; Int cannot represent non-integer value/ },
  { name: 'a cursor that decodes to an object', request: post('query($a: String) { alliances(after: $a) { totalCount } }', { a: Buffer.from('{"a":1}').toString('base64url') }), status: 200, code: 'BAD_USER_INPUT', message: '"eyJhIjoxfQ" is not a cursor of this list' },
  { name: 'a cursor that decodes to numbers', request: post('query($a: String) { people(after: $a) { totalCount } }', { a: Buffer.from('[1,2]').toString('base64url') }), status: 200, code: 'BAD_USER_INPUT', message: '"WzEsMl0" is not a cursor of this list' },
  { name: 'a cursor of 100,000 characters', request: post('query($a: String) { projects(after: $a) { totalCount } }', { a: 'A'.repeat(100_000) }), status: 200, code: 'BAD_USER_INPUT', message: /is not a cursor of this list$/ },
  {
    name: 'a well-formed cursor carrying SQL is only data', status: 200, code: null,
    request: post('query($a: String) { alliances(first: 10, after: $a) { totalCount edges { node { id } } } }', { a: Buffer.from(JSON.stringify(['\' or 1=1; drop table alliance; --', 'x'])).toString('base64url') }),
    check: (a) => expect(a.json?.data?.alliances.totalCount).toBeGreaterThanOrEqual(4),
  },
];

// ---------------------------------------------------------------------------------------------
// 4. Tokens: every malformed, expired or forged one is refused with 401 (never treated as anonymous).
// ---------------------------------------------------------------------------------------------
const DELETE_SAARBRUECKEN = `mutation { deleteAlliance(id: "${DEMO.alliance.saarbruecken}") }`;
const tokenCase = (name: string, authorization: () => string | Promise<string>, message: string | RegExp, query = '{ __typename }'): HostileCase => ({
  name, status: 401, code: 'UNAUTHENTICATED', message,
  request: async () => graphqlPost(gatewayUrl(), query, undefined, { authorization: await authorization() }),
  check: (a) => expect(a.json?.data).toBeUndefined(),
});
const TOKEN_CASES: HostileCase[] = [
  tokenCase('a bearer that is no JWT', () => 'Bearer not-a-token', BEARER_FORMAT),
  tokenCase('Basic authentication', () => 'Basic aHViLWFkbWluOnNlY3JldA==', BEARER_FORMAT),
  tokenCase('two bearer tokens', async () => `Bearer ${await hubAdminToken()}, Bearer ${await hubAdminToken()}`, BEARER_FORMAT),
  tokenCase('three segments of garbage', () => 'Bearer aaaa.bbbb.cccc', 'Refused: the token cannot be verified'),
  tokenCase('an expired hub-admin token, for a delete', async () => `Bearer ${await tokenFor('hostile', ['hub-admin'], { expiresIn: Math.floor(Date.now() / 1000) - 60 })}`, 'Refused: the token has expired', DELETE_SAARBRUECKEN),
  tokenCase('a token signed with another secret', async () => `Bearer ${await tokenFor('hostile', ['hub-admin'], { secret: 'another-secret-0123456789abcdef0123456' })}`, 'Refused: the token\'s signature is wrong', DELETE_SAARBRUECKEN),
  tokenCase('alg: none without a signature', () => `Bearer ${craftToken({ alg: 'none', typ: 'JWT' }, claims())}`, BEARER_FORMAT, DELETE_SAARBRUECKEN),
  tokenCase('alg: none with a made-up signature', () => `Bearer ${craftToken({ alg: 'none', typ: 'JWT' }, claims(), undefined, 'c2lnbmF0dXJl')}`, 'Refused: the token cannot be verified', DELETE_SAARBRUECKEN),
  tokenCase('HS512 with the right secret', () => `Bearer ${craftToken({ alg: 'HS512', typ: 'JWT' }, claims(), { secret: TEST_JWT_SECRET, hash: 'sha512' })}`, 'Refused: the token cannot be verified', DELETE_SAARBRUECKEN),
  tokenCase('HS384 with the right secret', () => `Bearer ${craftToken({ alg: 'HS384', typ: 'JWT' }, claims(), { secret: TEST_JWT_SECRET, hash: 'sha384' })}`, 'Refused: the token cannot be verified'),
  tokenCase('RS256 in the header, HMAC-signed with the secret (algorithm confusion)', () => `Bearer ${craftToken({ alg: 'RS256', typ: 'JWT' }, claims(), { secret: TEST_JWT_SECRET })}`, 'Refused: the token cannot be verified', DELETE_SAARBRUECKEN),
  tokenCase('an unknown critical header', () => `Bearer ${craftToken({ alg: 'HS256', crit: ['x-hub'], 'x-hub': 1 }, claims(), { secret: TEST_JWT_SECRET })}`, 'Refused: the token cannot be verified'),
  tokenCase('a correctly signed payload that is no JSON', () => {
    const input = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('not json').toString('base64url')}`;
    return `Bearer ${input}.${createHmac('sha256', TEST_JWT_SECRET).update(input).digest('base64url')}`;
  }, 'Refused: the token cannot be verified'),
  tokenCase('claims raised to hub-admin after signing', async () => {
    const [header, , signature] = (await tokenFor('hostile', ['editor:NW'])).split('.');
    return `Bearer ${header}.${Buffer.from(JSON.stringify(claims({ sub: 'hostile', roles: ['hub-admin'] }))).toString('base64url')}.${signature}`;
  }, 'Refused: the token\'s signature is wrong', DELETE_SAARBRUECKEN),
  tokenCase('no sub claim', () => `Bearer ${signedToken({ sub: undefined })}`, 'Refused: the token\'s sub claim is not accepted', DELETE_SAARBRUECKEN),
  tokenCase('no exp claim', () => `Bearer ${signedToken({ exp: undefined })}`, 'Refused: the token\'s exp claim is not accepted', DELETE_SAARBRUECKEN),
  tokenCase('an exp that is no number', () => `Bearer ${signedToken({ exp: 'never' })}`, 'Refused: the token\'s exp claim is not accepted'),
  tokenCase('not valid before ten minutes from now', () => `Bearer ${signedToken({ nbf: Math.floor(Date.now() / 1000) + 600 })}`, 'Refused: the token\'s nbf claim is not accepted', DELETE_SAARBRUECKEN),
  // A subject is what the audit log records: an empty one is as good as none.
  {
    name: 'an empty sub claim (a write would be recorded for nobody)', status: 401, code: 'UNAUTHENTICATED',
    request: () => graphqlPost(gatewayUrl(), 'mutation { createOrganization(input: { region: SL, name: "Schreiber ohne Namen", kind: OTHER }) { id } }', undefined,
      bearer(signedToken({ sub: '', roles: ['editor:SL'] }))),
  },
];

// ---------------------------------------------------------------------------------------------
// 5. Writes without the right to write: anonymous, another region's roles, look-alike roles.
// ---------------------------------------------------------------------------------------------
const forbidden = (subject: string, region: string) => `${subject} may not write data of region ${region}`;
const writeCase = (name: string, roles: string[] | null, query: string, code: string, message: string, region?: string): HostileCase => ({
  name, status: 200, code, message,
  request: roles ? postWithToken(() => tokenFor('hostile', roles), query) : post(query),
  check: (a) => {
    expect(a.json?.data ?? null).toBeNull();
    if (region) expect(a.json?.errors?.[0].extensions?.region).toBe(region);
  },
});
const WRITE_CASES: HostileCase[] = [
  writeCase('anonymous createAlliance', null, 'mutation { createAlliance(input: { region: SL, name: "Anonym" }) { id } }', 'UNAUTHENTICATED', NEEDS_TOKEN),
  writeCase('anonymous deleteAlliance', null, DELETE_SAARBRUECKEN, 'UNAUTHENTICATED', NEEDS_TOKEN),
  writeCase('anonymous updatePerson granting itself consent', null, `mutation { updatePerson(input: { id: "${DEMO.person.kemmer}", version: 1, consent: { publicListing: true, recordedOn: "2024", source: "x" } }) { id } }`, 'UNAUTHENTICATED', NEEDS_TOKEN),
  writeCase('anonymous createMeeting', null, `mutation { createMeeting(input: { networkId: "${DEMO.network.landesnetzwerkSaarland}", title: "Anonym" }) { id } }`, 'UNAUTHENTICATED', NEEDS_TOKEN),
  writeCase('anonymous deleteProject', null, `mutation { deleteProject(id: "${DEMO.project.unimedkidsKurzzeitbetreuung}") }`, 'UNAUTHENTICATED', NEEDS_TOKEN),
  writeCase('anonymous erasePerson', null, `mutation { erasePerson(id: "${DEMO.person.kemmer}") { complete } }`, 'UNAUTHENTICATED', 'Erasure needs a signed-in admin: send a bearer token'),
  writeCase('editor:SL updates an NW alliance', ['editor:SL'], `mutation { updateAlliance(input: { id: "${DEMO.alliance.iserlohn}", version: 1, name: "Übernommen" }) { id } }`, 'FORBIDDEN', forbidden('hostile', 'NW'), 'NW'),
  writeCase('editor:SL deletes an NW alliance', ['editor:SL'], `mutation { deleteAlliance(id: "${DEMO.alliance.iserlohn}") }`, 'FORBIDDEN', forbidden('hostile', 'NW'), 'NW'),
  writeCase('editor:SL creates an alliance in NW', ['editor:SL'], 'mutation { createAlliance(input: { region: NW, name: "Untergeschoben" }) { id } }', 'FORBIDDEN', forbidden('hostile', 'NW'), 'NW'),
  writeCase('editor:SL adds its own organisation to an NW alliance', ['editor:SL'], `mutation { createMembership(input: { organizationId: "${DEMO.organization.impuls}", allianceId: "${DEMO.alliance.iserlohn}" }) { id } }`, 'FORBIDDEN', forbidden('hostile', 'NW'), 'NW'),
  writeCase('editor:SL adds a meeting to a BW network', ['editor:SL'], `mutation { createMeeting(input: { networkId: "${DEMO.network.argeBw}", title: "Untergeschoben" }) { id } }`, 'FORBIDDEN', forbidden('hostile', 'BW'), 'BW'),
  writeCase('editor:SL withdraws the consent of a BW person', ['editor:SL'], `mutation { updatePerson(input: { id: "${DEMO.person.moser}", version: 1, consent: { publicListing: false } }) { id } }`, 'FORBIDDEN', forbidden('hostile', 'BW'), 'BW'),
  writeCase('editor:SL deletes a ST meeting', ['editor:SL'], `mutation { deleteMeeting(id: "${DEMO.meeting.fachtagHaldensleben}") }`, 'FORBIDDEN', forbidden('hostile', 'ST'), 'ST'),
  writeCase('admin:NW deletes an SL project', ['admin:NW'], `mutation { deleteProject(id: "${DEMO.project.unimedkidsKurzzeitbetreuung}") }`, 'FORBIDDEN', forbidden('hostile', 'SL'), 'SL'),
  writeCase('admin:NW erases an SL person', ['admin:NW'], `mutation { erasePerson(id: "${DEMO.person.kemmer}") { complete } }`, 'FORBIDDEN', 'hostile may not erase people of region SL', 'SL'),
  writeCase('editor:SL (not admin) erases an SL person', ['editor:SL'], `mutation { erasePerson(id: "${DEMO.person.kemmer}") { complete } }`, 'FORBIDDEN', 'hostile may not erase people of region SL', 'SL'),
  // A role the hub does not know refuses the whole token, look-alikes of real roles included.
  ...[['editor:sl', '"editor:sl" names no region: "sl" is not one of'], ['Editor:SL', '"Editor:SL" is not a role'],
    ['editor:SL ', '"editor:SL " names no region'], ['hub-admin ', '"hub-admin " is not a role'], ['HUB-ADMIN', '"HUB-ADMIN" is not a role'],
    ['editor:*', '"editor:*" names no region'], ['admin:', '"admin:" names no region'], ['editor:XX', '"editor:XX" names no region: "XX" is not one of']]
    .map(([role, reason]) => tokenCase(`a look-alike role ${JSON.stringify(role)}`, async () => `Bearer ${await tokenFor('hostile', ['editor:NW', role])}`,
      new RegExp(`^Refused: the token's roles are not accepted: ${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), DELETE_SAARBRUECKEN)),
  tokenCase('roles as a string instead of a list', () => `Bearer ${signedToken({ roles: 'hub-admin' })}`,
    'Refused: the token\'s roles are not accepted: the roles claim must be a list of roles', DELETE_SAARBRUECKEN),
  {
    name: 'an update cannot move a record to another region', status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: /^Field "region" is not defined by type "UpdateAllianceInput"\./,
    request: postWithToken(hubAdminToken, `mutation { updateAlliance(input: { id: "${DEMO.alliance.saarbruecken}", version: 1, region: NW }) { id region } }`),
  },
  writeCase('a mutation with a malformed id', ['hub-admin'], 'mutation { deleteAlliance(id: "garbage; drop table alliance") }', 'BAD_USER_INPUT', '"garbage; drop table alliance" is not a valid alliance id (expected REGION:alliance:KEY, e.g. SL:alliance:…)'),
];

// ---------------------------------------------------------------------------------------------
// 6. Straight to a subgraph instance, past the gateway: only requests the gateway signed are answered.
// ---------------------------------------------------------------------------------------------
const SDL = '{ _service { sdl } }';
const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id name contact { email phone } } } }';
const ENTITY_VARS = { r: [{ __typename: 'Person', id: DEMO.person.moser }, { __typename: 'Person', id: DEMO.person.kemmer }] };
const CREATE_SL = 'mutation { createAlliance(input: { region: SL, name: "Hintertür" }) { id } }';
const editorNw = viewerFromRoles('hostile-nw', ['editor:NW']);
const editorSl = viewerFromRoles('hostile-sl', ['editor:SL']);
const subgraphCase = (name: string, request: () => RawRequest, message: string, reason: string): HostileCase => ({
  name, request, status: 401, code: 'UNAUTHENTICATED', message, check: (a) => {
    expect(a.json?.data).toBeUndefined();
    expect(a.json?.errors?.[0].extensions?.reason).toBe(reason);
  },
});
/** Changes the claims of a signed request, keeping its signature. */
const tampered = (change: (claims: RequestClaims) => Record<string, unknown>) => (signed: Record<string, string>) => withClaims(signed, change);
const SUBGRAPH_CASES: HostileCase[] = [
  subgraphCase('unsigned _service { sdl }', subgraphRequest('alliances', SDL, undefined, 'unsigned'), NOT_FROM_GATEWAY, 'SIGNATURE_MISSING'),
  subgraphCase('unsigned _entities (contact data)', subgraphRequest('people', ENTITIES, ENTITY_VARS, 'unsigned'), NOT_FROM_GATEWAY, 'SIGNATURE_MISSING'),
  subgraphCase('unsigned mutation', subgraphRequest('alliances', CREATE_SL, undefined, 'unsigned'), NOT_FROM_GATEWAY, 'SIGNATURE_MISSING'),
  subgraphCase('unsigned erasure step', subgraphRequest('people', `mutation { forgetPersonInPeople(personId: "${DEMO.person.kemmer}") }`, undefined, 'unsigned'), NOT_FROM_GATEWAY, 'SIGNATURE_MISSING'),
  subgraphCase('a hub-admin viewer header without a signature', subgraphRequest('projects', `mutation { deleteProject(id: "${DEMO.project.unimedkidsKurzzeitbetreuung}") }`, undefined,
    { headers: () => ({ 'x-hub-viewer': encodeViewer(HUB_ADMIN) }) }), NOT_FROM_GATEWAY, 'SIGNATURE_MISSING'),
  subgraphCase('signed with another Ed25519 key', subgraphRequest('networks', SDL, undefined, { signer: STRANGER }), UNKNOWN_KEY, 'KEY_UNKNOWN'),
  subgraphCase('_entities signed with another key under the gateway\'s key id', subgraphRequest('people', ENTITIES, ENTITY_VARS, {
    signer: STRANGER, headers: (s) => ({ 'x-hub-signature': s['x-hub-signature'].replace(/^[^.]+/, Buffer.from(JSON.stringify(GATEWAY_JWS_HEADER)).toString('base64url')) }),
  }), WRONG_SIGNATURE, 'SIGNATURE_INVALID'),
  subgraphCase('signed two minutes ago', subgraphRequest('projects', SDL, undefined, { now: Date.now() - 2 * 60_000 }), EXPIRED_SIGNATURE, 'SIGNATURE_EXPIRED'),
  subgraphCase('a mutation signed two minutes ago (replay)', subgraphRequest('alliances', CREATE_SL, undefined, { now: Date.now() - 2 * 60_000 }), EXPIRED_SIGNATURE, 'SIGNATURE_EXPIRED'),
  subgraphCase('signed two minutes in the future', subgraphRequest('people', SDL, undefined, { now: Date.now() + 2 * 60_000 }), EXPIRED_SIGNATURE, 'SIGNATURE_EXPIRED'),
  subgraphCase('a correctly signed time that is no number', craftedRequest('alliances', SDL, (c) => ({ ...c, at: '1e13' })), UNREADABLE_SIGNATURE, 'SIGNATURE_MALFORMED'),
  subgraphCase('correctly signed claims without a nonce', craftedRequest('alliances', SDL, ({ nonce: _, ...c }) => c), UNREADABLE_SIGNATURE, 'SIGNATURE_MALFORMED'),
  subgraphCase('the time renewed after signing', subgraphRequest('alliances', SDL, undefined,
    { now: Date.now() - 2 * 60_000, headers: tampered((c) => ({ ...c, at: Date.now() })) }), WRONG_SIGNATURE, 'SIGNATURE_INVALID'),
  subgraphCase('the body changed after signing (query swapped for a mutation)', subgraphRequest('alliances', `{ alliance(id: "${DEMO.alliance.saarbruecken}") { name } }`, undefined,
    { body: () => JSON.stringify({ query: `mutation { deleteAlliance(id: "${DEMO.alliance.saarbruecken}") }` }) }), OTHER_BODY, 'BODY_MISMATCH'),
  subgraphCase('the body changed after signing (one variable)', subgraphRequest('people', ENTITIES, ENTITY_VARS,
    { body: (b) => b.replace(DEMO.person.moser, DEMO.person.braemer) }), OTHER_BODY, 'BODY_MISMATCH'),
  subgraphCase('the signed viewer swapped for a hub-admin one', subgraphRequest('alliances', `mutation { deleteAlliance(id: "${DEMO.alliance.saarbruecken}") }`, undefined,
    { viewer: editorNw, headers: tampered((c) => ({ ...c, viewer: encodeViewer(HUB_ADMIN) })) }), WRONG_SIGNATURE, 'SIGNATURE_INVALID'),
  subgraphCase('an anonymous request\'s viewer swapped for an editor of the region', subgraphRequest('people', ENTITIES, ENTITY_VARS,
    { viewer: ANONYMOUS, headers: tampered((c) => ({ ...c, viewer: encodeViewer(viewerFromRoles('x', ['editor:BW', 'editor:SL'])) })) }), WRONG_SIGNATURE, 'SIGNATURE_INVALID'),
  subgraphCase('a signature that is not base64url', subgraphRequest('people', SDL, undefined,
    { headers: (s) => ({ 'x-hub-signature': s['x-hub-signature'].replace(/[^.]+$/, '!!'.repeat(43)) }) }), WRONG_SIGNATURE, 'SIGNATURE_INVALID'),
  subgraphCase('a signature of zeros', subgraphRequest('networks', SDL, undefined,
    { headers: (s) => ({ 'x-hub-signature': s['x-hub-signature'].replace(/[^.]+$/, Buffer.alloc(64).toString('base64url')) }) }), WRONG_SIGNATURE, 'SIGNATURE_INVALID'),
  subgraphCase('a truncated signature', subgraphRequest('networks', SDL, undefined,
    { headers: (s) => ({ 'x-hub-signature': s['x-hub-signature'].slice(0, -20) }) }), WRONG_SIGNATURE, 'SIGNATURE_INVALID'),
  subgraphCase('a signature header that is no JWS', subgraphRequest('alliances', SDL, undefined, { headers: () => ({ 'x-hub-signature': '0'.repeat(64) }) }),
    UNREADABLE_SIGNATURE, 'SIGNATURE_MALFORMED'),
  subgraphCase('a correctly signed viewer that is no viewer', craftedRequest('alliances', SDL, (c) => ({ ...c, viewer: 'bm90IGpzb24' })), UNREADABLE_VIEWER, 'VIEWER_UNREADABLE'),
  subgraphCase('a correctly signed viewer with missing role lists', craftedRequest('alliances', CREATE_SL,
    (c) => ({ ...c, viewer: Buffer.from('{"s":"x","h":true}').toString('base64url') })), UNREADABLE_VIEWER, 'VIEWER_UNREADABLE'),
  { name: 'GET to a subgraph', request: () => ({ url: `${subgraphUrl('people')}?query=${encodeURIComponent(SDL)}`, method: 'GET', headers: { 'apollo-require-preflight': 'true' } }), status: 405, code: 'METHOD_NOT_ALLOWED', message: 'Subgraphs answer only POST requests from the gateway' },
  { name: 'malformed JSON to a subgraph', request: () => ({ url: subgraphUrl('projects'), headers: JSON_HEADERS, body: '{"query":' }), status: 400, code: 'BAD_REQUEST', message: 'The request body is not valid JSON' },
  { name: 'an oversized body to a subgraph', request: oversized(() => subgraphUrl('alliances'), 2_000_000), status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body exceeds 1000000 bytes' },
  {
    name: 'a correctly signed text/plain request to a subgraph (CSRF)', status: 400, code: 'BAD_REQUEST', message: CSRF,
    request: subgraphRequest('alliances', CREATE_SL, undefined, { headers: (s) => ({ ...s, 'content-type': 'text/plain' }) }),
  },
  {
    name: 'a signed anonymous mutation on a subgraph', status: 200, code: 'UNAUTHENTICATED', message: NEEDS_TOKEN,
    request: subgraphRequest('alliances', CREATE_SL, undefined, { viewer: ANONYMOUS }),
  },
  {
    name: 'a signed editor:SL runs an erasure step on a subgraph (admins only)', status: 200, code: 'FORBIDDEN', message: 'hostile-sl may not erase people of region SL',
    request: subgraphRequest('people', `mutation { forgetPersonInPeople(personId: "${DEMO.person.kemmer}") }`, undefined, { viewer: editorSl }),
  },
  ...([
    ['a Person representation without its id', 'people', ENTITIES, 'Person', undefined, DEMO.person.moser],
    ['a Person representation whose id is a number', 'people', ENTITIES, 'Person', 7, DEMO.person.moser],
    ['an Alliance representation with an empty id, where people only adds fields to it', 'people',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Alliance { contacts { name } } } }', 'Alliance', '', DEMO.alliance.saarbruecken],
    ['a Project representation with an id of 10,000 characters', 'projects',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Project { title } } }', 'Project', `SL:project:${'p'.repeat(10_000)}`,
      DEMO.project.unimedkidsKurzzeitbetreuung],
  ] as const).map(([name, subgraph, query, type, id, good]): HostileCase => ({
    // Refused at its place only: the good representation beside it is answered.
    name: `a signed _entities request with ${name}`, status: 200, code: 'BAD_USER_INPUT',
    message: `A representation of ${type} needs its id: a string of 1 to 200 characters`,
    request: subgraphRequest(subgraph, query, { r: [{ __typename: type, id }, { __typename: type, id: good }] }, {}),
    check: (a) => {
      expect(a.json?.errors).toHaveLength(1);
      expect(a.json?.errors?.[0]).toMatchObject({ path: ['_entities', 0], extensions: { code: 'BAD_USER_INPUT', field: 'representations' } });
      expect(a.json?.data?._entities[0]).toBeNull();
      // The good representation's fields are there.
      expect(Object.keys(a.json?.data?._entities[1] ?? {}).length).toBeGreaterThan(0);
    },
  })),
  {
    name: 'a signed anonymous _entities request sees no contact data without consent', status: 200, code: null,
    request: subgraphRequest('people', ENTITIES, ENTITY_VARS, { viewer: ANONYMOUS }),
    check: (a) => expect(a.json?.data?._entities).toEqual([
      { id: DEMO.person.moser, name: 'Aline Moser', contact: { email: 'moser@hddienste.de', phone: '06221-141013' } },
      { id: DEMO.person.kemmer, name: 'Michael Kemmer', contact: null },
    ]),
  },
];

// ---------------------------------------------------------------------------------------------
// 7. Text filters: any string is only data for the full-text search.
// ---------------------------------------------------------------------------------------------
/** [what, the text, whether it can match no record at all] */
const INJECTIONS: [string, string, boolean][] = [
  ['SQL', '\'; drop table alliance; --', true],
  ['SQL with quotes and comments', '") OR 1=1; /* \' OR \'\'=\' */ --', false],
  ['tsquery syntax', 'foo:* | bar', true],
  ['tsquery operators only', '!!! & | <-> ( ) :* \\', true],
  ['exclamation marks', '!!!', true],
  ['backslashes', '\\\\', true],
  ['LIKE wildcards', '%_%', true],
  ['dollar quoting', '$$; select pg_sleep(10); $$', true],
  ['emoji', '👨‍👩‍👧‍👦🎉 Familie 🏳️‍🌈', false],
  ['right-to-left override and combining marks', '\u202eeilimaF S\u0308aarbru\u0308cken', true],
  ['only whitespace', ' \t\n ', true],
  ['10,000 characters of words', 'Familie Bündnis '.repeat(625), false],
  ['a single word of 10,000 letters', 'a'.repeat(10_000), true],
];
const TEXT_FILTERS: [string, string, (data: any) => number][] = [
  ['alliances', 'query($t: String) { result: alliances(first: 5, filter: { text: $t }) { totalCount edges { node { id name } } } }', (d) => d.result.totalCount],
  ['organizations', 'query($t: String) { result: organizations(first: 5, filter: { text: $t }) { totalCount edges { node { id name } } } }', (d) => d.result.totalCount],
  ['networks', 'query($t: String) { result: networks(filter: { text: $t }) { id name } }', (d) => d.result.length],
  ['projects', 'query($t: String) { result: projects(first: 5, filter: { text: $t }) { totalCount edges { node { id title } } } }', (d) => d.result.totalCount],
  ['people', 'query($t: String) { result: people(first: 5, filter: { text: $t }) { totalCount edges { node { id name } } } }', (d) => d.result.totalCount],
];
const TEXT_CASES: HostileCase[] = TEXT_FILTERS.flatMap(([list, query, count]) => INJECTIONS.map(([kind, text, matchesNothing]): HostileCase => ({
  name: `${list}: filter.text with ${kind}`, status: 200, code: null,
  request: post(query, { t: text }),
  check: (a) => {
    expect(count(a.json?.data)).toBeGreaterThanOrEqual(0);
    // Strings without a searchable word, or whose words are found nowhere, match nothing.
    if (matchesNothing) expect(count(a.json?.data)).toBe(0);
  },
})));
// Control characters are refused before any search: PostgreSQL cannot take a NUL.
const CONTROL_CASES: HostileCase[] = TEXT_FILTERS.map(([list, query]): HostileCase => ({
  name: `${list}: filter.text with a NUL byte`, status: 200, code: 'BAD_USER_INPUT', message: /^filter\.text of \w+ contains U\+0000/,
  request: post(query, { t: 'Fami\u0000lie' }),
  check: (a) => {
    expect(a.json?.errors?.[0]?.extensions?.field).toBe('filter.text');
    expect(a.json?.data ?? null).toBeNull();
  },
}));

// ---------------------------------------------------------------------------------------------
// 8. Ids and regions.
// ---------------------------------------------------------------------------------------------
const badId = (id: string, kind: string) => `"${id}" is not a valid ${kind} id (expected REGION:${kind}:KEY, e.g. SL:${kind}:…)`;
const idCase = (field: string, kind: string, id: string, label: string): HostileCase => ({
  name: `${field}(id: ${label})`, status: 200, code: 'BAD_USER_INPUT', message: badId(id, kind),
  request: post(`query($id: ID!) { ${field}(id: $id) { id } }`, { id }),
  check: (a) => expect(a.json?.data).toEqual({ [field]: null }),
});
const ID_CASES: HostileCase[] = [
  idCase('alliance', 'alliance', 'Iserlohn', 'a plain name'),
  idCase('alliance', 'alliance', 'XX:alliance:iserlohn', 'an unknown region'),
  idCase('alliance', 'alliance', 'nw:alliance:iserlohn', 'a lower-case region'),
  idCase('alliance', 'alliance', 'NW:project:iserlohn-nachmittagsbetreuung', 'an id of another kind'),
  idCase('organization', 'organization', 'SL:organization:', 'an empty key'),
  idCase('network', 'network', 'SL:network:../../etc/passwd', 'a path'),
  idCase('meeting', 'meeting', 'SL:meeting:x\' OR \'1\'=\'1', 'SQL'),
  idCase('project', 'project', `SL:project:${'k'.repeat(65)}`, 'a key of 65 characters'),
  idCase('person', 'person', `SL:person:${'x'.repeat(100_000)}`, 'a key of 100,000 characters'),
  { name: 'person(id: a NUL byte)', status: 200, code: 'BAD_USER_INPUT', message: /^id of person contains U\+0000/,
    request: post('query($id: ID!) { person(id: $id) { id } }', { id: 'SL:person:kemmer\u0000' }),
    check: (a) => expect(a.json?.data).toEqual({ person: null }) },
  idCase('membership', 'membership', 'SL:membership:saarbruecken-impuls\n', 'a trailing newline'),
  { name: 'networks(region: XX)', request: post('{ networks(region: XX) { id } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: 'Value "XX" does not exist in "Region" enum.' },
  { name: 'networks(region: $r) with r = "XX"', request: post('query($r: Region) { networks(region: $r) { id } }', { r: 'XX' }), status: 400, code: 'BAD_USER_INPUT', message: 'Variable "$r" got invalid value "XX"; Value "XX" does not exist in "Region" enum.' },
  { name: 'filter.regions with an unknown region', request: post('{ alliances(filter: { regions: [SL, XX] }) { totalCount } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: 'Value "XX" does not exist in "Region" enum.' },
  { name: 'statistics over an unknown region, as a variable', request: post('query($r: [Region!]) { projectStatistics(filter: { regions: $r }) { total } }', { r: ['SL', 'SL\'; --'] }), status: 400, code: 'BAD_USER_INPUT', message: /^Variable "\$r" got invalid value "SL'; --" at "r\[1\]"; Value "SL'; --" does not exist in "Region" enum\./ },
  { name: 'a new record\'s region as a string', request: postWithToken(hubAdminToken, 'mutation { createAlliance(input: { region: "SL", name: "x" }) { id } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: /^Enum "Region" cannot represent non-enum value: "SL"\./ },
  { name: 'a new record\'s region in lower case', request: postWithToken(hubAdminToken, 'mutation { createPerson(input: { region: sl, familyName: "x" }) { id } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: /^Value "sl" does not exist in "Region" enum\./ },
  { name: 'a new record in region XX, as a variable', request: postWithToken(hubAdminToken, 'mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }', { i: { region: 'XX', title: 'x' } }), status: 400, code: 'BAD_USER_INPUT', message: /^Variable "\$i" got invalid value "XX" at "i\.region"; Value "XX" does not exist in "Region" enum\./ },
];

// ---------------------------------------------------------------------------------------------
// 9. Regions no instance owns (a hub whose instances own SL, NW, BW, ST, DE and TH only).
// ---------------------------------------------------------------------------------------------
const notServed = (name: string, query: string, subgraph: string, region: string, roles: string[] = ['hub-admin']): HostileCase => ({
  name, target: 'regional', status: 200, code: 'REGION_NOT_SERVED', message: `No ${subgraph} instance owns region ${region}`,
  request: postWithToken(() => tokenFor('hostile', roles), query, undefined, 'regional'),
  check: (a) => {
    expect(a.json?.errors?.[0].extensions).toMatchObject({ region, subgraph });
    expect(Object.values(a.json?.data ?? {}).every((v) => v === null)).toBe(true);
  },
});
const REGION_CASES: HostileCase[] = [
  notServed('createAlliance in HH', 'mutation { createAlliance(input: { region: HH, name: "Hamburg" }) { id } }', 'alliances', 'HH'),
  notServed('createOrganization in BE', 'mutation { createOrganization(input: { region: BE, name: "Berlin", kind: OTHER }) { id } }', 'alliances', 'BE'),
  notServed('createNetwork in HH', 'mutation { createNetwork(input: { region: HH, name: "Hamburg", kind: LANDESNETZWERK }) { id } }', 'networks', 'HH'),
  notServed('createProject in BY', 'mutation { createProject(input: { region: BY, title: "Bayern" }) { id } }', 'projects', 'BY'),
  notServed('createPerson in MV', 'mutation { createPerson(input: { region: MV, familyName: "Nord" }) { id } }', 'people', 'MV'),
  notServed('updateAlliance of an HH id', 'mutation { updateAlliance(input: { id: "HH:alliance:hamburg", version: 1, name: "x" }) { id } }', 'alliances', 'HH'),
  notServed('deletePerson of an HH id', 'mutation { deletePerson(id: "HH:person:x") }', 'people', 'HH'),
  notServed('createMeeting in an HH network', 'mutation { createMeeting(input: { networkId: "HH:network:x", title: "x" }) { id } }', 'networks', 'HH'),
  notServed('createMembership in an HH alliance', `mutation { createMembership(input: { allianceId: "HH:alliance:x", organizationId: "${DEMO.organization.impuls}" }) { id } }`, 'alliances', 'HH'),
  notServed('reading an HH alliance', '{ alliance(id: "HH:alliance:x") { id } }', 'alliances', 'HH'),
  {
    name: 'erasePerson of an HH person reports the erasure incomplete', target: 'regional', status: 200, code: null,
    request: postWithToken(hubAdminToken, 'mutation { erasePerson(id: "HH:person:x") { complete steps { subgraph error } } }', undefined, 'regional'),
    check: (a) => {
      expect(a.json?.data?.erasePerson.complete).toBe(false);
      expect(a.json?.data?.erasePerson.steps).toContainEqual({ subgraph: 'people', error: 'no people instance owns region HH' });
    },
  },
  {
    name: 'a signed request straight to an instance for a region it does not own', target: 'regional', status: 200, code: 'REGION_NOT_SERVED',
    message: 'This instance does not own region HH (it owns SL, NW, BW, ST, DE, TH)',
    request: () => {
      const body = JSON.stringify({ query: 'mutation { createAlliance(input: { region: HH, name: "Hamburg" }) { id } }' });
      const instance = Object.values(regional.subgraphs).find((s) => s.name === 'alliances')!;
      return { url: instance.url, headers: { ...JSON_HEADERS, ...gatewaySignature(instance, body, HUB_ADMIN) }, body };
    },
  },
  // Who may write is decided before where the write would go: the caller learns nothing about the topology.
  {
    name: 'anonymous createAlliance in an unserved region is UNAUTHENTICATED', target: 'regional', status: 200, code: 'UNAUTHENTICATED', message: NEEDS_TOKEN,
    request: post('mutation { createAlliance(input: { region: HH, name: "Hamburg" }) { id } }', undefined, {}, 'regional'),
  },
  {
    name: 'editor:SL createAlliance in an unserved region is FORBIDDEN', target: 'regional', status: 200, code: 'FORBIDDEN', message: forbidden('hostile', 'HH'),
    request: postWithToken(() => tokenFor('hostile', ['editor:SL']), 'mutation { createAlliance(input: { region: HH, name: "Hamburg" }) { id } }', undefined, 'regional'),
  },
];

describe('hostile requests: the HTTP envelope', () => {
  it.each(table(HTTP_CASES))('%s', (_name, c) => runCase(c));
});
describe('hostile requests: documents and query limits', () => {
  it.each(table(DOCUMENT_CASES))('%s', (_name, c) => runCase(c));
});
describe('hostile requests: page sizes and cursors', () => {
  it.each(table(PAGING_CASES))('%s', (_name, c) => runCase(c));
});
describe('hostile requests: tokens', () => {
  it.each(table(TOKEN_CASES))('%s', (_name, c) => runCase(c));
});
describe('hostile requests: writes without the right', () => {
  it.each(table(WRITE_CASES))('%s', (_name, c) => runCase(c));
});
describe('hostile requests: straight to a subgraph', () => {
  it.each(table(SUBGRAPH_CASES))('%s', (_name, c) => runCase(c));
});
describe('hostile requests: text filters', () => {
  it.each(table(TEXT_CASES))('%s', (_name, c) => runCase(c));
  it.each(table(CONTROL_CASES))('%s', (_name, c) => runCase(c));

  it('a positive control: the same filters still find what they should', async () => {
    const { data, errors } = await hub.anonymous(`{
      alliances(filter: { text: "Saarbrucken" }) { totalCount }
      organizations(filter: { text: "Impuls" }) { totalCount }
      networks(filter: { text: "Landesnetzwerk" }) { id }
      projects(filter: { text: "Familienservice" }) { totalCount }
      people(filter: { text: "Kemmer" }) { totalCount }
    }`);
    expect(errors).toBeUndefined();
    expect(data.alliances.totalCount).toBeGreaterThanOrEqual(1);
    expect(data.organizations.totalCount).toBeGreaterThanOrEqual(1);
    expect(data.networks.length).toBeGreaterThanOrEqual(1);
    expect(data.projects.totalCount).toBeGreaterThanOrEqual(1);
    expect(data.people.totalCount).toBe(1);
  });
});
describe('hostile requests: ids and regions', () => {
  it.each(table(ID_CASES))('%s', (_name, c) => runCase(c));
});
describe('hostile requests: regions no instance owns', () => {
  it.each(table(REGION_CASES))('%s', (_name, c) => runCase(c));
});

// A server that refuses a body before reading it must not leave the connection open and unread:
// a proxy or client that pools connections (as the gateway does towards its subgraphs) would send
// the next request on it and wait for an answer that never comes.
describe('hostile requests: an oversized body does not stall its keep-alive connection', () => {
  it.each([
    ['the gateway', () => hub.gateway.port],
    ['a subgraph instance', () => hub.subgraphs.alliances.port],
  ])('%s answers the next request on the connection, or closes it', async (_name, port) => {
    await untilHubAnswers('plain');
    const before = await fingerprint(hub.query);
    const outcome = await oversizedThenOrdinary(port(), '/graphql');
    expect(outcome.first).toMatch(/^HTTP\/1\.1 413 /);
    expect(outcome.second, `after ${outcome.first.replace(/\r\n/g, ' | ')}`).not.toBe('no answer');
    if (outcome.second !== 'closed by the server') expect(outcome.second).toMatch(/^HTTP\/1\.1 (200|401) /);
    await expectHubAnswers('plain');
    expect(await fingerprint(hub.query)).toEqual(before);
  });
});

describe('hostile requests: the table itself', () => {
  it('has at least 50 cases, each with a unique name', () => {
    const all = [
      HTTP_CASES, DOCUMENT_CASES, PAGING_CASES, TOKEN_CASES, WRITE_CASES, SUBGRAPH_CASES, TEXT_CASES, CONTROL_CASES, ID_CASES, REGION_CASES,
      DEFAULT_COST_CASES, LIST_CASES, ALIAS_CASES,
    ].flat();
    expect(all.length).toBeGreaterThanOrEqual(50);
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
  });
});

// ---------------------------------------------------------------------------------------------
// 10. What the gateway decides before it asks any region: page sizes it does not see written,
//     list lengths, and names it keeps for itself.
// ---------------------------------------------------------------------------------------------
const COST_REFUSED = /^Syntax Error: Query Cost limit of 20000 exceeded, found [\d.]+\.$/;
/** `networks` has 100 a page unless told otherwise: this costs ~22,700 with the default, ~227 with first: 1. */
const networksBomb = (first: string) => `{ networks${first} { memberAlliances { alliance { memberships { organization {
  memberships { alliance { name municipality { name ags } memberships { id } } } } } } } } }`;
const DEFAULT_COST_CASES: HostileCase[] = [
  { name: 'cost bomb: first from a variable default ($n: Int! = 100)', request: post(`query Bomb($n: Int! = 100) ${costBomb('$n')}`), status: 400, code: 'BAD_USER_INPUT', message: COST_REFUSED },
  { name: 'cost bomb: a variable default, the variable sent as {}', request: post(`query($n: Int! = 100) ${costBomb('$n')}`, {}), status: 400, code: 'BAD_USER_INPUT', message: COST_REFUSED },
  { name: 'cost bomb: a variable default on the regional hub', target: 'regional', request: post(`query($n: Int! = 100) ${costBomb('$n')}`, undefined, {}, 'regional'), status: 400, code: 'BAD_USER_INPUT', message: COST_REFUSED },
  { name: 'cost bomb: the schema default of networks(first = 100)', request: post(networksBomb('')), status: 400, code: 'BAD_USER_INPUT', message: COST_REFUSED },
  { name: 'cost bomb: the schema default in production', target: 'production', request: post(networksBomb(''), undefined, {}, 'production'), status: 400, code: 'BAD_USER_INPUT', message: COST_REFUSED },
  {
    name: 'the same nested networks with first: 1 are answered', status: 200, code: null, request: post(networksBomb('(first: 1)')),
    check: (a) => expect(a.json?.data?.networks).toHaveLength(1),
  },
  {
    name: 'a variable sent wins over its default (first: 1 for $n = 100)', status: 200, code: null,
    request: post(`query($n: Int! = 100) ${costBomb('$n')}`, { n: 1 }),
    check: (a) => expect(a.json?.data?.alliances.edges).toHaveLength(1),
  },
];

const overLong = (path: string, field: string, count: number, max = 100, kind = 'query') =>
  `${path} of ${field} holds ${count} values; a list may hold at most ${max} in a ${kind}`;
/** One error, naming the list, in a body of a few hundred bytes whatever the list's length. */
const oneSmallError = (field: string) => (a: RawAnswer) => {
  expect(a.text.length).toBeLessThan(500);
  expect(a.json?.errors).toHaveLength(1);
  expect(a.json?.errors?.[0].extensions?.field).toBe(field);
  expect(a.json?.data).toBeUndefined();
};
const LIST_CASES: HostileCase[] = [
  {
    name: 'filter.regions with 30,000 entries, as a variable', status: 400, code: 'BAD_USER_INPUT', message: overLong('filter.regions', 'alliances', 30_000),
    request: post('query($r: [Region!]) { alliances(filter: { regions: $r }) { totalCount } }', { r: Array(30_000).fill('SL') }), check: oneSmallError('filter.regions'),
  },
  {
    name: 'filter.regions with 30,000 unserved regions, as a variable', target: 'regional', status: 400, code: 'BAD_USER_INPUT', message: overLong('filter.regions', 'alliances', 30_000),
    request: post('query($r: [Region!]) { alliances(filter: { regions: $r }) { totalCount } }', { r: Array(30_000).fill('HH') }, {}, 'regional'), check: oneSmallError('filter.regions'),
  },
  {
    name: 'filter.regions with 150,000 entries, as a variable', target: 'regional', status: 400, code: 'BAD_USER_INPUT', message: overLong('filter.regions', 'people', 150_000),
    request: post('query($f: PersonFilter) { people(filter: $f) { totalCount } }', { f: { regions: Array(150_000).fill('HH') } }, {}, 'regional'), check: oneSmallError('filter.regions'),
  },
  {
    name: 'statistics over 150,000 regions', status: 400, code: 'BAD_USER_INPUT', message: overLong('filter.regions', 'allianceStatistics', 150_000),
    request: post('query($r: [Region!]) { allianceStatistics(filter: { regions: $r }) { total } }', { r: Array(150_000).fill('NW') }), check: oneSmallError('filter.regions'),
  },
  {
    name: 'filter.regions with 2,000 entries written in the query', target: 'regional', status: 400, code: 'BAD_USER_INPUT', message: overLong('filter.regions', 'organizations', 2_000),
    request: post(`{ organizations(filter: { regions: [${Array(2_000).fill('HH').join(' ')}] }) { totalCount } }`, undefined, {}, 'regional'), check: oneSmallError('filter.regions'),
  },
  {
    name: 'filter.kinds with 101 entries written in the query', status: 400, code: 'BAD_USER_INPUT', message: overLong('filter.kinds', 'networks', 101),
    request: post(`{ networks(filter: { kinds: [${Array(101).fill('LANDESNETZWERK').join(' ')}] }) { id } }`), check: oneSmallError('filter.kinds'),
  },
  {
    name: 'a variable default of 101 years', status: 400, code: 'BAD_USER_INPUT', message: overLong('filter.years', 'projects', 101),
    request: post(`query($y: [Int!] = [${Array(101).fill(2020).join(' ')}]) { projects(filter: { years: $y }) { totalCount } }`), check: oneSmallError('filter.years'),
  },
  {
    name: '100 entries of one region are still answered, as one region', target: 'regional', status: 200, code: null,
    request: post(`{ alliances(filter: { regions: [${Array(100).fill('SL').join(' ')}] }) { totalCount } }`, undefined, {}, 'regional'),
    check: (a) => expect(a.json?.data?.alliances.totalCount).toBeGreaterThan(0),
  },
  {
    name: 'an import of 1,001 rows, refused at the gateway', status: 400, code: 'BAD_USER_INPUT', message: overLong('input.rows', 'importOrganizations', 1_001, 1_000, 'mutation'),
    request: postWithToken(hubAdminToken, 'mutation($i: OrganizationImportInput!) { importOrganizations(input: $i) { created } }',
      { i: { region: 'SL', dryRun: true, rows: Array.from({ length: 1_001 }, (_, i) => ({ line: i + 2, name: `Organisation ${i}`, kind: 'OTHER' })) } }),
    check: oneSmallError('input.rows'),
  },
  {
    name: 'a project with 20,000 partner ids, refused at the gateway', status: 400, code: 'BAD_USER_INPUT', message: overLong('input.partnerAllianceIds', 'createProject', 20_000, 1_000, 'mutation'),
    request: postWithToken(hubAdminToken, 'mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }',
      { i: { region: 'SL', title: 'x', partnerAllianceIds: Array(20_000).fill(DEMO.alliance.saarbruecken) } }),
    check: oneSmallError('input.partnerAllianceIds'),
  },
];

const RESERVED_ALIAS = (alias: string) => `The alias "${alias}" is reserved: aliases must not begin with "__".`;
const aliasCase = (alias: string, query: string, target: Target = 'regional'): HostileCase => ({
  name: `the alias ${alias}${target === 'regional' ? '' : ` (${target})`}`, target, status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: RESERVED_ALIAS(alias),
  request: post(query, undefined, {}, target),
  check: (a) => expect(a.json?.data).toBeUndefined(),
});
const ALIAS_CASES: HostileCase[] = [
  aliasCase('__hub_total', '{ alliances(first: 3) { __hub_total: totalCount } }'),
  aliasCase('__hub_edges', '{ alliances(first: 3) { __hub_edges: edges { node { name } } } }'),
  aliasCase('__hub_m_name', '{ alliances(first: 3) { edges { node { __hub_m_name: name } } } }'),
  aliasCase('__hub_more', '{ projects(first: 3) { pageInfo { __hub_more: hasNextPage } } }'),
  aliasCase('__hub_m_id', '{ networks { __hub_m_id: id } }', 'plain'),
  aliasCase('__typename', '{ alliances(first: 3) { edges { node { __typename: name } } } }', 'plain'),
  aliasCase('__hub_cursor', '{ organizations(first: 3) { edges { __hub_cursor: cursor } } }', 'production'),
  {
    name: 'a reserved alias in a mutation, refused before anything is written', status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: RESERVED_ALIAS('__hub_m_id'),
    request: postWithToken(hubAdminToken, `mutation { __hub_m_id: deleteAlliance(id: "${DEMO.alliance.saarbruecken}") }`),
  },
  { name: 'an alias with one underscore is the client\'s', target: 'regional', status: 200, code: null, request: post('{ alliances(first: 1) { _hub_total: totalCount } }', undefined, {}, 'regional') },
];

describe('hostile requests: page sizes the query does not write', () => {
  it.each(table(DEFAULT_COST_CASES))('%s', (_name, c) => runCase(c));
});
describe('hostile requests: lists longer than any subgraph takes', () => {
  it.each(table(LIST_CASES))('%s', (_name, c) => runCase(c));
});
describe('hostile requests: aliases the gateway keeps for itself', () => {
  it.each(table(ALIAS_CASES))('%s', (_name, c) => runCase(c));
});
