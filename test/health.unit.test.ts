import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSubgraph } from '@apollo/federation-internals';
import { REGIONS, type Region } from '../subgraphs/kit/index.js';
import {
  DEFAULT_HEALTH_POLICY, InstanceHealthTracker, describeInstance, type HealthPolicy, type InstanceStatus, type LogLevel, type Ticket,
} from '../gateway/regional/health.js';
import { TopologyRegistry, type RegistryOptions } from '../gateway/regional/registry.js';
import { InstanceUnavailable, sendToInstance } from '../gateway/regional/instance-client.js';
import { buildTopology, type Instance } from '../gateway/regional/topology.js';
import { TEST_SIGNER } from './support/security.js';

const SL: Instance = { subgraph: 'alliances', name: 'alliances-sl', url: 'http://alliances-sl:4000/graphql', regions: ['SL' as Region], timeoutMs: 2_000, maxInFlight: 8 };
const NAMED = 'instance alliances-sl (alliances, regions SL)';

/**
 * One step at a time `at` (ms on the injected clock). `begin` starts an observation that a later
 * step ends under the same label; a step ending a label never begun begins it at once.
 * `counts` is what the tracker answers: whether the result was taken into account.
 */
type Step =
  | { at: number; begin: string }
  | { at: number; fail: string; reason?: string; counts?: boolean }
  | { at: number; succeed: string; verified?: boolean; counts?: boolean }
  | { at: number; refuse: string; counts?: boolean }
  | { at: number; reset: true };

interface Case {
  name: string;
  policy?: Partial<HealthPolicy>;
  /** Starts never verified; otherwise a verified success at 0 comes first. */
  unverified?: boolean;
  steps: Step[];
  status: InstanceStatus;
  logs: [LogLevel, string][];
}

const DOWN_AFTER_3 = (seconds: string, reason = 'ECONNREFUSED'): [LogLevel, string] =>
  ['warn', `${NAMED} is DOWN after 3 failures in ${seconds} s: ${reason}`];
const UP_AGAIN: [LogLevel, string] = ['info', `${NAMED} is UP again (it was DOWN: ECONNREFUSED)`];

const CASES: Case[] = [
  { name: 'one failure keeps it UP', steps: [{ at: 1_000, fail: 'a' }], status: 'UP', logs: [] },
  { name: 'two failures keep it UP', steps: [{ at: 1_000, fail: 'a' }, { at: 2_000, fail: 'b' }], status: 'UP', logs: [] },
  {
    name: 'three failures within the window take it out',
    steps: [{ at: 1_000, fail: 'a' }, { at: 2_000, fail: 'b' }, { at: 3_000, fail: 'c' }],
    status: 'DOWN', logs: [DOWN_AFTER_3('2.0')],
  },
  {
    name: 'three failures spread beyond the window leave it UP',
    steps: [{ at: 0, fail: 'a' }, { at: 6_000, fail: 'b' }, { at: 12_000, fail: 'c' }],
    status: 'UP', logs: [],
  },
  {
    name: 'the next failure within the window of the last three takes it out',
    steps: [{ at: 0, fail: 'a' }, { at: 6_000, fail: 'b' }, { at: 12_000, fail: 'c' }, { at: 13_000, fail: 'd' }],
    status: 'DOWN', logs: [DOWN_AFTER_3('7.0')],
  },
  {
    name: 'a success between failures starts the count anew',
    steps: [{ at: 100, fail: 'a' }, { at: 200, fail: 'b' }, { at: 300, succeed: 'c' }, { at: 400, fail: 'd' }, { at: 500, fail: 'e' }],
    status: 'UP', logs: [],
  },
  {
    name: 'one success brings a DOWN instance back UP',
    steps: [{ at: 100, fail: 'a' }, { at: 200, fail: 'b' }, { at: 300, fail: 'c' }, { at: 2_300, succeed: 'probe' }],
    status: 'UP', logs: [DOWN_AFTER_3('0.2'), UP_AGAIN],
  },
  {
    name: 'a stale failure (begun before the latest success) is ignored',
    steps: [
      { at: 0, begin: 'slow probe' }, { at: 100, succeed: 'request' }, { at: 3_000, fail: 'slow probe', counts: false },
      { at: 3_100, fail: 'b', counts: true }, { at: 3_200, fail: 'c', counts: true },
    ],
    status: 'UP', logs: [],
  },
  {
    name: 'a stale success (begun before the failure that took it out) is ignored',
    steps: [
      { at: 0, begin: 'slow probe' }, { at: 100, fail: 'a' }, { at: 200, fail: 'b' }, { at: 300, fail: 'c' },
      { at: 3_000, succeed: 'slow probe', counts: false },
    ],
    status: 'DOWN', logs: [DOWN_AFTER_3('0.2')],
  },
  {
    name: 'a success begun before a failure that did not take it out is ignored too',
    steps: [{ at: 0, begin: 'slow' }, { at: 100, fail: 'a' }, { at: 200, succeed: 'slow', counts: false }, { at: 300, fail: 'b' }, { at: 400, fail: 'c' }],
    status: 'DOWN', logs: [DOWN_AFTER_3('0.3')],
  },
  {
    name: 'concurrent failures each count, in whatever order they end',
    steps: [
      { at: 0, begin: 'a' }, { at: 0, begin: 'b' }, { at: 0, begin: 'c' },
      { at: 100, fail: 'c' }, { at: 150, fail: 'b', counts: true }, { at: 200, fail: 'a', counts: true },
    ],
    status: 'DOWN', logs: [DOWN_AFTER_3('0.1')],
  },
  {
    name: 'each change is logged once: failures while DOWN and successes while UP are not',
    steps: [
      { at: 100, fail: 'a' }, { at: 200, fail: 'b' }, { at: 300, fail: 'c' }, { at: 400, fail: 'd', counts: true }, { at: 500, fail: 'e' },
      { at: 2_000, succeed: 'f' }, { at: 2_100, succeed: 'g' },
      { at: 3_000, fail: 'h' }, { at: 3_500, fail: 'i' }, { at: 4_000, fail: 'j' }, { at: 4_500, fail: 'k' },
    ],
    status: 'DOWN', logs: [DOWN_AFTER_3('0.2'), UP_AGAIN, DOWN_AFTER_3('1.0')],
  },
  {
    name: 'REFUSED is logged once and lifted only by a verified schema',
    steps: [
      { at: 100, refuse: 'a' }, { at: 200, refuse: 'b' }, { at: 300, succeed: 'c', counts: false }, { at: 400, succeed: 'd', verified: true },
    ],
    status: 'UP',
    logs: [['warn', `${NAMED} is REFUSED: schema differs`], ['info', `${NAMED} is UP again (it was REFUSED: schema differs)`]],
  },
  {
    name: 'an instance never verified is DOWN at its first failure',
    unverified: true, steps: [{ at: 100, fail: 'a' }], status: 'DOWN', logs: [['warn', `${NAMED} is DOWN: ECONNREFUSED`]],
  },
  {
    name: 'a threshold of 1 takes it out at the first failure',
    policy: { failureThreshold: 1 }, steps: [{ at: 100, fail: 'a', reason: 'timed out' }],
    status: 'DOWN', logs: [['warn', `${NAMED} is DOWN after 1 failure: timed out`]],
  },
  {
    name: 'a reset drops what was begun before it',
    steps: [{ at: 0, begin: 'old' }, { at: 100, reset: true }, { at: 200, succeed: 'check', verified: true }, { at: 300, fail: 'old', counts: false }],
    status: 'UP', logs: [],
  },
];

function run(c: Case): { status: InstanceStatus; logs: [LogLevel, string][] } {
  let now = 0;
  const logs: [LogLevel, string][] = [];
  const tracker = new InstanceHealthTracker({ ...DEFAULT_HEALTH_POLICY, ...c.policy }, (message, level = 'info') => logs.push([level, message]), () => now);
  if (!c.unverified) tracker.succeeded(SL, tracker.begin(), { verified: true });
  const tickets = new Map<string, Ticket>();
  const ticket = (label: string): Ticket => tickets.get(label) ?? tracker.begin();
  for (const step of c.steps) {
    now = step.at;
    let counted: boolean;
    if ('begin' in step) {
      tickets.set(step.begin, tracker.begin());
      continue;
    } else if ('reset' in step) {
      tracker.reset(SL, tracker.begin());
      continue;
    } else if ('fail' in step) {
      counted = tracker.failed(SL, ticket(step.fail), step.reason ?? 'ECONNREFUSED');
    } else if ('succeed' in step) {
      counted = tracker.succeeded(SL, ticket(step.succeed), { verified: step.verified });
    } else {
      counted = tracker.refused(SL, ticket(step.refuse), 'schema differs');
    }
    if (step.counts !== undefined) expect(counted, JSON.stringify(step)).toBe(step.counts);
  }
  return { status: tracker.healthOf(SL).status, logs };
}

describe('instance health (hysteresis, stale results, state-change log)', () => {
  it.each(CASES)('$name', (c) => {
    expect(run(c)).toEqual({ status: c.status, logs: c.logs });
  });

  it('keeps an instance that failed but is still UP suspect until a success or the end of the window', () => {
    let now = 0;
    const tracker = new InstanceHealthTracker(DEFAULT_HEALTH_POLICY, () => undefined, () => now);
    tracker.succeeded(SL, tracker.begin(), { verified: true });
    expect(tracker.isSuspect(SL)).toBe(false);
    tracker.failed(SL, tracker.begin(), 'ECONNREFUSED');
    expect(tracker.isSuspect(SL)).toBe(true);
    now = 10_001;
    expect(tracker.isSuspect(SL)).toBe(false);
    tracker.failed(SL, tracker.begin(), 'ECONNREFUSED');
    tracker.succeeded(SL, tracker.begin());
    expect(tracker.isSuspect(SL)).toBe(false);
  });

  it('names an instance owning every region as such', () => {
    expect(describeInstance({ name: 'people', subgraph: 'people', regions: REGIONS })).toBe('people (people, all regions)');
    expect(describeInstance({ name: 'people-de-th', subgraph: 'people', regions: ['DE', 'TH'] as Region[] })).toBe('people-de-th (people, regions DE, TH)');
  });
});

/** A subgraph instance over real HTTP whose answers to probes and to queries the test steers. */
interface FakeInstance {
  url: string;
  probe: { delayMs: number; fails: boolean };
  query: { drops: boolean };
  probes: number;
  /** When each probe arrived and when it was answered (ms). */
  probeTimes: { start: number; end: number }[];
  probesInFlight: number;
  mostProbesInFlight: number;
  queries: number;
  close(): Promise<void>;
}

const SDL = 'type Query { hello: String }';

async function fakeInstance(): Promise<FakeInstance> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    if (req.method !== 'POST') {
      res.writeHead(404).end();
    } else if (body.includes('_service')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { _service: { sdl: SDL } } }));
    } else if (body.includes('{ __typename }')) {
      fake.probes++;
      const start = performance.now();
      fake.mostProbesInFlight = Math.max(fake.mostProbesInFlight, ++fake.probesInFlight);
      await new Promise((resolve) => setTimeout(resolve, fake.probe.delayMs));
      fake.probesInFlight--;
      fake.probeTimes.push({ start, end: performance.now() });
      if (fake.probe.fails) res.writeHead(500).end('broken');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"__typename":"Query"}}');
    } else {
      fake.queries++;
      if (fake.query.drops) req.socket.destroy();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"hello":"Moin"}}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake: FakeInstance = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    probe: { delayMs: 0, fails: false },
    query: { drops: false },
    probes: 0, probeTimes: [], probesInFlight: 0, mostProbesInFlight: 0, queries: 0,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return fake;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A registry over one fake instance; its own probe loop waits a minute unless told otherwise. */
async function registryOver(options: Partial<RegistryOptions> = {}): Promise<{
  registry: TopologyRegistry; fake: FakeInstance; instance: Instance; logs: [LogLevel, string][];
}> {
  const fake = await fakeInstance();
  cleanups.push(() => fake.close());
  const logs: [LogLevel, string][] = [];
  const topology = buildTopology({ subgraphs: { tiny: [{ name: 'tiny-sl', url: fake.url, regions: ['SL'], timeoutMs: 1_000 }] } }, ['tiny']);
  const registry = await TopologyRegistry.create({
    expected: new Map([['tiny', buildSubgraph('tiny', fake.url, SDL).schema.toGraphQLJSSchema()]]),
    topology,
    signer: TEST_SIGNER,
    healthIntervalMs: 60_000,
    log: (message, level = 'info') => logs.push([level, message]),
    ...options,
  });
  cleanups.push(() => registry.stop());
  return { registry, fake, instance: registry.instances('tiny')[0], logs };
}

describe('registry health over HTTP', () => {
  it('starts a round of probes only an interval after the previous one finished, however slowly an instance answers', async () => {
    const { registry, fake } = await registryOver({ healthIntervalMs: 150 });
    fake.probe.delayMs = 250;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    registry.stop();
    while (fake.probesInFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.probes).toBeGreaterThanOrEqual(3);
    expect(fake.mostProbesInFlight).toBe(1);
    const pauses = fake.probeTimes.slice(1).map((probe, index) => probe.start - fake.probeTimes[index].end);
    expect(Math.min(...pauses)).toBeGreaterThanOrEqual(140);
  });

  it('never has two probes of an instance in flight, whoever asks for them', async () => {
    const { registry, fake } = await registryOver();
    fake.probe.delayMs = 250;
    await Promise.all([registry.probeAll(), registry.probeAll(), registry.probeAll()]);
    expect(fake.probes).toBe(1);
    expect(fake.mostProbesInFlight).toBe(1);
  });

  it('probes an instance that failed but is still UP again soon, so that it is out long before three intervals', async () => {
    const { registry, fake, instance } = await registryOver({ healthIntervalMs: 1_000, recheckIntervalMs: 50 });
    fake.probe.fails = true;
    const started = performance.now();
    while (registry.healthOf(instance).status === 'UP' && performance.now() - started < 3_000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(registry.healthOf(instance).status).toBe('DOWN');
    expect(fake.probes).toBe(3);
    // Three rounds of 1 s would take 3 s; the rechecks take it out within the first two.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('stops probing when stopped', async () => {
    const { registry, fake } = await registryOver({ healthIntervalMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.probes).toBeGreaterThan(0);
    registry.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const probes = fake.probes;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.probes).toBe(probes);
  });

  it('keeps an instance in after one failed request, takes it out at the third, for every caller, until a probe sees it back', async () => {
    const { registry, fake, instance, logs } = await registryOver();
    expect((await sendToInstance(registry, instance, { query: '{ hello }' })).data).toEqual({ hello: 'Moin' });
    fake.query.drops = true;
    for (const attempt of [1, 2]) {
      await expect(sendToInstance(registry, instance, { query: '{ hello }' }), `attempt ${attempt}`).rejects.toBeInstanceOf(InstanceUnavailable);
      expect(registry.healthOf(instance).status).toBe('UP');
    }
    expect(fake.queries).toBe(3);
    await expect(sendToInstance(registry, instance, { query: '{ hello }' })).rejects.toBeInstanceOf(InstanceUnavailable);
    expect(registry.healthOf(instance).status).toBe('DOWN');
    expect(logs).toEqual([['warn', expect.stringMatching(/^instance tiny-sl \(tiny, regions SL\) is DOWN after 3 failures in \d+\.\d s: \S+/)]]);

    // Out for everyone: fails fast without reaching it.
    await expect(sendToInstance(registry, instance, { query: '{ hello }' })).rejects.toBeInstanceOf(InstanceUnavailable);
    expect(fake.queries).toBe(4);

    fake.query.drops = false;
    await registry.probeAll();
    expect(registry.healthOf(instance).status).toBe('UP');
    expect(logs).toHaveLength(2);
    expect(logs[1]).toEqual(['info', expect.stringMatching(/^instance tiny-sl \(tiny, regions SL\) is UP again \(it was DOWN: \S+\)$/)]);
    expect((await sendToInstance(registry, instance, { query: '{ hello }' })).data).toEqual({ hello: 'Moin' });
  });

  it('drops a failing probe begun before a successful request, and counts one begun after it', async () => {
    const { registry, fake, instance, logs } = await registryOver({ failureThreshold: 1 });
    fake.probe = { delayMs: 300, fails: true };
    const slowProbe = registry.probeAll();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await sendToInstance(registry, instance, { query: '{ hello }' })).data).toEqual({ hello: 'Moin' });
    await slowProbe;
    expect(registry.healthOf(instance).status).toBe('UP');
    expect(logs).toEqual([]);

    await registry.probeAll();
    expect(registry.healthOf(instance)).toMatchObject({ status: 'DOWN', reason: 'HTTP 500' });
    expect(logs).toEqual([['warn', 'instance tiny-sl (tiny, regions SL) is DOWN after 1 failure: HTTP 500']]);
  });
});
