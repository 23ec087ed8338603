import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peopleSubgraph } from '../subgraphs/people/index.js';
import { NotReady, healthRoute, listen, type Region, type RunningHttpServer } from '../subgraphs/kit/index.js';
import { withoutAddresses } from '../gateway/regional/hub-subgraph.js';
import type { Instance } from '../gateway/regional/topology.js';
import { startTestHub, waitFor, type TestHub } from './support/hub.js';
import { freePort } from '../scripts/lib/free-port.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';
import type { GraphQLClient } from './support/client.js';

/**
 * Where the topology file lies and where instances are reached is for hub admins only: the
 * `hubTopology` query and the health endpoints tell everyone else neither.
 */
let hub: TestHub;
let base: string;
const extra: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  hub = await startTestHub({ regions: [['SL'], ['NW']] as Region[][] });
  base = hub.gateway.url.replace(/\/graphql$/, '');
}, 90_000);
afterAll(async () => {
  await hub?.stop();
  await Promise.all(extra.map((s) => s.stop()));
});

const TOPOLOGY = `{
  regions { region owners { subgraph instance status } }
  hubTopology { source loadedAt lastReload { at accepted message }
    subgraphs { subgraph instances { name url regions status reason checkedAt latencyMs } } }
}`;
const ERASE = 'mutation($id: ID!) { erasePerson(id: $id) { personId complete steps { subgraph instance changed error } } }';

const callers = (): [string, GraphQLClient][] => [['anonymous', hub.anonymous], ['editor:SL', hub.as(['editor:SL'])]];

/** Whatever names the topology file or how an instance is reached. */
function addresses(ports: number[]): RegExp {
  const escaped = dirname(hub.topologyPath!).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${escaped}|topology\\.json|[a-z]+://|127\\.0\\.0\\.1|localhost|:(${ports.join('|')})\\b`, 'i');
}

function instancePorts(): number[] {
  return Object.values(hub.subgraphs).map((s) => s.port);
}

type Described = { name: string; url: string | null; status: string; reason: string | null };
const instancesOf = (data: { hubTopology: { subgraphs: { instances: Described[] }[] } }): Described[] =>
  data.hubTopology.subgraphs.flatMap((s) => s.instances);

describe('the topology as others than hub admins see it', () => {
  it('names no file path in hubTopology, /health/ready or /health', async () => {
    const admin = await hub.query(TOPOLOGY);
    expect(admin.errors).toBeUndefined();
    expect(admin.data.hubTopology.source).toBe(hub.topologyPath);
    expect(admin.data.hubTopology.lastReload.message).toContain(hub.topologyPath);
    expect(instancesOf(admin.data).every((i) => i.url?.startsWith('http://localhost:'))).toBe(true);

    for (const [who, client] of callers()) {
      const { data, errors } = await client(TOPOLOGY);
      expect(errors, who).toBeUndefined();
      expect(JSON.stringify(data), who).not.toMatch(addresses(instancePorts()));
      expect(data.hubTopology.source, who).toBe('topology file');
      expect(data.hubTopology.lastReload.accepted, who).toBe(true);
      expect(data.hubTopology.lastReload.message, who).toMatch(/^loaded the topology file \((\w+ ×2, ){3}\w+ ×2\)$/);
      expect(instancesOf(data).map((i) => i.url), who).toEqual(instancesOf(admin.data).map(() => null));
    }
    for (const path of ['/health/ready', '/health']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(200);
      const body = await response.json() as Record<string, unknown>;
      expect(JSON.stringify(body), path).not.toMatch(addresses(instancePorts()));
      expect(body).toMatchObject({ status: 'ok', service: 'gateway', topology: 'file' });
    }
  });

  it('names no URL in the reason of a refused instance, nor in an erasure step it fails', async () => {
    // An alliances instance nobody answers at is accepted as DOWN; then a people instance answers there.
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/graphql`;
    const ghost = { name: 'alliances', instanceName: 'alliances-hh', regions: ['HH'], url } as unknown as TestSubgraph;
    expect((await hub.useTopology([...Object.values(hub.subgraphs), ghost])).accepted).toBe(true);
    extra.push(await startTestSubgraph(peopleSubgraph, { regions: ['HH'] as Region[], port, name: 'alliances-hh' }));
    const refused = await waitFor(() => hub.query(TOPOLOGY),
      (r) => instancesOf(r.data).find((i) => i.name === 'alliances-hh')?.status === 'REFUSED');
    const seenByAdmin = instancesOf(refused.data).find((i) => i.name === 'alliances-hh')!;
    expect(seenByAdmin).toMatchObject({ status: 'REFUSED', url });
    // The reason names the instance; its address is a field of its own, for hub admins.
    expect(seenByAdmin.reason).not.toContain(url);

    const ports = [...instancePorts(), port];
    for (const [who, client] of callers()) {
      const { data } = await client(TOPOLOGY);
      expect(JSON.stringify(data), who).not.toMatch(addresses(ports));
      const seen = instancesOf(data).find((i) => i.name === 'alliances-hh')!;
      expect(seen.url, who).toBeNull();
      expect(seen.reason, who).toMatch(/^instance alliances-hh does not match the hub's alliances schema: .*Alliance/);
      // Nor do the errors of an ordinary query that the refused instance cannot answer.
      const query = await client('{ alliances(filter: { regions: [HH] }) { totalCount } }');
      expect(query.errors?.[0]?.extensions?.code, who).toBe('REGION_UNAVAILABLE');
      expect(JSON.stringify(query), who).not.toMatch(addresses(ports));
    }

    // A region admin erases too: the step on the refused instance says why it failed, without its address.
    const erasure = await hub.as(['admin:SL'])(ERASE, { id: 'SL:person:niemand' });
    expect(erasure.errors).toBeUndefined();
    const step = erasure.data.erasePerson.steps.find((s: { instance: string }) => s.instance === 'alliances-hh');
    expect(step.error).toMatch(/^unavailable: instance alliances-hh does not match/);
    expect(JSON.stringify(erasure.data)).not.toMatch(addresses(ports));
    const byHubAdmin = await hub.query(ERASE, { id: 'SL:person:niemand' });
    expect(byHubAdmin.data.erasePerson.steps.find((s: { instance: string }) => s.instance === 'alliances-hh').error)
      .toMatch(/^unavailable: instance alliances-hh does not match/);
  });

  it('names no URL of a refused topology\'s instances', async () => {
    const current = Object.values(hub.subgraphs);
    // A people instance listed (and running) as an alliances instance.
    const impostor = await startTestSubgraph(peopleSubgraph, { regions: ['HB'] as Region[], name: 'alliances-hb' });
    extra.push(impostor);
    const outcome = await hub.useTopology([...current, { ...impostor, name: 'alliances' } as TestSubgraph]);
    expect(outcome.accepted).toBe(false);
    expect(outcome.message).toMatch(/instance alliances-hb does not match the hub's alliances schema/);

    for (const [who, client] of callers()) {
      const { data } = await client(TOPOLOGY);
      expect(JSON.stringify(data), who).not.toMatch(addresses(instancePorts()));
      expect(data.hubTopology.lastReload, who).toMatchObject({
        accepted: false, message: 'refused, the previous topology stays (hub admins see why)',
      });
    }
    expect((await hub.useTopology(current)).accepted).toBe(true);
  });
});

describe('texts about an instance, for others than hub admins', () => {
  const instance = { name: 'alliances-sl', subgraph: 'alliances', url: 'http://alliances.sl.example:4101/graphql', regions: ['SL'], timeoutMs: 1_000 } as Instance;

  it.each([
    ['instance alliances-sl (http://alliances.sl.example:4101/graphql) does not match the hub\'s alliances schema: type X is missing',
      'instance alliances-sl does not match the hub\'s alliances schema: type X is missing'],
    ['connect ECONNREFUSED alliances.sl.example:4101', 'connect ECONNREFUSED (hidden)'],
    ['getaddrinfo ENOTFOUND alliances.sl.example', 'getaddrinfo ENOTFOUND (hidden)'],
    ['connect ECONNREFUSED 10.0.7.12:4101', 'connect ECONNREFUSED (hidden)'],
    ['connect ECONNREFUSED [fd00::7]:4101', 'connect ECONNREFUSED (hidden)'],
    ['instance other (https://user:pw@other.example/graphql?x=1) is down', 'instance other ((hidden)) is down'],
    ['redirected to grpc+tls://10.1.1.1', 'redirected to (hidden)'],
    ['no answer within 2000 ms', 'no answer within 2000 ms'],
    ['HTTP 502 without a GraphQL answer', 'HTTP 502 without a GraphQL answer'],
    ['Alliance.region: Region! is missing, type [Region!]! of Query.regions', 'Alliance.region: Region! is missing, type [Region!]! of Query.regions'],
  ])('%s', (text, shown) => {
    expect(withoutAddresses(text, instance)).toBe(shown);
  });
});

describe('readiness', () => {
  it('tells the cause of an unexpected failure to the log only', async () => {
    let failure: Error = new Error('connect ENOENT /var/run/postgresql/.s.PGSQL.5432');
    const server: RunningHttpServer = await listen(healthRoute(async () => { throw failure; }), 0, '127.0.0.1');
    extra.push({ stop: () => server.close() });
    const url = server.url.replace(/\/graphql$/, '/health/ready');
    let response = await fetch(url);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', reason: 'not ready (see the service log)' });
    failure = new NotReady('no instance of people answers');
    response = await fetch(url);
    expect(await response.json()).toEqual({ status: 'unavailable', reason: 'no instance of people answers' });
  });
});
