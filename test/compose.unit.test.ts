import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SUBGRAPHS } from '../subgraphs/index.js';
import { DEFAULT_SUBGRAPH_PORTS } from '../scripts/lib/supergraph.js';
import { buildTopology } from '../gateway/regional/topology.js';

interface Service { command?: string[]; environment?: Record<string, string>; depends_on?: unknown; ports?: string[] }
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
const initSql = readFileSync('deploy/init-databases.sql', 'utf8');

describe('docker-compose.yml', () => {
  it('runs every subgraph on its own database, created by the init script', () => {
    for (const { name } of SUBGRAPHS) {
      const service = compose.services[name];
      expect(service, `service ${name}`).toBeDefined();
      expect(service.command).toEqual(['npm', 'run', 'subgraph', '--', name]);
      expect(service.environment?.DATABASE_URL).toMatch(new RegExp(`@postgres:5432/hub_${name}$`));
      expect(service.environment?.PORT).toBe(String(DEFAULT_SUBGRAPH_PORTS[name]));
      expect(initSql).toContain(`create database hub_${name};`);
    }
  });

  it('gives the private signing key to the gateway only, and the subgraphs only its public key and their names', () => {
    const gateway = compose.services.gateway.environment ?? {};
    expect(gateway.HUB_SIGNING_KEY).toMatch(/^\$\{HUB_SIGNING_KEY:\?/);
    expect(gateway.HUB_GATEWAY_PUBLIC_KEYS).toBeUndefined();
    for (const { name } of SUBGRAPHS) {
      const environment = compose.services[name].environment ?? {};
      expect(environment.HUB_GATEWAY_PUBLIC_KEYS, name).toMatch(/^\$\{HUB_GATEWAY_PUBLIC_KEYS:\?/);
      // The gateway without a topology names each instance after its subgraph, and signs for that name.
      expect(environment.HUB_INSTANCE_NAME, name).toBe(name);
    }
    // No secret shared by gateway and subgraphs: nothing but the gateway refers to the private key, no setting to a shared secret.
    for (const [service, { environment = {} }] of Object.entries(compose.services)) {
      const text = JSON.stringify(environment);
      if (service !== 'gateway') expect(text, service).not.toContain('HUB_SIGNING_KEY');
      expect(Object.keys(environment).filter((key) => /INTERNAL|SHARED/.test(key)), service).toEqual([]);
    }
  });

  it('points the gateway at each subgraph service and port, and publishes only the gateway', () => {
    const gateway = compose.services.gateway;
    for (const { name } of SUBGRAPHS) {
      expect(gateway.environment?.[`${name.toUpperCase()}_URL`]).toBe(`http://${name}:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`);
    }
    expect(gateway.environment?.HUB_JWT_SECRET).toMatch(/^\$\{HUB_JWT_SECRET:\?/);
    expect(gateway.environment?.HUB_ENV).toBe('production');
    const published = Object.entries(compose.services).filter(([, s]) => s.ports?.length).map(([name]) => name);
    expect(published).toEqual(['gateway']);
  });

  it('waits for healthy subgraphs before the gateway starts, and checks every service\'s readiness', () => {
    for (const { name } of SUBGRAPHS) {
      expect(compose.services.gateway.depends_on).toMatchObject({ [name]: { condition: 'service_healthy' } });
      expect(JSON.stringify((compose.services[name] as { healthcheck?: unknown }).healthcheck)).toContain('/health/ready');
    }
  });

  // .ci/run installs Debian's docker-compose, so CI always runs this; elsewhere it may be absent.
  it('is accepted by docker-compose config', (context) => {
    const binary = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find(existsSync);
    if (!binary) {
      const reason = 'skipped: docker-compose is not installed (apt-get install docker-compose)';
      console.warn(`docker-compose.yml config check ${reason}`);
      context.skip(reason);
      return;
    }
    const env = { ...process.env, HUB_SIGNING_KEY: 'private', HUB_GATEWAY_PUBLIC_KEYS: 'public', HUB_JWT_SECRET: 'y'.repeat(32) };
    const services = execFileSync(binary, ['-f', 'docker-compose.yml', 'config', '--services'], { env, encoding: 'utf8' });
    expect(services.trim().split('\n').sort()).toEqual(['alliances', 'gateway', 'networks', 'people', 'postgres', 'projects']);
    // Without its keys the file refuses to start anything.
    expect(() => execFileSync(binary, ['-f', 'docker-compose.yml', 'config', '-q'],
      { env: { PATH: process.env.PATH }, stdio: 'pipe' })).toThrow(/HUB_SIGNING_KEY|HUB_GATEWAY_PUBLIC_KEYS/);
    expect(() => execFileSync(binary, ['-f', 'docker-compose.yml', 'config', '-q'],
      { env: { PATH: process.env.PATH, HUB_GATEWAY_PUBLIC_KEYS: 'public', HUB_JWT_SECRET: 'y'.repeat(32) }, stdio: 'pipe' })).toThrow(/HUB_SIGNING_KEY/);
  });
});

describe('deploy/topology.example.json', () => {
  it('is a valid topology: the hub owns every region but SL, which a state runs elsewhere', () => {
    const topology = buildTopology(JSON.parse(readFileSync('deploy/topology.example.json', 'utf8')), SUBGRAPHS.map((s) => s.name));
    expect(topology.owners.get('alliances')!.get('SL' as never)!.name).toBe('alliances-saarland');
    expect(topology.owners.get('alliances')!.size).toBe(17);
    expect(topology.owners.get('people')!.size).toBe(17);
    // The compose file's instances run under the names this topology gives them (the gateway signs for those names).
    for (const { name } of SUBGRAPHS) {
      const own = topology.subgraphs.get(name)!.find((i) => new URL(i.url).hostname === name)!;
      expect(own.name).toBe(compose.services[name].environment?.HUB_INSTANCE_NAME);
    }
  });
});
