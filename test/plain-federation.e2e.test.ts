/**
 * With one instance per subgraph the hub's gateway is plain federation: for the same operations
 * (aliases, fragments, variables and their defaults included) it answers exactly as stock
 * `@apollo/gateway` does over the same instances, in the same order. And when that one instance
 * is away, the rest of the answer stands, the missing part named as unavailable.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathOf } from '../subgraphs/kit/signing.js';
import { DEMO } from '../data/demo/ids.js';
import { SUPERGRAPH_PATH } from '../scripts/lib/paths.js';
import { graphqlClient, type GraphQLClient } from './support/client.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { TEST_SIGNER } from './support/security.js';

type RemoteOptions = Parameters<NonNullable<RemoteGraphQLDataSource['willSendRequest']>>[0];

/** Stock Apollo's data source, signing as the hub's gateway does (instances answer nothing else). */
class SigningDataSource extends RemoteGraphQLDataSource {
  constructor(url: string, private readonly instance: string) {
    super({ url });
  }

  override willSendRequest({ request }: RemoteOptions): void {
    const { http, ...withoutHttp } = request;
    const signature = TEST_SIGNER.sign({ audience: this.instance, method: http!.method, path: pathOf(http!.url), body: JSON.stringify(withoutHttp) });
    for (const [name, value] of Object.entries(signature)) http!.headers.set(name, value);
  }
}

let hub: TestHub;
let stock: { query: GraphQLClient; server: ApolloServer };

beforeAll(async () => {
  hub = await startTestHub({ seed: true });
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    // The supergraph's own `hub` subgraph (topology fields) is not asked by these operations.
    buildService: ({ name, url }) => new SigningDataSource(hub.subgraphs[name]?.url ?? url!, name),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  stock = { query: graphqlClient(url), server };
}, 90_000);
afterAll(async () => {
  await stock?.server.stop();
  await hub?.stop();
});

const OPERATIONS: [string, string, Record<string, unknown>?][] = [
  ['NetworkMembers', `query NetworkMembers { networks(region: BW) { id name kind region
    memberAlliances { alliance { id name region foundedOn } since } meetings { number date place topics } } }`],
  ['FindAlliances', `query FindAlliances($text: String = "Iserlohn") { alliances(filter: { text: $text }, first: 10) { totalCount
    edges { cursor node { id name region foundedOn municipality { name ags } fieldsOfAction memberships { joinedOn organization { name kind } }
    contacts { name } projects { title status } networks { name } } } pageInfo { hasNextPage endCursor } } }`],
  ['Dashboard', `query Dashboard { projectStatistics(filter: { regions: [SL, ST, BW, NW] }) { total byRegion { region count }
    byFieldOfAction { fieldOfAction count } byStatus { status count } byFundingProgramme { programme count } byYear { year count } } }`],
  ['aliases and fragments', `query { first: alliances(first: 2) { ...page } second: alliances(first: 2, after: null) { ...page }
    ids: networks { key: id } } fragment page on AllianceConnection { totalCount edges { node { ... on Alliance { n: name id } } } }`],
  ['variables with defaults', `query($id: ID! = "${DEMO.alliance.saarbruecken}", $n: Int = 3) { alliance(id: $id) { name contacts { name } }
    people(first: $n) { edges { node { name } } } }`],
  ['given variables', `query($id: ID!, $n: Int) { alliance(id: $id) { name } people(first: $n) { totalCount } }`, { id: DEMO.alliance.heidelberg, n: 1 }],
];

describe('plain federation (one instance per subgraph)', () => {
  it.each(OPERATIONS)('%s: the same answer as stock Apollo Gateway, in the same order', async (_name, query, variables) => {
    const [ours, theirs] = await Promise.all([hub.anonymous(query, variables), stock.query(query, variables)]);
    expect(ours.errors).toBeUndefined();
    expect(theirs.errors).toBeUndefined();
    expect(ours.data).toEqual(theirs.data);
    expect(JSON.stringify(ours.data)).toBe(JSON.stringify(theirs.data));
  });

  it('keeps the rest of an answer when the one instance of a subgraph is away, naming what is missing', async () => {
    const people = hub.subgraphs.people;
    await people.stop();
    const result = await hub.anonymous(`query($id: ID!) { alliances(first: 1) { totalCount } person(id: $id) { name } }`, { id: DEMO.person.kemmer });
    expect(result.data.alliances.totalCount).toBeGreaterThan(0);
    expect(result.data.person).toBeNull();
    expect(result.errors).toContainEqual(expect.objectContaining({
      extensions: expect.objectContaining({ code: 'REGION_UNAVAILABLE', subgraph: 'people', instance: 'people' }),
    }));
    expect(JSON.stringify(result.errors)).not.toContain('INTERNAL_SERVER_ERROR');
  });
});
