/**
 * One gateway under test, in its own process so that its CPU time and memory are its own.
 * Started by run.ts through BenchChild; it receives a GatewayConfig, answers with its URL, then
 * answers `stats` messages with its CPU time, memory and (floor only) SQL statement count until
 * it gets `stop`.
 *
 * Kinds:
 * - hub:    the hub's gateway as shipped (startGateway): a topology file (regional) or one URL per subgraph;
 * - apollo: stock @apollo/gateway + @apollo/server, default settings; a RemoteGraphQLDataSource subclass
 *           adds the hub's signature header in willSendRequest (the data source stringifies the request
 *           without `http` after that hook, so the signature is computed over the same JSON text);
 * - hive:   @graphql-hive/gateway-runtime's createGatewayRuntime on the same supergraph, served by node:http;
 *           signing in a `useCustomFetch` plugin, which sees the exact body the executor serialised
 *           (so no signing proxy is needed);
 * - floor:  no GraphQL at all: direct SQL (pg) against the single-instance databases, same JSON shape.
 * apollo and hive sign as the hub's gateway does (RequestSigner, sessions included), for each instance under its subgraph's name.
 */
import './quiet.js';
import 'reflect-metadata';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { RemoteGraphQLDataSource as RemoteDataSource } from '@apollo/gateway';
import { RequestSigner, pathOf, readSigningKey } from '../../subgraphs/kit/index.js';
import { encodeCursor, readCursor } from '../../subgraphs/shared/cursor.js';
import { TEXT_SEARCH_CONFIG, germanTsQuery } from '../../subgraphs/kit/text-search.js';
import { serveParent } from './child.js';

export type GatewayKind = 'hub' | 'apollo' | 'hive' | 'floor';

export interface GatewayConfig {
  kind: GatewayKind;
  supergraphSdl: string;
  /** The gateway's Ed25519 private key, PKCS#8 PEM. */
  signingKey: string;
  jwtSecret: string;
  /** hub regional mode. */
  topologyPath?: string;
  /** Single instances: subgraph name → URL. */
  subgraphUrls?: Record<string, string>;
  /** hub: the gateway-side savings as shipped (in-flight sharing, answer cache); false measures the work without them. */
  savings?: boolean;
  /** floor: subgraph name → database URL (single-instance databases). */
  databaseUrls?: Record<string, string>;
}

/** The supergraph with its subgraph URLs replaced (join__graph url arguments). */
export function withSubgraphUrls(sdl: string, urls: Record<string, string>): string {
  return sdl.replace(/@join__graph\(name: "([^"]+)", url: "([^"]*)"\)/g, (all, name: string) =>
    (urls[name] ? `@join__graph(name: "${name}", url: "${urls[name]}")` : all));
}

async function startHub(config: GatewayConfig): Promise<{ url: string; stop(): Promise<void> }> {
  const { startGateway } = await import('../../gateway/server.js');
  const { tokenAuthenticator } = await import('../../gateway/auth.js');
  const { DEFAULT_ANSWER_CACHE } = await import('../../gateway/regional/answer-cache.js');
  const gateway = await startGateway({
    supergraphSdl: config.supergraphSdl,
    topologyPath: config.topologyPath,
    subgraphUrls: config.topologyPath ? undefined : config.subgraphUrls,
    security: { signingKey: readSigningKey(config.signingKey), authenticate: await tokenAuthenticator({ secret: config.jwtSecret }) },
    port: 0, host: '127.0.0.1',
    ...(config.savings === false ? { shareInFlight: false } : { shareInFlight: true, answerCache: DEFAULT_ANSWER_CACHE }),
  });
  return { url: gateway.url, stop: () => gateway.stop() };
}

async function startApollo(config: GatewayConfig): Promise<{ url: string; stop(): Promise<void> }> {
  const { ApolloGateway, RemoteGraphQLDataSource } = await import('@apollo/gateway');
  const { ApolloServer } = await import('@apollo/server');
  const { startStandaloneServer } = await import('@apollo/server/standalone');
  const signer = new RequestSigner(readSigningKey(config.signingKey));
  class SigningDataSource extends RemoteGraphQLDataSource {
    constructor(url: string, private readonly instance: string) {
      super({ url });
    }

    override willSendRequest({ request }: Parameters<NonNullable<RemoteDataSource['willSendRequest']>>[0]): void {
      const { http, ...withoutHttp } = request;
      const signature = signer.sign({ audience: this.instance, method: http!.method, path: pathOf(http!.url), body: JSON.stringify(withoutHttp) });
      for (const [name, value] of Object.entries(signature)) http!.headers.set(name, value);
    }

    // Every answer passes here: the instance's answer to a session offer, as the hub's gateway takes it.
    override parseBody(...args: Parameters<RemoteDataSource['parseBody']>): ReturnType<RemoteDataSource['parseBody']> {
      const [response] = args;
      signer.answered(this.instance, response);
      return super.parseBody(...args);
    }
  }
  const urls = config.subgraphUrls ?? {};
  const gateway = new ApolloGateway({
    supergraphSdl: config.supergraphSdl,
    buildService: ({ name, url }) => new SigningDataSource(urls[name] ?? url!, name),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}

async function startHive(config: GatewayConfig): Promise<{ url: string; stop(): Promise<void> }> {
  const { createGatewayRuntime, useCustomFetch } = await import('@graphql-hive/gateway-runtime');
  const signer = new RequestSigner(readSigningKey(config.signingKey));
  const instanceAt = new Map(Object.entries(config.subgraphUrls ?? {}).map(([name, url]) => [url, name]));
  const signingFetch = (async (url: string | URL, init?: RequestInit) => {
    const body = typeof init?.body === 'string' ? init.body : '';
    const headers = new Headers(init?.headers as HeadersInit | undefined);
    const audience = instanceAt.get(String(url)) ?? '';
    const signature = signer.sign({ audience, method: init?.method ?? 'GET', path: pathOf(url), body });
    for (const [name, value] of Object.entries(signature)) headers.set(name, value);
    const response = await fetch(url, { ...init, headers });
    signer.answered(audience, response);
    return response;
  });
  const runtime = createGatewayRuntime({
    supergraph: withSubgraphUrls(config.supergraphSdl, config.subgraphUrls ?? {}),
    logging: false,
    plugins: () => [useCustomFetch(signingFetch as never)],
  });
  const server = createServer(runtime as never);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => { await new Promise((resolve) => server.close(resolve)); await runtime.dispose(); },
  };
}

// ---------------------------------------------------------------------------------------------
// The floor: the benchmark operations answered with plain SQL.

type Json = Record<string, unknown>;
let statements = 0;

function floorHandler(databaseUrls: Record<string, string>) {
  const pools = Object.fromEntries(Object.entries(databaseUrls).map(([name, url]) => [name, new pg.Pool({ connectionString: url, max: 10 })]));
  const q = async <T = Json>(subgraph: string, sql: string, params: unknown[] = []): Promise<T[]> => {
    statements++;
    return (await pools[subgraph].query(sql, params)).rows as T[];
  };
  const group = <T extends Json>(rows: T[], key: string) => {
    const map = new Map<string, T[]>();
    for (const row of rows) {
      const k = row[key] as string;
      let list = map.get(k);
      if (!list) map.set(k, list = []);
      list.push(row);
    }
    return map;
  };
  const personName = (p: Json) => [p.given_name, p.family_name].filter(Boolean).join(' ');

  async function contactsOf(allianceIds: string[]): Promise<Map<string, Json[]>> {
    const rows = await q('people', `select r.alliance_id, p.id, p.given_name, p.family_name, p.sort_key from role r
      join person p on p.id = r.person_id where r.alliance_id = any($1) and r.until is null`, [allianceIds]);
    const result = new Map<string, Json[]>();
    for (const [allianceId, list] of group(rows, 'alliance_id')) {
      const unique = [...new Map(list.map((r) => [r.id as string, r])).values()]
        .sort((a, b) => (a.sort_key! < b.sort_key! ? -1 : a.sort_key! > b.sort_key! ? 1 : a.id! < b.id! ? -1 : 1));
      result.set(allianceId, unique.map((p) => ({ name: personName(p) })));
    }
    return result;
  }
  async function projectsOf(allianceIds: string[], shape: (row: Json) => Json): Promise<Map<string, Json[]>> {
    const rows = await q('projects', `select id, title, status, funding_programme, lead_alliance_id, partner_alliance_ids from project
      where lead_alliance_id = any($1) or partner_alliance_ids && $1::text[] order by sort_key asc, id asc`, [allianceIds]);
    const wanted = new Set(allianceIds);
    const result = new Map<string, Json[]>();
    for (const row of rows) {
      for (const id of new Set([row.lead_alliance_id as string | null, ...(row.partner_alliance_ids as string[])])) {
        if (id && wanted.has(id)) { let list = result.get(id); if (!list) result.set(id, list = []); list.push(shape(row)); }
      }
    }
    return result;
  }

  const operations: Record<string, (variables: Json) => Promise<Json>> = {
    async NetworkMembers(variables) {
      const networks = await q('networks', 'select id, name, kind, region from network where region = $1 order by sort_key asc, id asc limit 100', [variables.region]);
      const ids = networks.map((n) => n.id);
      const [members, meetings] = await Promise.all([
        q('networks', 'select network_id, alliance_id, since from network_member where network_id = any($1) order by since asc, alliance_id asc', [ids]),
        q('networks', 'select network_id, number, date, place, topics from meeting where network_id = any($1) order by number asc, date asc, id asc', [ids]),
      ]);
      const alliances = new Map((await q('alliances', 'select id, name, region, founded_on from alliance where id = any($1)',
        [[...new Set(members.map((m) => m.alliance_id))]])).map((a) => [a.id as string, a]));
      const membersBy = group(members, 'network_id');
      const meetingsBy = group(meetings, 'network_id');
      return {
        networks: networks.map((n) => ({
          id: n.id, name: n.name, kind: n.kind, region: n.region,
          memberAlliances: (membersBy.get(n.id as string) ?? []).map((m) => {
            const a = alliances.get(m.alliance_id as string);
            return { alliance: a ? { id: a.id, name: a.name, region: a.region, foundedOn: a.founded_on } : null, since: m.since };
          }),
          meetings: (meetingsBy.get(n.id as string) ?? []).map((m) => ({ number: m.number, date: m.date, place: m.place, topics: m.topics })),
        })),
      };
    },
    async FindAlliances(variables) {
      // The subgraph's filter and keyset: text search on the generated column, then (sort_key, id) after the cursor.
      const text = typeof variables.text === 'string' ? germanTsQuery(variables.text) : undefined;
      const after = typeof variables.after === 'string' ? readCursor(variables.after) : undefined;
      const where = text ? `where search @@ to_tsquery('${TEXT_SEARCH_CONFIG}', $1)` : 'where true';
      const params = text ? [text] : [];
      const keyset = after ? ` and (sort_key > $${params.length + 1} or (sort_key = $${params.length + 1} and id > $${params.length + 2}))` : '';
      const [[{ n }], page] = await Promise.all([
        q<{ n: number }>('alliances', `select cast(count(*) as int) as n from alliance ${where}`, params),
        q('alliances', `select id, name, region, founded_on, municipality_name, municipality_ags, fields_of_action, sort_key from alliance
          ${where}${keyset} order by sort_key asc, id asc limit 51`, after ? [...params, ...after] : params),
      ]);
      const nodes = page.slice(0, 50);
      const ids = nodes.map((a) => a.id as string);
      const [memberships, contacts, projects, networks] = await Promise.all([
        q('alliances', `select m.alliance_id, m.joined_on, o.name, o.kind from membership m join organization o on o.id = m.organization_id
          where m.alliance_id = any($1) order by m.joined_on asc, m.id asc`, [ids]),
        contactsOf(ids),
        projectsOf(ids, (p) => ({ title: p.title, status: p.status })),
        q('networks', `select nm.alliance_id, n.name from network_member nm join network n on n.id = nm.network_id
          where nm.alliance_id = any($1) and nm.until is null order by n.sort_key asc, n.id asc`, [ids]),
      ]);
      const membershipsBy = group(memberships, 'alliance_id');
      const networksBy = group(networks, 'alliance_id');
      const last = nodes.at(-1);
      return {
        alliances: {
          totalCount: n,
          edges: nodes.map((a) => ({
            node: {
              id: a.id, name: a.name, region: a.region, foundedOn: a.founded_on,
              municipality: a.municipality_name === null && a.municipality_ags === null ? null : { name: a.municipality_name, ags: a.municipality_ags },
              fieldsOfAction: a.fields_of_action,
              memberships: (membershipsBy.get(a.id as string) ?? []).map((m) => ({ joinedOn: m.joined_on, organization: { name: m.name, kind: m.kind } })),
              contacts: contacts.get(a.id as string) ?? [],
              projects: projects.get(a.id as string) ?? [],
              networks: (networksBy.get(a.id as string) ?? []).map((x) => ({ name: x.name })),
            },
          })),
          pageInfo: { hasNextPage: page.length > 50, endCursor: last ? encodeCursor(last.sort_key as string, last.id as string) : null },
        },
      };
    },
    async Dashboard(variables) {
      type Row = { dimension: string; key: string | null; count: number };
      // No regions (null) means all of them, as in the subgraphs' statistics filters.
      const regions = Array.isArray(variables.regions) && variables.regions.length ? variables.regions : null;
      const [p, a] = await Promise.all([
        q<Row>('projects', `with p as (select region, status, funding_programme, starts_on, fields_of_action from project
            where $1::text[] is null or region = any($1))
          select 'total' as dimension, null::text as key, cast(count(*) as int) as count from p
          union all select 'region', p.region, cast(count(*) as int) from p group by p.region
          union all select 'fieldOfAction', f.field, cast(count(*) as int) from p cross join lateral unnest(p.fields_of_action) as f(field) group by f.field
          union all select 'status', p.status, cast(count(*) as int) from p group by p.status
          union all select 'programme', p.funding_programme, cast(count(*) as int) from p group by p.funding_programme
          union all select 'year', left(p.starts_on, 4), cast(count(*) as int) from p group by left(p.starts_on, 4)
          order by dimension, count desc, key nulls last`, [regions]),
        q<Row>('alliances', `with a as (select id, region, founded_on, fields_of_action from alliance where $1::text[] is null or region = any($1)),
          m as (select m.organization_id, m.region, m.joined_on, m.left_on from membership m join a on a.id = m.alliance_id)
          select 'total' as dimension, null::text as key, cast(count(*) as int) as count from a
          union all select 'region', a.region, cast(count(*) as int) from a group by a.region
          union all select 'foundingYear', left(a.founded_on, 4), cast(count(*) as int) from a group by left(a.founded_on, 4)
          union all select 'fieldOfAction', f.field, cast(count(*) as int) from a cross join lateral unnest(a.fields_of_action) as f(field) group by f.field
          union all select 'organizationKind', o.kind, cast(count(distinct o.id) as int) from m join organization o on o.id = m.organization_id and o.region = m.region where m.left_on is null group by o.kind
          union all select 'memberships', null, cast(count(*) as int) from m where m.left_on is null
          order by dimension, count desc, key nulls last`, [regions]),
      ]);
      const of = (rows: Row[], d: string) => rows.filter((r) => r.dimension === d);
      const year = (k: string | null) => (k === null ? null : Number(k));
      return {
        projectStatistics: {
          total: of(p, 'total')[0]?.count ?? 0,
          byRegion: of(p, 'region').map((r) => ({ region: r.key, count: r.count })),
          byFieldOfAction: of(p, 'fieldOfAction').map((r) => ({ fieldOfAction: r.key, count: r.count })),
          byStatus: of(p, 'status').map((r) => ({ status: r.key, count: r.count })),
          byFundingProgramme: of(p, 'programme').map((r) => ({ programme: r.key, count: r.count })),
          byYear: of(p, 'year').map((r) => ({ year: year(r.key), count: r.count })),
        },
        allianceStatistics: {
          total: of(a, 'total')[0]?.count ?? 0,
          byRegion: of(a, 'region').map((r) => ({ region: r.key, count: r.count })),
          byFoundingYear: of(a, 'foundingYear').map((r) => ({ year: year(r.key), count: r.count })),
          byFieldOfAction: of(a, 'fieldOfAction').map((r) => ({ fieldOfAction: r.key, count: r.count })),
          organizationsByKind: of(a, 'organizationKind').map((r) => ({ kind: r.key, count: r.count })),
          memberships: of(a, 'memberships')[0]?.count ?? 0,
        },
      };
    },
    async NodeLookup(variables) {
      const [[alliance], [project], [network]] = await Promise.all([
        q('alliances', 'select id, name, region, founded_on, fields_of_action from alliance where id = $1', [variables.alliance]),
        q('projects', 'select id, title, status, funding_programme, starts_on, lead_alliance_id from project where id = $1', [variables.project]),
        q('networks', 'select id, name, kind from network where id = $1', [variables.network]),
      ]);
      const [memberships, members] = await Promise.all([
        alliance ? q('alliances', `select m.joined_on, o.name, o.kind from membership m join organization o on o.id = m.organization_id
          where m.alliance_id = $1 order by m.joined_on asc, m.id asc`, [alliance.id]) : Promise.resolve([]),
        network ? q('networks', 'select alliance_id, since from network_member where network_id = $1 order by since asc, alliance_id asc', [network.id])
          : Promise.resolve([]),
      ]);
      const wanted = [...new Set([project?.lead_alliance_id, ...members.map((m) => m.alliance_id)].filter(Boolean))];
      const names = new Map((wanted.length ? await q('alliances', 'select id, name from alliance where id = any($1)', [wanted]) : [])
        .map((a) => [a.id as string, { id: a.id, name: a.name }]));
      return {
        alliance: alliance ? {
          id: alliance.id, name: alliance.name, region: alliance.region, foundedOn: alliance.founded_on, fieldsOfAction: alliance.fields_of_action,
          memberships: memberships.map((m) => ({ joinedOn: m.joined_on, organization: { name: m.name, kind: m.kind } })),
        } : null,
        project: project ? {
          id: project.id, title: project.title, status: project.status, fundingProgramme: project.funding_programme, startsOn: project.starts_on,
          leadAlliance: project.lead_alliance_id ? names.get(project.lead_alliance_id as string) ?? null : null,
        } : null,
        network: network ? {
          id: network.id, name: network.name, kind: network.kind,
          memberAlliances: members.map((m) => ({ since: m.since, alliance: names.get(m.alliance_id as string) ?? null })),
        } : null,
      };
    },
    async EntityHeavy(variables) {
      const [network] = await q('networks', 'select id, name from network where id = $1', [variables.id]);
      if (!network) return { network: null };
      const members = await q('networks', 'select alliance_id, since from network_member where network_id = $1 order by since asc, alliance_id asc', [network.id]);
      const ids = [...new Set(members.map((m) => m.alliance_id as string))];
      const [alliances, contacts, projects] = await Promise.all([
        q('alliances', 'select id, name, region from alliance where id = any($1)', [ids]),
        contactsOf(ids),
        projectsOf(ids, (p) => ({ title: p.title, status: p.status, fundingProgramme: p.funding_programme })),
      ]);
      const byId = new Map(alliances.map((a) => [a.id as string, a]));
      return {
        network: {
          id: network.id, name: network.name,
          memberAlliances: members.map((m) => {
            const a = byId.get(m.alliance_id as string);
            return {
              since: m.since,
              alliance: a ? { id: a.id, name: a.name, region: a.region, contacts: contacts.get(a.id as string) ?? [], projects: projects.get(a.id as string) ?? [] } : null,
            };
          }),
        },
      };
    },
  };

  return {
    handle: async (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { operationName?: string; variables?: Json };
        const operation = operations[body.operationName ?? ''];
        if (!operation) throw new Error(`the floor knows no operation ${body.operationName}`);
        const data = await operation(body.variables ?? {});
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
      } catch (error) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: (error as Error).message }] }));
      }
    },
    stop: () => Promise.all(Object.values(pools).map((p) => p.end())),
  };
}

async function startFloor(config: GatewayConfig): Promise<{ url: string; stop(): Promise<void> }> {
  const floor = floorHandler(config.databaseUrls!);
  const server = createServer((req, res) => void floor.handle(req, res));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, stop: async () => { await new Promise((r) => server.close(r)); await floor.stop(); } };
}

const STARTERS: Record<GatewayKind, (config: GatewayConfig) => Promise<{ url: string; stop(): Promise<void> }>> = {
  hub: startHub, apollo: startApollo, hive: startHive, floor: startFloor,
};

if (process.send) {
  let running: { url: string; stop(): Promise<void> } | undefined;
  serveParent(async (message) => {
    if (message.type !== 'start') throw new Error(`unknown message ${message.type}`);
    const config = message.config as GatewayConfig;
    running = await STARTERS[config.kind](config);
    return { type: 'started', url: running.url };
  }, async () => ({ statements, operations: 0 }), async () => { await running?.stop(); });
}
