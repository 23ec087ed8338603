import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../scripts/lib/free-port.js';
import { createTestDatabase } from './support/databases.js';
import { REGION_COMPOSE_FILE, composeConfig, needsCompose, writeFilledRegionEnv } from './support/compose.js';
import { TEST_GATEWAY_PUBLIC_KEY, gatewaySignature } from './support/security.js';

/**
 * An instance of deploy/region/docker-compose.yml as docker-compose hands it its settings, run as
 * its container would run it, against real PostgreSQL: only the database's address stands in for
 * the compose network's. The database password reaches it as the file passes it, never in the URL.
 */
describe('deploy/region/docker-compose.yml: an instance with the settings the file gives it', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'hub-region-'));
  let child: ChildProcess | undefined;
  let output = '';
  afterAll(() => {
    child?.kill('SIGTERM');
    rmSync(scratch, { recursive: true, force: true });
  });

  async function startAlliancesInstance(): Promise<{ url: string; instanceName: string }> {
    const testDatabase = new URL(await createTestDatabase('region_alliances'));
    const compose = composeConfig(REGION_COMPOSE_FILE, writeFilledRegionEnv(join(scratch, '.env'), {
      POSTGRES_PASSWORD: decodeURIComponent(testDatabase.password),
      HUB_GATEWAY_PUBLIC_KEYS: TEST_GATEWAY_PUBLIC_KEY.export({ type: 'spki', format: 'pem' }) as string,
      HUB_SEED: 'true',
    }));
    const service = compose.services.alliances;
    const environment = { ...service.environment! };
    const database = new URL(environment.DATABASE_URL);
    expect(database.password).toBe('');
    database.host = testDatabase.host;
    database.username = testDatabase.username;
    database.pathname = testDatabase.pathname;
    environment.DATABASE_URL = database.toString();
    const port = await freePort();
    // `npm run subgraph -- alliances` in the container: tsx subgraphs/main.ts alliances.
    expect(service.command).toEqual(['npm', 'run', 'subgraph', '--', 'alliances']);
    child = spawn(process.execPath, ['--import', 'tsx', 'subgraphs/main.ts', service.command![4]], {
      env: { PATH: process.env.PATH, HUB_LOG_LEVEL: 'warn', ...environment, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const base = `http://127.0.0.1:${port}`;
    for (const started = Date.now(); ;) {
      if (child.exitCode !== null) throw new Error(`the instance stopped (exit ${child.exitCode}):\n${output}`);
      const ready = await fetch(`${base}/health/ready`).then((r) => r.ok, () => false);
      if (ready) break;
      if (Date.now() - started > 90_000) throw new Error(`the instance was not ready within 90 s:\n${output}`);
      await new Promise((done) => setTimeout(done, 250));
    }
    return { url: `${base}/graphql`, instanceName: environment.HUB_INSTANCE_NAME };
  }

  const post = (url: string, body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('reaches its database, serves its region to the gateway\'s signed requests, and refuses everything else', async (context) => {
    needsCompose(context);
    const instance = await startAlliancesInstance();
    const body = JSON.stringify({ query: '{ alliances(first: 100) { totalCount edges { node { id region } } } }' });

    const signed = await post(instance.url, body, gatewaySignature(instance, body));
    expect(signed.status).toBe(200);
    const { data } = await signed.json() as { data: { alliances: { totalCount: number; edges: { node: { id: string; region: string } }[] } } };
    expect(data.alliances.totalCount).toBeGreaterThan(0);
    expect(new Set(data.alliances.edges.map((e) => e.node.region))).toEqual(new Set(['SL']));

    // What the README has a region check before joining: unsigned requests are refused.
    const unsigned = await post(instance.url, body);
    expect(unsigned.status).toBe(401);
    expect(JSON.stringify(await unsigned.json())).toContain('SIGNATURE_MISSING');
    // A request the gateway signed for another region's instance is no use here.
    const forOther = await post(instance.url, body, gatewaySignature({ ...instance, instanceName: 'alliances-nw' }, body));
    expect(forOther.status).toBe(401);
    expect(JSON.stringify(await forOther.json())).toContain('AUDIENCE_MISMATCH');
  }, 150_000);
});
