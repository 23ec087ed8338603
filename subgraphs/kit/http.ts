import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { PROMETHEUS_CONTENT_TYPE, prometheusText, serviceLogger } from './observability.js';
import { SpanKind, inSpan, incomingTraceContext } from './tracing.js';
import { OVERLOAD_RETRY_AFTER_SECONDS, isDatabaseOverload } from './connections.js';

const httpLogger = serviceLogger('http');

export const MAX_BODY_BYTES = 1_000_000;

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** Thrown by a context function to answer with an HTTP error instead of running the operation. */
export class HttpError extends Error {
  /** More for the error's `extensions` beside its code, e.g. why a signature was refused. */
  extensions?: Record<string, unknown>;
  /** Headers of the answer beside its content type, e.g. Retry-After. */
  headers?: Record<string, string>;

  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface GraphQLHttpOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** Builds the operation's context from the request and its raw body (empty for GET); may set answer headers on `res`. */
  context: (req: IncomingMessage, body: string, res: ServerResponse) => Promise<TContext>;
  /** Extra routes by path, e.g. `/health`. */
  routes?: Record<string, RouteHandler>;
  path?: string;
  /** Names the service in traces. */
  service?: string;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, ...extensions } }] });
}

function sendHttpError(res: ServerResponse, error: HttpError): void {
  for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
  sendError(res, error.status, error.code, error.message, error.extensions);
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A node:http handler that serves Apollo Server at `path` (plus extra routes), with a body limit. */
export function graphqlHttpHandler<TContext extends BaseContext>(options: GraphQLHttpOptions<TContext>) {
  const path = options.path ?? '/graphql';
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = options.routes?.[url.pathname];
    if (route) {
      try {
        return await route(req, res);
      } catch (error) {
        if (error instanceof HttpError && !res.headersSent) return sendHttpError(res, error);
        // A route's query refused for want of a connection (e.g. /references): load, as in GraphQL answers.
        if (isDatabaseOverload(error) && !res.headersSent) {
          res.setHeader('retry-after', String(OVERLOAD_RETRY_AFTER_SECONDS));
          return sendError(res, 503, 'SERVICE_OVERLOADED', 'The service is overloaded; retry later');
        }
        throw error;
      }
    }
    if (url.pathname !== path) return sendError(res, 404, 'NOT_FOUND', `Nothing at ${url.pathname}; GraphQL is served at ${path}`);
    return inSpan(`${req.method} ${path}`, SpanKind.SERVER, { 'hub.service': options.service ?? 'graphql', 'http.request.method': req.method ?? '' },
      () => serveGraphQL(req, res, url), incomingTraceContext(req.headers));
  };

  async function serveGraphQL(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let body: unknown;
    let text = '';
    if (req.method === 'POST') {
      try {
        text = await readBody(req);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          // The rest of the body is never read: the connection cannot carry another request.
          res.setHeader('connection', 'close');
          sendError(res, 413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${MAX_BODY_BYTES} bytes`);
          res.once('finish', () => req.destroy());
          return;
        }
        throw error;
      }
      const contentType = req.headers['content-type'] ?? '';
      if (contentType.includes('application/json')) {
        try {
          body = JSON.parse(text);
        } catch {
          return sendError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON');
        }
      } else {
        body = text;
      }
    }

    let contextValue: TContext;
    try {
      contextValue = await options.context(req, text, res);
    } catch (error) {
      if (error instanceof HttpError) return sendHttpError(res, error);
      throw error;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => contextValue,
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }
}

export interface RunningHttpServer {
  server: Server;
  port: number;
  url: string;
  close(graceMs?: number): Promise<void>;
}

/** Listens on `port` (0 picks a free one) and resolves once bound. */
export async function listen(handler: RouteHandler, port: number, host = '0.0.0.0', path = '/graphql'): Promise<RunningHttpServer> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error) => {
      httpLogger.error({ err: error, url: req.url }, 'request failed');
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    server,
    port: bound,
    url: `http://localhost:${bound}${path}`,
    // Stops accepting, lets requests in flight finish (up to the grace period), then closes.
    close: (graceMs = 10_000) => new Promise<void>((resolve) => {
      // Keep-alive connections go as soon as their last response is out.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    }),
  };
}

/** Thrown by a readiness check: its message is the public reason, so it names no address or path. */
export class NotReady extends Error {}

export function healthRoute(check: () => Promise<Record<string, unknown>>): RouteHandler {
  return async (_req, res) => {
    try {
      sendJson(res, 200, { status: 'ok', ...(await check()) });
    } catch (error) {
      // Any other failure (e.g. of the database connection) may name hosts or socket paths: it goes to the log.
      if (!(error instanceof NotReady)) httpLogger.warn({ err: error }, 'not ready');
      sendJson(res, 503, { status: 'unavailable', reason: error instanceof NotReady ? error.message : 'not ready (see the service log)' });
    }
  };
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * `/metrics` for the scraper that sends `authorization: Bearer <token>`; without a token
 * configured it answers 404. Metrics name other callers' operations and the instances behind
 * the gateway. Digests of equal length make the comparison constant-time.
 */
export function metricsRoute(token: string | undefined, servedElsewhere?: string): RouteHandler {
  const expected = token === undefined ? undefined : sha256(token);
  return async (req, res) => {
    if (servedElsewhere) return sendError(res, 404, 'NOT_FOUND', `This process's metrics are served at ${servedElsewhere}`);
    if (!expected) return sendError(res, 404, 'NOT_FOUND', 'Metrics are off: the service was started without HUB_METRICS_TOKEN');
    const given = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (given === undefined || !timingSafeEqual(sha256(given), expected)) {
      res.setHeader('www-authenticate', 'Bearer realm="metrics"');
      return sendError(res, 401, 'UNAUTHENTICATED', 'Metrics need the scraper\'s token: authorization: Bearer <HUB_METRICS_TOKEN>');
    }
    res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
    res.end(await prometheusText());
  };
}

export interface HealthRouteOptions {
  /** The scraper's bearer token for `/metrics` (HUB_METRICS_TOKEN); without it `/metrics` is 404. */
  metricsToken?: string;
  /**
   * Where this process's metrics are served instead (several services in one process, as in
   * `npm start`, share one set): `/metrics` here answers 404 saying so.
   */
  metricsServedElsewhere?: string;
}

/**
 * `/health/live`: the process answers; `/health/ready` (and `/health`): it can do its work, as
 * `ready` checks (it throws when not); `/metrics`: Prometheus text, for the scraper only.
 */
export function healthRoutes(ready: () => Promise<Record<string, unknown>>, options: HealthRouteOptions = {}): Record<string, RouteHandler> {
  const readiness = healthRoute(ready);
  return {
    '/health/live': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    '/health/ready': readiness,
    '/health': readiness,
    '/metrics': metricsRoute(options.metricsToken, options.metricsServedElsewhere),
  };
}
