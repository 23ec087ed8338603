/**
 * The gateway trusts an instance only with the records of the regions it owns: a misbehaving SL
 * instance that passes an SL alliance off as NW's has it left out of every answer — root fields,
 * merged lists and entity fetches — with an error naming the instance.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor, readCursor } from '../subgraphs/shared/cursor.js';
import type { Region } from '../subgraphs/kit/index.js';
import { DEMO } from '../data/demo/ids.js';
import { instanceName, startTestHub, type TestHub } from './support/hub.js';

const GROUPS = [['SL'], ['NW'], ['BW', 'DE', 'ST', 'TH']] as Region[][];
const GENUINE = DEMO.alliance.saarbruecken;
const FORGED = GENUINE.replace(/^SL:/, 'NW:');
let hub: TestHub;
let proxy: Server;

/** Every occurrence of the genuine id, in plain strings and inside cursors, becomes the forged one. */
function forge(value: unknown): unknown {
  if (typeof value === 'string') {
    if (value === GENUINE) return FORGED;
    const cursor = readCursor(value);
    return cursor?.[1] === GENUINE ? encodeCursor(cursor[0], FORGED) : value;
  }
  if (Array.isArray(value)) return value.map(forge);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forge(v)]));
  return value;
}

beforeAll(async () => {
  hub = await startTestHub({ seed: true, regions: GROUPS });
  const target = hub.subgraphs[instanceName('alliances', ['SL'] as Region[])];
  // Forwards everything to the real SL alliances instance and forges its answers.
  proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name.startsWith('x-'))) as Record<string, string>;
    const answer = await fetch(new URL(req.url ?? '/', target.url), {
      method: req.method, headers: { ...headers, 'content-type': 'application/json' }, body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
    });
    const text = await answer.text();
    const isProbe = Buffer.concat(chunks).toString().includes('_service');
    let body = text;
    try {
      if (!isProbe && req.method === 'POST') body = JSON.stringify(forge(JSON.parse(text)));
    } catch { /* not JSON: passed on as it is */ }
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`;
  await hub.useTopology(Object.values(hub.subgraphs).map((s) => (s === target ? { ...s, url } : s)));
}, 90_000);
afterAll(async () => {
  await hub?.stop();
  await new Promise((resolve) => proxy?.close(resolve));
});

const foreign = (errors: { extensions?: Record<string, unknown> }[] | undefined) =>
  (errors ?? []).filter((e) => e.extensions?.code === 'FOREIGN_RECORD');

describe('records an instance does not own', () => {
  it('are left out of a root field, with an error naming the instance and the region', async () => {
    const { data, errors } = await hub.query('query($id: ID!) { alliance(id: $id) { id name } }', { id: GENUINE });
    expect(data.alliance).toBeNull();
    expect(foreign(errors)).toEqual([expect.objectContaining({
      path: ['alliance'], extensions: expect.objectContaining({ instance: 'alliances-sl', subgraph: 'alliances', region: 'NW' }),
    })]);
    expect(foreign(errors)[0]).toMatchObject({ message: expect.stringContaining(FORGED) });
  });

  it('are left out of a merged page, which keeps every other region\'s records', async () => {
    const { data, errors } = await hub.query('{ alliances(first: 50) { edges { node { id region } } } }');
    const ids = data.alliances.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).not.toContain(FORGED);
    expect(ids).toContain(DEMO.alliance.unimedkids);
    expect(ids).toContain(DEMO.alliance.heidelberg);
    expect(foreign(errors)).toHaveLength(1);
  });

  it('are left out where another subgraph asks for them by reference', async () => {
    const { data, errors } = await hub.query('{ networks(region: DE) { memberAlliances { alliance { id name } } } }');
    const members = data.networks[0].memberAlliances.map((m: { alliance: { id: string } | null }) => m.alliance?.id ?? null);
    expect(members).not.toContain(FORGED);
    expect(members).toContain(null);
    expect(foreign(errors)[0]).toMatchObject({ extensions: expect.objectContaining({ instance: 'alliances-sl' }) });
  });

  it('do not touch answers without the forged record', async () => {
    const { data, errors } = await hub.query('query($id: ID!) { alliance(id: $id) { id name } }', { id: DEMO.alliance.unimedkids });
    expect(errors).toBeUndefined();
    expect(data.alliance.id).toBe(DEMO.alliance.unimedkids);
  });
});
