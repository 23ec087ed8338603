import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { TestHub, TopologyDefaults } from './hub.js';
import type { TestSubgraph } from './subgraph.js';

/** An answer the proxy gives itself instead of forwarding the request. */
export interface ProxyAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface PassThroughProxy {
  /** The proxy's GraphQL URL, to put in a topology in place of the target's. */
  url: string;
  /** Requests answered by `intercept` instead of the target. */
  intercepted: number;
  /** Every request that reached the proxy: method, path and body. */
  seen: { method: string; path: string; body: string }[];
  /** GraphQL requests being forwarded now, and the most there were at once. */
  inFlight: number;
  mostInFlight: number;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/**
 * Stands in front of an instance and forwards every request to it as it came (signature
 * headers, path, body) and its answer back with its headers (data versions among them), unless
 * `intercept` answers a request itself.
 */
export async function startPassThroughProxy(
  targetUrl: string, intercept: (request: IncomingMessage, body: string) => ProxyAnswer | undefined = () => undefined,
  options: { graphqlDelayMs?: number } = {},
): Promise<PassThroughProxy> {
  const proxy: PassThroughProxy = { url: '', intercepted: 0, seen: [], inFlight: 0, mostInFlight: 0, close: () => Promise.resolve() };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    proxy.seen.push({ method: req.method ?? '', path: req.url ?? '', body: body.toString('utf8') });
    const own = intercept(req, body.toString('utf8'));
    if (own) {
      proxy.intercepted++;
      res.writeHead(own.status, { 'content-type': 'application/json', ...own.headers }).end(own.body ?? '{}');
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers)
      .filter(([name, value]) => !HOP_BY_HOP.has(name) && typeof value === 'string')) as Record<string, string>;
    const graphql = req.method === 'POST';
    if (graphql) proxy.mostInFlight = Math.max(proxy.mostInFlight, ++proxy.inFlight);
    try {
      if (graphql && options.graphqlDelayMs) await new Promise((resolve) => setTimeout(resolve, options.graphqlDelayMs));
      const answer = await fetch(new URL(req.url ?? '/', targetUrl), { method: req.method, headers, body: graphql ? body : undefined });
      const answerHeaders = Object.fromEntries([...answer.headers].filter(([name]) => !HOP_BY_HOP.has(name) && name !== 'content-encoding'));
      res.writeHead(answer.status, answerHeaders).end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      res.destroy();
    } finally {
      if (graphql) proxy.inFlight--;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  proxy.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return proxy;
}

/**
 * Runs `use` with the hub's topology naming `proxy` in place of `instance` (and these defaults),
 * then puts the hub's own topology back and closes the proxy, whatever `use` did.
 */
export async function withProxyInTopology(
  hub: TestHub, instance: TestSubgraph, proxy: PassThroughProxy, use: () => Promise<void>, defaults?: TopologyDefaults,
): Promise<void> {
  const others = Object.values(hub.subgraphs).filter((s) => s !== instance);
  try {
    expect((await hub.useTopology([...others, { ...instance, url: proxy.url }], defaults)).accepted).toBe(true);
    await use();
  } finally {
    await hub.useTopology(Object.values(hub.subgraphs));
    await proxy.close();
  }
}
