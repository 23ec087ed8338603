import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Region, RouteHandler } from '../../subgraphs/kit/index.js';
import { SUBGRAPHS } from '../../subgraphs/index.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import type { AnswerCacheOptions } from '../../gateway/regional/answer-cache.js';
import { SUPERGRAPH_PATH } from '../../scripts/lib/supergraph.js';
import { expect } from 'vitest';
import { graphqlClient, type GraphQLClient } from './client.js';
import { TEST_JWT_SECRET, TEST_SIGNING_KEY, tokenFor } from './security.js';
import { tokenAuthenticator } from '../../gateway/auth.js';
import { instanceName, startTestSubgraph, type TestSubgraph } from './subgraph.js';

export interface TestHub {
  gateway: RunningGateway;
  /** Instances by name: the subgraph name, or `<subgraph>-<regions>` in a regional hub. */
  subgraphs: Record<string, TestSubgraph>;
  /** The topology file of a regional hub. */
  topologyPath?: string;
  /** POSTs an operation to the gateway over HTTP with a hub admin's token. */
  query: GraphQLClient;
  /** Without a token. */
  anonymous: GraphQLClient;
  /** With a token carrying these roles ("editor:SL", "admin:NW", "hub-admin"). */
  as(roles: string[], subject?: string): GraphQLClient;
  /** SQL statements of all instances since the last `resetStatements()`. */
  statementCount(): number;
  resetStatements(): void;
  /**
   * A regional hub: writes these instances as its topology file and waits until the gateway has
   * read it (accepted or refused); returns the outcome of that reload.
   */
  useTopology(instances: TestSubgraph[], defaults?: TopologyDefaults): Promise<{ at: string; accepted: boolean; message: string }>;
  stop(): Promise<void>;
}

export interface TestHubOptions {
  seed?: boolean;
  /**
   * Run every subgraph as one instance per group of regions (e.g. [['SL'], ['DE', 'TH']]), each on
   * its own database, routed by a topology file. Without it, one instance per subgraph owns all.
   */
  regions?: Region[][];
  /** Extra gateway routes, e.g. the dashboard. */
  routes?: Record<string, RouteHandler>;
  /** Serves `/metrics` on the gateway and every instance to this bearer token (off without it). */
  metricsToken?: string;
  /** The gateway keeps read answers (answer-cache.ts); off unless given. */
  answerCache?: AnswerCacheOptions;
}

export { instanceName };

/** A topology file's defaults for every instance (topology.ts). */
export interface TopologyDefaults {
  maxInFlight?: number;
}

export function writeTopology(path: string, instances: TestSubgraph[], defaults: TopologyDefaults = {}): void {
  const subgraphs: Record<string, unknown[]> = {};
  for (const instance of instances) {
    (subgraphs[instance.name] ??= []).push({
      name: instance.instanceName, url: instance.url, regions: instance.regions, timeoutMs: 2_000,
    });
  }
  writeFileSync(path, JSON.stringify({ ...defaults, subgraphs }, null, 2));
}

/** Asks `probe` until `accept` holds or the time is up, and returns its last answer. */
export async function waitFor<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await probe();
  }
  return value;
}

/**
 * The whole hub as it runs in production, in this process: every subgraph instance on its own
 * fresh database (with the demo data of its regions unless `seed: false`), the gateway on the
 * checked-in supergraph, all talking real HTTP on free ports.
 */
export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const subgraphs: Record<string, TestSubgraph> = {};
  try {
    const groups = options.regions ?? [undefined];
    await Promise.all(SUBGRAPHS.flatMap((definition) => groups.map(async (regions) => {
      const instance = await startTestSubgraph(definition, { seed: options.seed, regions, metricsToken: options.metricsToken });
      subgraphs[instance.instanceName] = instance;
    })));
    const all = Object.values(subgraphs);
    let topologyPath: string | undefined;
    if (options.regions) {
      topologyPath = join(mkdtempSync(join(tmpdir(), 'hub-topology-')), 'topology.json');
      writeTopology(topologyPath, all);
    }
    const gateway = await startGateway({
      supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
      subgraphUrls: options.regions ? undefined : Object.fromEntries(all.map((s) => [s.name, s.url])),
      topologyPath,
      security: { signingKey: TEST_SIGNING_KEY, authenticate: await tokenAuthenticator({ secret: TEST_JWT_SECRET }) },
      routes: options.routes,
      metricsToken: options.metricsToken,
      answerCache: options.answerCache,
      port: 0,
      host: '127.0.0.1',
    });
    const anonymous = graphqlClient(gateway.url);
    const as = (roles: string[], subject = `test-${roles.join('-')}`) => {
      const token = tokenFor(subject, roles);
      return (async (query, variables, headers = {}) =>
        anonymous(query, variables, { authorization: `Bearer ${await token}`, ...headers })) as GraphQLClient;
    };
    const admin = as(['hub-admin'], 'test-hub-admin');
    return {
      gateway,
      subgraphs,
      topologyPath,
      query: admin,
      anonymous,
      as,
      statementCount: () => all.reduce((sum, s) => sum + s.statements.length, 0),
      resetStatements: () => all.forEach((s) => { s.statements.length = 0; }),
      async useTopology(instances, defaults) {
        const reload = '{ hubTopology { lastReload { at accepted message } } }';
        const before = (await admin(reload)).data.hubTopology.lastReload.at;
        writeTopology(topologyPath!, instances, defaults);
        const after = await waitFor(() => admin(reload), (r) => r.data.hubTopology.lastReload.at !== before);
        expect(after.data.hubTopology.lastReload.at, 'the gateway did not reload its topology').not.toBe(before);
        return after.data.hubTopology.lastReload;
      },
      async stop() {
        await gateway.stop();
        await Promise.all(all.map((s) => s.stop()));
      },
    };
  } catch (error) {
    await Promise.all(Object.values(subgraphs).map((s) => s.stop()));
    throw error;
  }
}
