import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenAuthenticator } from '../gateway/auth.js';
import { startGateway, type RunningGateway } from '../gateway/server.js';
import { SUPERGRAPH_PATH } from '../scripts/lib/supergraph.js';
import type { Region } from '../subgraphs/kit/index.js';
import { startFederationDemo, type RunningFixture } from './fixtures/federation-demo.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { TEST_JWT_SECRET, TEST_SIGNING_KEY, tokenFor } from './support/security.js';

/**
 * Limits the gateway enforces before it asks any region, on a hub whose regions need not trust
 * each other (three instances of every subgraph, each owning other regions): page sizes counted
 * as the subgraphs use them, bounded lists, aliases that cannot pass for the gateway's own merge
 * fields, and budgets per caller.
 */

let hub: TestHub;
/** A gateway over the same instances with small budgets and a window of 2 s. */
let limited: RunningGateway;
const WINDOW_SECONDS = 2;
const ANONYMOUS_BUDGET = 5;
const SIGNED_IN_BUDGET = 12;

beforeAll(async () => {
  hub = await startTestHub({ seed: true, regions: [['SL'], ['NW'], ['BW', 'DE', 'ST', 'TH']] as Region[][] });
  limited = await startGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    topologyPath: hub.topologyPath,
    security: { signingKey: TEST_SIGNING_KEY, authenticate: await tokenAuthenticator({ secret: TEST_JWT_SECRET }) },
    rateLimits: { windowSeconds: WINDOW_SECONDS, anonymous: ANONYMOUS_BUDGET, signedIn: SIGNED_IN_BUDGET, costPerPoint: 1_000 },
    port: 0,
    host: '127.0.0.1',
  });
}, 120_000);

afterAll(async () => {
  await limited?.stop();
  await hub?.stop();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
}

/** A JSON POST from a local address of our choosing (the loopback network is 127.0.0.0/8). */
function post(url: string, query: string, variables?: Record<string, unknown>, options: { token?: string; from?: string } = {}): Promise<Answer> {
  const body = JSON.stringify(variables ? { query, variables } : { query });
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(overIPv4(url), {
      method: 'POST', agent: false, localAddress: options.from ?? '127.0.0.1',
      headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: JSON.parse(text) });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
/** `localhost` may resolve to ::1, which cannot be reached from an IPv4 address. */
const overIPv4 = (url: string) => url.replace('//localhost:', '//127.0.0.1:');
const toHub = (query: string, variables?: Record<string, unknown>, token?: string) => post(hub.gateway.url, query, variables, { token });

/** The only error of a refused request, which has no data. */
function refusal(answer: Answer, status: number): { message: string; extensions?: Record<string, any> } {
  expect(answer.status, answer.text.slice(0, 400)).toBe(status);
  expect(answer.json.errors, answer.text.slice(0, 400)).toHaveLength(1);
  expect(answer.json.data ?? null).toBeNull();
  return answer.json.errors![0];
}

describe('page sizes count as the subgraphs use them, across regions', () => {
  const bomb = (first: string) => `{ alliances${first} { edges { node { memberships { organization { memberships {
    alliance { memberships { organization { name kind } } } } } } } } } }`;
  const COST = /^Syntax Error: Query Cost limit of 20000 exceeded, found [\d.]+\.$/;

  it('first: 100 written, sent as a variable, or as a variable\'s default: the same refusal', async () => {
    const inline = refusal(await toHub(bomb('(first: 100)')), 400);
    expect(inline.message).toMatch(COST);
    expect(inline.extensions?.code).toBe('BAD_USER_INPUT');
    for (const answer of [
      await toHub(`query($n: Int!) ${bomb('(first: $n)')}`, { n: 100 }),
      await toHub(`query($n: Int! = 100) ${bomb('(first: $n)')}`),
      await toHub(`query Bomb($n: Int! = 100) ${bomb('(first: $n)')}`, {}),
    ]) expect(refusal(answer, 400)).toEqual(inline);
  });

  it('a schema default counts: networks(first = 100) over nested lists', async () => {
    const nested = (first: string) => `{ networks${first} { memberAlliances { alliance { memberships { organization {
      memberships { alliance { name municipality { name ags } memberships { id } } } } } } } } }`;
    const inline = refusal(await toHub(nested('(first: 100)')), 400);
    expect(inline.message).toMatch(COST);
    expect(refusal(await toHub(nested('')), 400)).toEqual(inline);
    // One network a page is cheap and answered.
    const one = await toHub(nested('(first: 1)'));
    expect(one.status).toBe(200);
    expect(one.json.data?.networks).toHaveLength(1);
  });
});

describe('list arguments are bounded before anything is fanned out', () => {
  const ALLIANCES = 'query($r: [Region!]) { alliances(filter: { regions: $r }) { totalCount } }';
  const tooMany = (count: number, field = 'alliances', kind = 'query') =>
    `filter.regions of ${field} holds ${count} values; a list may hold at most 100 in a ${kind}`;

  it.each([
    ['30,000 served regions in a variable', ALLIANCES, { r: Array(30_000).fill('SL') }, 30_000, 'alliances'],
    ['30,000 unserved regions in a variable', ALLIANCES, { r: Array(30_000).fill('HH') }, 30_000, 'alliances'],
    ['150,000 regions in a variable', ALLIANCES, { r: Array(150_000).fill('HH') }, 150_000, 'alliances'],
    ['150,000 regions in a filter variable', 'query($f: PersonFilter) { people(filter: $f) { totalCount } }', { f: { regions: Array(150_000).fill('NW') } }, 150_000, 'people'],
    ['150,000 regions for statistics', 'query($r: [Region!]) { projectStatistics(filter: { regions: $r }) { total } }', { r: Array(150_000).fill('BW') }, 150_000, 'projectStatistics'],
    ['2,000 regions written in the query', `{ alliances(filter: { regions: [${Array(2_000).fill('HH').join(' ')}] }) { totalCount } }`, undefined, 2_000, 'alliances'],
    ['101 regions written in the query', `{ organizations(filter: { regions: [${Array(101).fill('SL').join(' ')}] }) { totalCount } }`, undefined, 101, 'organizations'],
  ] as const)('%s: one clear error, a small body, no 500', async (_name, query, variables, count, field) => {
    const answer = await toHub(query, variables as Record<string, unknown> | undefined);
    expect(answer.text.length).toBeLessThan(500);
    const error = refusal(answer, 400);
    expect(error).toEqual({ message: tooMany(count, field), extensions: { code: 'BAD_USER_INPUT', field: 'filter.regions' } });
  });

  it('a mutation may send up to 1,000 values in a list (an import chunk), not more', async () => {
    const token = await tokenFor('limits-admin', ['hub-admin']);
    const IMPORT = 'mutation($i: AllianceImportInput!) { importAlliances(input: $i) { created errors { line message } } }';
    const rows = (count: number) => Array.from({ length: count }, (_, i) => ({ line: i + 2, name: `Bündnis ${i}` }));
    const over = refusal(await toHub(IMPORT, { i: { region: 'SL', dryRun: true, rows: rows(1_001) } }, token), 400);
    expect(over).toEqual({
      message: 'input.rows of importAlliances holds 1001 values; a list may hold at most 1000 in a mutation',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.rows' },
    });
    const nested = refusal(await toHub(IMPORT, { i: { region: 'SL', dryRun: true, rows: [{ line: 2, name: 'x', fieldsOfAction: Array(5_000).fill('Pflege') }] } }, token), 400);
    expect(nested.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.rows[0].fieldsOfAction' });
    const chunk = await toHub(IMPORT, { i: { region: 'SL', dryRun: true, rows: rows(1_000) } }, token);
    expect(chunk.status).toBe(200);
    expect(chunk.json.errors).toBeUndefined();
    expect(chunk.json.data.importAlliances.created).toBe(1_000);
  });

  it('repeated regions count once: 100 entries of one unserved region give one error', async () => {
    const answer = await toHub(ALLIANCES, { r: Array(100).fill('HH') });
    expect(answer.status).toBe(200);
    expect(answer.json.errors?.map((e) => [e.extensions?.code, e.extensions?.region])).toEqual([['REGION_NOT_SERVED', 'HH']]);
    const mixed = await toHub(ALLIANCES, { r: [...Array(50).fill('SL'), ...Array(49).fill('NW'), 'HH'] });
    const plain = await toHub(ALLIANCES, { r: ['SL', 'NW', 'HH'] });
    expect(mixed.json).toEqual(plain.json);
    expect(mixed.json.data.alliances.totalCount).toBeGreaterThan(0);
  });
});

describe('aliases cannot pass for the gateway\'s own merge fields', () => {
  const RESERVED = (alias: string) => `The alias "${alias}" is reserved: aliases must not begin with "__".`;
  it.each([
    ['__hub_total', '{ alliances(first: 5) { __hub_total: totalCount edges { node { name } } } }'],
    ['__hub_edges', '{ alliances(first: 5) { totalCount __hub_edges: edges { node { name } } } }'],
    ['__hub_m_name', '{ alliances(first: 5) { edges { node { __hub_m_name: name } } } }'],
    ['__hub_cursor', '{ organizations(first: 5) { edges { __hub_cursor: cursor } } }'],
    ['__hub_page', '{ projects(first: 5) { __hub_page: pageInfo { hasNextPage } } }'],
    ['__hub_m_id', '{ networks { __hub_m_id: id name } }'],
    ['__hub_m_region', '{ ...F } fragment F on Query { people(first: 3) { edges { node { __hub_m_region: region } } } }'],
    ['__typename', '{ alliances(first: 5) { edges { node { __typename: name } } } }'],
  ])('%s: a validation error, never data: null without errors', async (alias, query) => {
    const answer = await toHub(query);
    expect(refusal(answer, 400)).toMatchObject({ message: RESERVED(alias), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    // The same query with an alias of the client's own is answered.
    const own = await toHub(query.replace(alias, 'mine'));
    expect(own.status).toBe(200);
    expect(own.json.errors).toBeUndefined();
    expect(own.json.data).toBeTruthy();
  });

  it('also in a mutation, before it is routed', async () => {
    const token = await tokenFor('limits-admin', ['hub-admin']);
    const answer = await toHub('mutation { __hub_m_id: deleteAlliance(id: "SL:alliance:does-not-exist") }', undefined, token);
    expect(refusal(answer, 400).message).toBe(RESERVED('__hub_m_id'));
  });
});

describe('budgets per caller (HTTP 429 with Retry-After)', () => {
  const CHEAP = '{ __typename }';
  const limitedPost = (options: { token?: string; from?: string } = {}, query = CHEAP) => post(limited.url, query, undefined, options);
  function expectRateLimited(answer: Answer): number {
    const error = refusal(answer, 429);
    expect(error.extensions).toEqual({ code: 'RATE_LIMITED' });
    expect(error.message).toMatch(/^Too many requests: .* try again in \d+ s$/);
    const retryAfter = Number(answer.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    return retryAfter;
  }
  const times = async (n: number, call: () => Promise<Answer>) => {
    const answers: Answer[] = [];
    for (let i = 0; i < n; i++) answers.push(await call());
    return answers;
  };

  it('an anonymous caller over its budget is refused, others are not, and it may call again after the window', async () => {
    const from = '127.0.0.11';
    for (const answer of await times(ANONYMOUS_BUDGET, () => limitedPost({ from }))) expect(answer.json).toEqual({ data: { __typename: 'Query' } });
    const retryAfter = expectRateLimited(await limitedPost({ from }));
    expect((await limitedPost({ from })).status, 'still refused within the window').toBe(429);

    // Another address, and a signed-in caller from the same address, have budgets of their own.
    expect((await limitedPost({ from: '127.0.0.12' })).json).toEqual({ data: { __typename: 'Query' } });
    const token = await tokenFor('limits-jana', ['editor:SL']);
    const signedIn = await times(SIGNED_IN_BUDGET, () => limitedPost({ from, token }));
    expect(signedIn.map((a) => a.status), 'a signed-in caller\'s budget is larger').toEqual(Array(SIGNED_IN_BUDGET).fill(200));
    expectRateLimited(await limitedPost({ from, token }));
    // … counted by subject, wherever it calls from; another subject is not affected.
    expectRateLimited(await limitedPost({ from: '127.0.0.13', token }));
    expect((await limitedPost({ from, token: await tokenFor('limits-kai', ['editor:SL']) })).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1_000 + 100));
    expect((await limitedPost({ from })).json).toEqual({ data: { __typename: 'Query' } });
  });

  it('a query counts with its cost: one point a request, one more per 1,000 of cost', async () => {
    // Cost about 4,500: 1 + 4 points, within a budget of 5 once, not after a cheap request.
    const costly = '{ alliances(first: 100) { edges { node { memberships { organization { name kind } } } } } }';
    const alone = await limitedPost({ from: '127.0.0.21' }, costly);
    expect(alone.status, alone.text.slice(0, 300)).toBe(200);
    expect(alone.json.errors).toBeUndefined();
    expectRateLimited(await limitedPost({ from: '127.0.0.21' }));

    expect((await limitedPost({ from: '127.0.0.22' })).status).toBe(200);
    // Refused after it was read and its cost known, before any region is asked.
    expectRateLimited(await limitedPost({ from: '127.0.0.22' }, costly));
  });

  it('health and readiness are not counted', async () => {
    const from = '127.0.0.31';
    await times(ANONYMOUS_BUDGET + 1, () => limitedPost({ from }));
    const health = await new Promise<number>((resolve, reject) => {
      httpRequest(overIPv4(limited.url).replace('/graphql', '/health/live'), { localAddress: from, agent: false }, (res) => { res.resume(); resolve(res.statusCode ?? 0); })
        .on('error', reject).end();
    });
    expect(health).toBe(200);
  });
});

describe('npm run gateway limits callers by default, as its settings say', () => {
  let fixture: RunningFixture;
  let gatewayProcess: ChildProcess | undefined;
  afterAll(async () => {
    gatewayProcess?.kill('SIGTERM');
    await fixture?.stop();
  });

  it('refuses bad budget settings, naming each', async () => {
    const { status, output } = await run(['--port', '0'], { HUB_RATE_LIMIT_ANONYMOUS: 'viele', HUB_RATE_LIMIT_WINDOW_SECONDS: '0', HUB_RATE_LIMIT_SIGNED_IN: '-5' });
    expect(status).not.toBe(0);
    for (const name of ['HUB_RATE_LIMIT_ANONYMOUS', 'HUB_RATE_LIMIT_WINDOW_SECONDS', 'HUB_RATE_LIMIT_SIGNED_IN']) expect(output).toContain(`  - ${name}:`);
  });

  it('answers 429 past HUB_RATE_LIMIT_ANONYMOUS', async () => {
    fixture = await startFederationDemo();
    const path = join(mkdtempSync(join(tmpdir(), 'hub-supergraph-')), 'supergraph.graphql');
    writeFileSync(path, fixture.supergraphSdl);
    gatewayProcess = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts', '--supergraph', path, '--port', '0'], {
      env: { PATH: process.env.PATH, HUB_LOG_LEVEL: 'silent', HUB_RATE_LIMIT_ANONYMOUS: '3' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      gatewayProcess!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /at (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1].replace(/,$/, ''));
      });
      gatewayProcess!.once('exit', (code) => reject(new Error(`gateway exited with ${code}: ${output}`)));
    });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(url, '{ __typename }')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  }, 60_000);
});

function run(args: string[], env: Record<string, string>): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts', ...args], { env: { PATH: process.env.PATH, HUB_LOG_LEVEL: 'silent', ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.on('exit', (status) => resolve({ status, output }));
  });
}
