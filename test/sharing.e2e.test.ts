import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, encodeViewer, viewerFromRoles, type Region } from '../subgraphs/kit/index.js';
import { signatureClaims } from './support/security.js';
import type { GraphQLClient, GraphQLResponse } from './support/client.js';
import { instanceName, startTestHub, type TestHub } from './support/hub.js';
import type { TestSubgraph } from './support/subgraph.js';

/**
 * Identical reads in flight at the same time share one subgraph request, but only within one
 * viewer: contact data is personal data, and a shared answer must never reach a caller who may
 * not see it.
 */
let hub: TestHub;
let people: RecordingProxy;
let alliances: RecordingProxy;
/** An SL person with contact data and no consent: only SL editors (and hub admins) see it. */
let personId: string;
const CONTACT = { email: 'w.teilen@example.org', phone: '0681 4711' };

/**
 * Each caller also reads an alliance of its own (`witness`), which the alliances instance gets in
 * the same parallel step of the query plan as the people read: once it arrives, the caller's
 * people read has already passed the gateway's sharing.
 */
const QUERY = `query SharedContact($id: ID!, $witness: ID!) {
  person(id: $id) { name contact { email phone } }
  alliance(id: $witness) { id }
}`;
const PEOPLE_READ = 'SharedContact__people__';
const WITNESS_READ = 'SharedContact__alliances__';

interface SeenRequest { body: string; viewer: string }

interface RecordingProxy {
  url: string;
  /** Every request but the registry's probes, in arrival order. */
  seen: SeenRequest[];
  /** Holds every recorded request until the returned function is called. */
  hold(): () => void;
  close(): Promise<void>;
}

/** Health, schema and reference probes: passed through at once and not recorded. */
const isProbe = (method: string | undefined, body: string): boolean =>
  method !== 'POST' || body.includes('_service') || body.includes('{ __typename }');

/** Headers a fetch may not set or that describe the proxy's own connection. */
const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'expect', 'upgrade']);

/** Forwards every request to `target` unchanged (same path, headers and body bytes, so the signature holds). */
async function startRecordingProxy(target: TestSubgraph): Promise<RecordingProxy> {
  const seen: SeenRequest[] = [];
  let gate: Promise<void> = Promise.resolve();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (!isProbe(req.method, body.toString('utf8'))) {
      seen.push({ body: body.toString('utf8'), viewer: signatureClaims(req.headers).viewer });
      await gate;
    }
    try {
      const answer = await fetch(new URL(req.url ?? '/', target.url), {
        method: req.method, headers: forwardable(req.headers), body: req.method === 'POST' ? body : undefined,
      });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
        .end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    seen,
    hold() {
      let open!: () => void;
      gate = new Promise<void>((resolve) => { open = resolve; });
      return open;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function forwardable(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && !HOP_BY_HOP.has(entry[0])));
}

beforeAll(async () => {
  hub = await startTestHub({ seed: true, regions: [['SL'], ['BW', 'DE', 'NW', 'ST', 'TH']] as Region[][] });
  const created = await hub.query('mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }', {
    input: { region: 'SL', givenName: 'Wiebke', familyName: 'Teilen', contact: CONTACT },
  });
  expect(created.errors).toBeUndefined();
  personId = created.data.createPerson.id;

  const instances = Object.values(hub.subgraphs);
  const peopleSl = instances.find((s) => instanceName(s.name, s.regions!) === 'people-sl')!;
  const alliancesSl = instances.find((s) => instanceName(s.name, s.regions!) === 'alliances-sl')!;
  people = await startRecordingProxy(peopleSl);
  alliances = await startRecordingProxy(alliancesSl);
  await hub.useTopology(instances.map((s) => (s === peopleSl ? { ...s, url: people.url } : s === alliancesSl ? { ...s, url: alliances.url } : s)));
}, 90_000);

afterAll(async () => {
  await hub?.stop();
  await people?.close();
  await alliances?.close();
});

interface Round {
  answers: GraphQLResponse[];
  /** Callers seen in flight while every people read was still held. */
  inFlight: number;
  /** Viewer header of each people read that reached the instance. */
  reads: string[];
}

/**
 * Sends the query for every client, a wave at a time: a wave starts once every caller before it
 * is in flight (its witness arrived), so the first wave's reads are the ones the later callers
 * could share. The people reads are held at the instance until all callers are in flight, so
 * they overlap for certain; they are answered well within the instance's 2 s timeout.
 */
async function concurrently(waves: GraphQLClient[][]): Promise<Round> {
  people.seen.length = 0;
  alliances.seen.length = 0;
  const release = people.hold();
  const deadline = Date.now() + 1_200;
  const witnesses = () => alliances.seen.filter((r) => r.body.includes(WITNESS_READ)).length;
  const sent: Promise<GraphQLResponse>[] = [];
  let inFlight: number;
  try {
    for (const wave of waves) {
      const first = sent.length;
      for (const [index, client] of wave.entries()) {
        const answer = client(QUERY, { id: personId, witness: `SL:alliance:witness-${first + index}` });
        answer.catch(() => undefined);
        sent.push(answer);
      }
      while (witnesses() < sent.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    inFlight = witnesses();
  } finally {
    release();
  }
  return { answers: await Promise.all(sent), inFlight, reads: people.seen.filter((r) => r.body.includes(PEOPLE_READ)).map((r) => r.viewer) };
}

const contactOf = (answer: GraphQLResponse): unknown => {
  expect(answer.errors).toBeUndefined();
  expect(answer.data.person.name).toBe('Wiebke Teilen');
  return answer.data.person.contact;
};

/** How many reads each viewer caused, by the viewer the instance received in the gateway's signature. */
function readsPerViewer(reads: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const viewer of reads) counts[viewer] = (counts[viewer] ?? 0) + 1;
  return counts;
}

describe('sharing of identical reads in flight', () => {
  it('shares a read among callers of one viewer, never across viewers', async () => {
    const editor = hub.as(['editor:SL'], 'editor-sl-a');
    // The editor's read is in flight first: an anonymous caller sharing it would see the contact data.
    const round = await concurrently([[editor], [hub.anonymous, hub.anonymous, hub.anonymous, editor, editor]]);
    expect(round.inFlight, 'callers in flight together').toBe(6);

    const [editorAnswers, anonymousAnswers] = [[0, 4, 5], [1, 2, 3]].map((indexes) => indexes.map((i) => round.answers[i]));
    for (const answer of anonymousAnswers) expect(contactOf(answer)).toBeNull();
    for (const answer of editorAnswers) expect(contactOf(answer)).toEqual(CONTACT);

    expect(readsPerViewer(round.reads)).toEqual({
      [encodeViewer(viewerFromRoles('editor-sl-a', ['editor:SL']))]: 1,
      [encodeViewer(ANONYMOUS)]: 1,
    });
  });

  it('keeps signed-in people apart even with the same roles: the viewer includes the subject', async () => {
    const [a, b] = [hub.as(['editor:SL'], 'editor-sl-a'), hub.as(['editor:SL'], 'editor-sl-b')];
    const round = await concurrently([[a, b, a, b]]);
    expect(round.inFlight, 'callers in flight together').toBe(4);

    for (const answer of round.answers) expect(contactOf(answer)).toEqual(CONTACT);
    expect(readsPerViewer(round.reads)).toEqual({
      [encodeViewer(viewerFromRoles('editor-sl-a', ['editor:SL']))]: 1,
      [encodeViewer(viewerFromRoles('editor-sl-b', ['editor:SL']))]: 1,
    });
  });

  it('shares nothing once the first read is answered', async () => {
    const editor = hub.as(['editor:SL'], 'editor-sl-a');
    people.seen.length = 0;
    for (let i = 0; i < 2; i++) expect(contactOf(await editor(QUERY, { id: personId, witness: 'SL:alliance:witness-0' }))).toEqual(CONTACT);
    expect(people.seen.filter((r) => r.body.includes(PEOPLE_READ))).toHaveLength(2);
  });
});
