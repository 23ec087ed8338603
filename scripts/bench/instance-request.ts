/**
 * What one request from the gateway costs an instance: small `_entities` requests (three alliances
 * each, the ids taken in turn) to one instance in a process of its own, one at a time and 16 at a
 * time, every answer checked. Prints requests per second, the instance process's CPU time and SQL
 * statements per request, and the sender's CPU time per request (signature, HTTP, JSON).
 *   npm run bench:instance [-- --seconds 8 --connections 16 --pg-port 54417]
 * A regional page asks dozens of such requests: this is their cost with no work around them.
 */
import 'reflect-metadata';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Region, startSubgraph } from '../../subgraphs/kit/index.js';
import { SUBGRAPHS } from '../../subgraphs/index.js';
import { RequestSigner } from '../../subgraphs/kit/signing.js';
import { fetchInstance } from '../../gateway/regional/signed-fetch.js';
import { startEmbeddedPostgres } from '../lib/embedded-postgres.js';
import { SubgraphHost } from './child.js';

const REGION = Region.SL;

/** The requests measured: what the regional gateway asks an instance about a few alliances. */
const CASES = [
  { subgraph: 'alliances', what: 'alliances: _entities of 3 alliances { id name }',
    query: 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Alliance { id name } } }' },
  { subgraph: 'people', what: 'people: _entities of 3 alliances { contacts { name } }',
    query: 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Alliance { contacts { name } } } }' },
] as const;

export interface InstanceRequestFigures {
  what: string;
  connections: number;
  perSecond: number;
  instanceCpuMs: number;
  statements: number;
  senderCpuMs: number;
  bad: number;
}

export async function measureInstanceRequests(options: { seconds: number; connections: number[]; pgPort: number; log?: (line: string) => void }): Promise<InstanceRequestFigures[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const keys = generateKeyPairSync('ed25519');
  const publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const postgres = await startEmbeddedPostgres({ name: 'bench-instance', port: options.pgPort, persistent: false });
  const figures: InstanceRequestFigures[] = [];
  try {
    // The demo data of one region, migrated and seeded once by an instance in this process.
    const urls = new Map<string, string>();
    let ids: string[] = [];
    for (const subgraph of new Set(CASES.map((c) => c.subgraph))) {
      const db = `bench_instance_${subgraph}`;
      await postgres.createDatabase(db);
      urls.set(subgraph, postgres.urlFor(db));
      const seeding = await startSubgraph(SUBGRAPHS.find((d) => d.name === subgraph)!, {
        databaseUrl: postgres.urlFor(db), port: 0, host: '127.0.0.1', seed: true, regions: [REGION], instanceName: 'seeding', gatewayPublicKeys: [keys.publicKey],
      });
      if (subgraph === 'alliances') {
        ids = ((await seeding.orm.em.fork().getConnection().execute('select id from alliance order by id')) as { id: string }[]).map((row) => row.id);
      }
      await seeding.stop();
    }
    if (ids.length === 0) throw new Error(`the demo data has no alliance in ${REGION}`);
    const signer = new RequestSigner(keys.privateKey);
    for (const benchCase of CASES) {
      const host = new SubgraphHost();
      try {
        const name = `${benchCase.subgraph}-${REGION.toLowerCase()}`;
        const [url] = await host.start([{ subgraph: benchCase.subgraph, databaseUrl: urls.get(benchCase.subgraph)!, regions: [REGION], name }], publicKey);
        const instance = { name, url };
        let next = 0;
        let good = 0;
        let bad = 0;
        const one = async () => {
          const representations = [0, 1, 2].map(() => ({ __typename: 'Alliance', id: ids[next++ % ids.length] }));
          const answer = await fetchInstance(signer, instance, {
            body: JSON.stringify({ query: benchCase.query, variables: { representations } }), headers: { 'content-type': 'application/json' },
          });
          const json = answer.status === 200 ? JSON.parse(answer.text) as { data?: { _entities?: unknown[] }; errors?: unknown[] } : undefined;
          if (json && !json.errors && json.data?._entities?.length === 3 && json.data._entities.every((e) => e !== null)) good++;
          else bad++;
        };
        // Warm: code optimised, the session with the instance agreed.
        for (let i = 0; i < 200; i++) await one();
        for (const connections of options.connections) {
          good = 0;
          bad = 0;
          const before = await host.stats();
          const sender = process.cpuUsage();
          const started = performance.now();
          const end = started + options.seconds * 1000;
          await Promise.all(Array.from({ length: connections }, async () => { while (performance.now() < end) await one(); }));
          const seconds = (performance.now() - started) / 1000;
          const spent = process.cpuUsage(sender);
          const after = await host.stats();
          const row: InstanceRequestFigures = {
            what: benchCase.what, connections, perSecond: good / seconds, bad,
            instanceCpuMs: (after.cpuMicros - before.cpuMicros) / 1000 / Math.max(good, 1),
            statements: (after.statements - before.statements) / Math.max(good, 1),
            senderCpuMs: (spent.user + spent.system) / 1000 / Math.max(good, 1),
          };
          figures.push(row);
          log(`${row.what}, ${connections} at a time: ${row.perSecond.toFixed(0)} req/s, instance CPU ${row.instanceCpuMs.toFixed(2)} ms/req, `
            + `${row.statements.toFixed(2)} statements/req, sender CPU ${row.senderCpuMs.toFixed(2)} ms/req, bad answers ${row.bad}`);
        }
      } finally {
        await host.stop();
      }
    }
  } finally {
    await postgres.stop();
  }
  return figures;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: {
    seconds: { type: 'string', default: '8' }, connections: { type: 'string', default: '1,16' }, 'pg-port': { type: 'string', default: '54417' },
  } });
  measureInstanceRequests({ seconds: Number(values.seconds), connections: values.connections.split(',').map(Number), pgPort: Number(values['pg-port']) })
    .then((figures) => process.exit(figures.some((f) => f.bad > 0) ? 1 : 0), (error) => { console.error(error); process.exit(1); });
}
