import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { expect } from 'vitest';
import { DEMO } from '../../data/demo/ids.js';
import type { GraphQLClient, GraphQLResponse } from './client.js';

/** What a raw HTTP request answered: status, headers, the body as text and, when it is JSON, parsed. */
export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  json?: GraphQLResponse & Record<string, unknown>;
  ms: number;
}

export interface RawRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /**
   * Send on a connection of its own, closed afterwards, instead of fetch's shared keep-alive pool.
   * For requests the server answers before reading their whole body (413): this test process
   * hosts the gateway too, and its requests to the subgraphs share fetch's pool.
   */
  ownConnection?: boolean;
}

/** Sends exactly this request (fetch adds no content type for a Uint8Array body) with a time limit. */
export async function send(request: RawRequest, timeoutMs = 15_000): Promise<RawAnswer> {
  if (request.ownConnection) return sendOnOwnConnection(request, timeoutMs);
  const started = Date.now();
  const response = await fetch(request.url, {
    method: request.method ?? 'POST',
    headers: request.headers,
    body: request.body as RequestInit['body'],
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: parseJson(text), ms: Date.now() - started };
}

function parseJson(text: string): RawAnswer['json'] {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sendOnOwnConnection(request: RawRequest, timeoutMs: number): Promise<RawAnswer> {
  const started = Date.now();
  let answered = false;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(request.url, {
      method: request.method ?? 'POST', headers: request.headers, agent: false, timeout: timeoutMs,
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers.set(name, value);
        answered = true;
        resolve({ status: response.statusCode ?? 0, headers, text, json: parseJson(text), ms: Date.now() - started });
        outgoing.destroy();
      });
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    // Once answered, the server may drop the rest of an oversized body: only an error before the answer counts.
    outgoing.on('error', (error) => { if (!answered) reject(error); });
    outgoing.end(request.body);
  });
}

export interface KeepAliveOutcome {
  /** The first response's status line and headers. */
  first: string;
  /** What became of a second request sent on the same connection: its status line, or how the connection ended. */
  second: 'closed by the server' | 'no answer' | string;
}

/**
 * Sends a request with an oversized body and then, on the same keep-alive connection, an ordinary
 * one, as a proxy or client pooling connections would. A server must either answer the second
 * request or close the connection; one that keeps it open without reading stalls every request
 * the pool sends on it afterwards.
 */
export function oversizedThenOrdinary(port: number, path: string, waitMs = 3_000): Promise<KeepAliveOutcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let first = '';
    let settled = false;
    const finish = (second: KeepAliveOutcome['second']) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ first, second });
    };
    const timer = setTimeout(() => finish('no answer'), waitMs);
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      const responses = received.split(/(?=HTTP\/1\.1 \d{3})/);
      if (!first && responses[0]) first = responses[0].split('\r\n\r\n')[0];
      if (responses.length > 1) finish(responses[1].split('\r\n')[0]);
    });
    socket.on('close', () => finish('closed by the server'));
    socket.on('error', () => finish('closed by the server'));
    const big = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(2_000_000) } });
    socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n${big}`);
    const small = JSON.stringify({ query: '{ __typename }' });
    setTimeout(() => {
      if (!settled) socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${small.length}\r\n\r\n${small}`);
    }, 300);
  });
}

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** A JSON POST of a GraphQL request with optional extra headers. */
export function graphqlPost(url: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): RawRequest {
  return { url, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(variables ? { query, variables } : { query }) };
}

/** Traces of the implementation that must never reach a client: stack frames, SQL errors, file paths. */
const STACK_FRAME = /\bat [\w.<>$]+ \(?(file:|node:|\/)[^)\s]*:\d+:\d+/;
const INTERNALS = /node_modules|relation "|syntax error at or near|violates [a-z ]*constraint|duplicate key value|invalid input syntax|mikro-?orm|kysely/i;

/** Fails when an error of the answer carries a stack trace or the body shows internals. */
export function expectNoInternals(answer: RawAnswer): void {
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, `${path}[${index}]`));
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        expect(['stacktrace', 'exception', 'stack'], `${path}.${key} must not be sent`).not.toContain(key);
        visit(child, `${path}.${key}`);
      }
    }
  };
  visit(answer.json?.errors, 'errors');
  visit(answer.json?.extensions, 'extensions');
  for (const error of answer.json?.errors ?? []) expect(error.message, 'an error message shows no internals').not.toMatch(INTERNALS);
  if (!answer.json) expect(answer.text, 'a non-JSON body shows no internals').not.toMatch(INTERNALS);
  expect(answer.text, 'no stack frame anywhere in the body').not.toMatch(STACK_FRAME);
}

/**
 * Counts and versions that change whenever anything is written: five lists (alliances,
 * organisations, networks, projects, people) and a dozen demo records of four regions.
 */
export const FINGERPRINT = `{
  alliances(first: 0) { totalCount }
  organizations(first: 0) { totalCount }
  networks { id version }
  projects(first: 0) { totalCount }
  people(first: 0) { totalCount }
  saarbruecken: alliance(id: "${DEMO.alliance.saarbruecken}") { version name memberships { id version } }
  iserlohn: alliance(id: "${DEMO.alliance.iserlohn}") { version name }
  heidelberg: alliance(id: "${DEMO.alliance.heidelberg}") { version name }
  impuls: organization(id: "${DEMO.organization.impuls}") { version name }
  sihk: organization(id: "${DEMO.organization.sihk}") { version name }
  meeting16: meeting(id: "${DEMO.meeting.landesnetzwerktreffen16}") { version title talks { id } }
  haldensleben: meeting(id: "${DEMO.meeting.fachtagHaldensleben}") { version talks { id } }
  unimedkids: project(id: "${DEMO.project.unimedkidsKurzzeitbetreuung}") { version title }
  iserlohnProject: project(id: "${DEMO.project.iserlohnNachmittagsbetreuung}") { version title }
  kemmer: person(id: "${DEMO.person.kemmer}") { version name roles { id } }
  moser: person(id: "${DEMO.person.moser}") { version name consent { publicListing } contact { email phone address } }
}`;

export async function fingerprint(client: GraphQLClient): Promise<unknown> {
  const { data, errors } = await client(FINGERPRINT);
  expect(errors, 'the fingerprint query answers without errors').toBeUndefined();
  expect(data.alliances.totalCount).toBeGreaterThan(0);
  return data;
}

const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A JWT with any header and claims, signed with HMAC-SHA(256|384|512) or not signed at all. */
export function craftToken(
  header: Record<string, unknown>, claims: Record<string, unknown>, sign?: { secret: string; hash?: 'sha256' | 'sha384' | 'sha512' },
  signature?: string,
): string {
  const input = `${base64url(header)}.${base64url(claims)}`;
  const mac = sign ? createHmac(sign.hash ?? 'sha256', sign.secret).update(input).digest('base64url') : (signature ?? '');
  return `${input}.${mac}`;
}

/** Standard claims of a token valid for an hour from now. */
export function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { sub: 'hostile-test', roles: ['hub-admin'], iat: now, exp: now + 3600, ...extra };
}
