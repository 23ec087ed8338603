import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { SUBGRAPHS } from '../subgraphs/index.js';
import { REGIONS } from '../subgraphs/shared/region.js';
import { postgresUrl, readConfig, regionList } from '../subgraphs/kit/config.js';
import { gatewayPublicKeysSetting, gatewaySecuritySettings, instanceNameSetting } from '../subgraphs/kit/security-settings.js';
import { keyIdOf } from '../subgraphs/kit/signing.js';
import { DEFAULT_SUBGRAPH_PORTS } from '../scripts/lib/supergraph.js';
import { buildTopology, readTopologyFile, type Topology } from '../gateway/regional/topology.js';
import {
  REGION_COMPOSE_FILE, REGION_ENV_EXAMPLE, composeConfig, needsCompose, writeEnvFile, writeFilledRegionEnv,
  type Compose, type ComposeService as Service,
} from './support/compose.js';

const SUBGRAPH_NAMES = SUBGRAPHS.map((s) => s.name);
const HUB_FILE = 'docker-compose.yml';
const initSql = readFileSync('deploy/init-databases.sql', 'utf8');
/** The file as written (YAML merge keys applied, nothing interpolated): enough for its structure. */
const hubAsWritten = parse(readFileSync(HUB_FILE, 'utf8'), { merge: true, maxAliasCount: -1 }) as Compose;

const scratch = mkdtempSync(join(tmpdir(), 'hub-compose-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const networksOf = (service: Service): string[] =>
  Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? { default: null });

function publishedPorts(service: Service): { address: string; port: number; target: number }[] {
  return (service.ports ?? []).map((entry) => {
    if (typeof entry !== 'string') return { address: entry.host_ip ?? '0.0.0.0', port: Number(entry.published), target: entry.target };
    const parts = entry.replace(/\/tcp$/, '').split(':');
    const [address, port, target] = parts.length === 3 ? parts : ['0.0.0.0', ...parts];
    return { address, port: Number(port), target: Number(target) };
  });
}

/** Where on the host a path inside the service's container comes from (its bind mounts, relative to `base`). */
function hostPathOf(service: Service, containerPath: string, base: string): string {
  for (const volume of service.volumes ?? []) {
    const [source, target] = typeof volume === 'string' ? volume.split(':') : [volume.source, volume.target];
    if (containerPath === target || containerPath.startsWith(`${target}/`)) return resolve(base, source) + containerPath.slice(target.length);
  }
  throw new Error(`${containerPath} is not mounted into the service`);
}

const databaseHostOf = (service: Service): string | undefined =>
  service.environment?.DATABASE_URL ? new URL(service.environment.DATABASE_URL).hostname : undefined;
const isSubgraphService = (service: Service) => service.command?.slice(0, 3).join(' ') === 'npm run subgraph';

/** The topology the gateway of docker-compose.yml reads: the file its HUB_TOPOLOGY names, through its mount. */
function mountedTopology(compose: Compose): Topology {
  const gateway = compose.services.gateway;
  return readTopologyFile(hostPathOf(gateway, gateway.environment!.HUB_TOPOLOGY, '.'), SUBGRAPH_NAMES);
}

/**
 * Every way a file could let one region's database credentials, or its database, reach another
 * region's services: a PostgreSQL service's password may be held only by it and the instances whose
 * DATABASE_URL names it, and its networks may hold nothing else.
 */
function credentialLeaks(compose: Compose): string[] {
  const problems: string[] = [];
  const entries = Object.entries(compose.services);
  const databases = entries.filter(([, s]) => s.environment?.POSTGRES_PASSWORD);
  for (const [name, service] of entries) {
    const host = databaseHostOf(service);
    if (!host) continue;
    const url = new URL(service.environment!.DATABASE_URL);
    if (url.password) problems.push(`${name}: DATABASE_URL carries a password`);
    const database = compose.services[host];
    if (!database?.environment?.POSTGRES_PASSWORD) problems.push(`${name}: DATABASE_URL names ${host}, no PostgreSQL service of this file`);
    else if (service.environment!.PGPASSWORD !== database.environment.POSTGRES_PASSWORD) problems.push(`${name}: does not hold the password of its database ${host}`);
  }
  for (const [database, { environment }] of databases) {
    const password = environment!.POSTGRES_PASSWORD;
    for (const [name, service] of entries) {
      if (name === database || databaseHostOf(service) === database) continue;
      if (JSON.stringify(service.environment ?? {}).includes(password)) problems.push(`${name} holds the password of ${database}`);
    }
    for (const network of networksOf(compose.services[database])) {
      if (!compose.networks?.[network]?.internal) problems.push(`${database}: network ${network} is not internal`);
      for (const [name, service] of entries) {
        if (name !== database && networksOf(service).includes(network) && databaseHostOf(service) !== database) {
          problems.push(`${name} shares network ${network} with ${database}`);
        }
      }
    }
    if (compose.services[database].ports?.length) problems.push(`${database} publishes a port`);
  }
  for (const [name, service] of entries) {
    if (name !== 'gateway' && JSON.stringify(service.environment ?? {}).includes('PRIVATE KEY')) problems.push(`${name} holds a private key`);
  }
  return problems;
}

/** What an instance reads at start (subgraphs/main.ts), with the same settings. */
const instanceSettings = z.object({
  DATABASE_URL: postgresUrl,
  REGIONS: regionList,
  HUB_INSTANCE_NAME: instanceNameSetting,
  HUB_GATEWAY_PUBLIC_KEYS: gatewayPublicKeysSetting,
});

const gatewayKeys = generateKeyPairSync('ed25519');
const signingKeyPem = gatewayKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const publicKeyPem = gatewayKeys.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const gatewayKeyId = keyIdOf(gatewayKeys.publicKey);
const password = () => randomBytes(24).toString('hex');

describe('docker-compose.yml: the hub by region', () => {
  // The topology is read in each test, so one the gateway refuses fails them with its reasons.
  const instancesOf = (topology: Topology) => [...topology.subgraphs.values()].flat();

  it('mounts a topology the gateway accepts: every region served, by at least three regions\' own PostgreSQL', () => {
    const topology = mountedTopology(hubAsWritten);
    const instances = instancesOf(topology);
    for (const name of SUBGRAPH_NAMES) expect(topology.owners.get(name)!.size, name).toBe(REGIONS.length);
    // Per database: the subgraphs stored there and the regions their instances own.
    const databases = new Map<string, { subgraphs: string[]; regions: Set<string> }>();
    for (const instance of instances) {
      const host = databaseHostOf(hubAsWritten.services[new URL(instance.url).hostname] ?? {});
      expect(host, instance.name).toBeDefined();
      const database = databases.get(host!) ?? { subgraphs: [], regions: new Set(instance.regions) };
      database.subgraphs.push(instance.subgraph);
      // One region's (or one group of regions') data per database, never another's beside it.
      expect([...instance.regions].sort(), `${instance.name} on ${host}`).toEqual([...database.regions].sort());
      databases.set(host!, database);
    }
    expect(databases.size).toBeGreaterThanOrEqual(3);
    // Each region runs all four subgraphs on its own PostgreSQL.
    for (const [host, { subgraphs }] of databases) expect(subgraphs.sort(), host).toEqual([...SUBGRAPH_NAMES].sort());
  });

  it('runs every instance of the topology as a service of this file, under its name, port and regions, and no other', () => {
    const instances = instancesOf(mountedTopology(hubAsWritten));
    for (const instance of instances) {
      const url = new URL(instance.url);
      const service = hubAsWritten.services[url.hostname];
      expect(service, `${instance.name}: no service ${url.hostname}`).toBeDefined();
      const environment = service.environment ?? {};
      expect(service.command, instance.name).toEqual(['npm', 'run', 'subgraph', '--', instance.subgraph]);
      // The gateway signs each request for the instance's name: the service must run under it.
      expect(environment.HUB_INSTANCE_NAME, instance.name).toBe(instance.name);
      expect(environment.PORT, instance.name).toBe(url.port);
      expect(regionList.parse(environment.REGIONS).sort(), instance.name).toEqual([...instance.regions].sort());
      expect(new URL(environment.DATABASE_URL).pathname, instance.name).toBe(`/hub_${instance.subgraph}`);
      expect(initSql).toContain(`create database hub_${instance.subgraph};`);
      expect(service.depends_on, instance.name).toEqual({ [databaseHostOf(service)!]: { condition: 'service_healthy' } });
      expect(JSON.stringify(service.healthcheck), instance.name).toContain('/health/ready');
    }
    const subgraphServices = Object.entries(hubAsWritten.services).filter(([, s]) => isSubgraphService(s)).map(([name]) => name);
    expect(subgraphServices.sort()).toEqual(instances.map((i) => new URL(i.url).hostname).sort());
  });

  it('starts the gateway in production on the mounted topology, waiting for no region', () => {
    const gateway = hubAsWritten.services.gateway;
    expect(gateway.command).toEqual(['npm', 'run', 'gateway']);
    expect(gateway.environment?.HUB_ENV).toBe('production');
    expect(gateway.environment?.HUB_GATEWAY_PUBLIC_KEYS).toBeUndefined();
    expect(gateway.depends_on).toBeUndefined();
    expect(JSON.stringify(gateway.healthcheck)).toContain('/health/ready');
  });

  describe('as docker-compose reads it, with the .env the README describes', () => {
    const settings = {
      HUB_SIGNING_KEY: signingKeyPem,
      HUB_GATEWAY_PUBLIC_KEYS: publicKeyPem,
      HUB_JWT_SECRET: randomBytes(32).toString('hex'),
      SL_POSTGRES_PASSWORD: password(),
      NW_POSTGRES_PASSWORD: password(),
      DE_POSTGRES_PASSWORD: password(),
    };
    let resolved: Compose | undefined;
    const config = () => (resolved ??= composeConfig(HUB_FILE, writeEnvFile(join(scratch, 'hub.env'), settings)));

    it('is accepted, and every service reads its settings from it', (context) => {
      needsCompose(context);
      const compose = config();
      const instances = instancesOf(mountedTopology(hubAsWritten));
      const databases = [...new Set(instances.map((i) => databaseHostOf(compose.services[new URL(i.url).hostname])!))];
      expect(Object.keys(compose.services).sort())
        .toEqual([...instances.map((i) => new URL(i.url).hostname), ...databases, 'gateway'].sort());
      const gateway = readConfig(gatewaySecuritySettings, compose.services.gateway.environment ?? {});
      expect(keyIdOf(gateway.HUB_SIGNING_KEY)).toBe(gatewayKeyId);
      expect(gateway.HUB_ENV).toBe('production');
      for (const instance of instances) {
        const read = readConfig(instanceSettings, compose.services[new URL(instance.url).hostname].environment ?? {});
        expect(read.HUB_GATEWAY_PUBLIC_KEYS.map(keyIdOf), instance.name).toEqual([gatewayKeyId]);
        expect(read.HUB_INSTANCE_NAME).toBe(instance.name);
      }
      // Nothing shared between the gateway and the instances that could stand in for the signature.
      for (const [name, { environment = {} }] of Object.entries(compose.services)) {
        expect(Object.keys(environment).filter((key) => /INTERNAL|SHARED/.test(key)), name).toEqual([]);
      }
      const published = Object.entries(compose.services).filter(([, s]) => s.ports?.length).map(([name]) => name);
      expect(published).toEqual(['gateway']);
      expect(publishedPorts(compose.services.gateway)).toEqual([{ address: '0.0.0.0', port: 4000, target: 4000 }]);
    });

    it('keeps each region\'s database credentials and database to that region\'s services', (context) => {
      needsCompose(context);
      const compose = config();
      expect(credentialLeaks(compose).join('\n')).toBe('');
      // Every region has a password of its own.
      const passwords = Object.values(compose.services).map((s) => s.environment?.POSTGRES_PASSWORD).filter(Boolean);
      expect(passwords.length).toBeGreaterThanOrEqual(3);
      expect(new Set(passwords).size).toBe(passwords.length);
    });

    it('refuses to start without a region\'s password or the gateway\'s keys, naming what is missing', (context) => {
      needsCompose(context);
      for (const missing of Object.keys(settings)) {
        const { [missing as keyof typeof settings]: _left, ...rest } = settings;
        expect(() => composeConfig(HUB_FILE, writeEnvFile(join(scratch, `without-${missing}.env`), rest)), missing).toThrow(new RegExp(`set ${missing}`));
      }
    });
  });
});

describe('deploy/region/docker-compose.yml: what a state\'s team runs', () => {
  // The example as a team fills it in: its own password, the public key the hub's operator sent.
  const filledExample = () => writeFilledRegionEnv(join(scratch, 'region.env'), { POSTGRES_PASSWORD: password(), HUB_GATEWAY_PUBLIC_KEYS: publicKeyPem });
  let resolved: Compose | undefined;
  const config = () => (resolved ??= composeConfig(REGION_COMPOSE_FILE, filledExample()));

  it('does not start on the example as it stands: the region makes its password, the hub sends its key', (context) => {
    needsCompose(context);
    expect(() => composeConfig(REGION_COMPOSE_FILE, resolve(REGION_ENV_EXAMPLE))).toThrow(/set (POSTGRES_PASSWORD|HUB_GATEWAY_PUBLIC_KEYS)/);
  });

  it('runs its PostgreSQL and its four instances, publishing only the subgraph ports', (context) => {
    needsCompose(context);
    const compose = config();
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', ...SUBGRAPH_NAMES].sort());
    expect(compose.services.postgres.ports ?? []).toEqual([]);
    for (const name of SUBGRAPH_NAMES) {
      const service = compose.services[name];
      const port = DEFAULT_SUBGRAPH_PORTS[name];
      expect(service.command).toEqual(['npm', 'run', 'subgraph', '--', name]);
      expect(service.environment?.PORT).toBe(String(port));
      expect(publishedPorts(service), name).toEqual([{ address: '127.0.0.1', port, target: port }]);
      const read = readConfig(instanceSettings, service.environment ?? {});
      expect(read.HUB_GATEWAY_PUBLIC_KEYS.map(keyIdOf), name).toEqual([gatewayKeyId]);
      expect(read.HUB_INSTANCE_NAME).toBe(`${name}-saarland`);
      expect(read.REGIONS).toEqual(['SL']);
      expect(new URL(read.DATABASE_URL).pathname).toBe(`/hub_${name}`);
      expect(service.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
      expect(JSON.stringify(service.healthcheck)).toContain('/health/ready');
    }
    expect(credentialLeaks(compose).join('\n')).toBe('');
  });

  it('joins the hub as deploy/topology.example.json shows: the instances under the names and regions it runs with', (context) => {
    needsCompose(context);
    const compose = config();
    const topology = buildTopology(JSON.parse(readFileSync('deploy/topology.example.json', 'utf8')), SUBGRAPH_NAMES);
    for (const name of SUBGRAPH_NAMES) {
      const environment = compose.services[name].environment!;
      const instance = topology.subgraphs.get(name)!.find((i) => i.name === environment.HUB_INSTANCE_NAME);
      expect(instance, environment.HUB_INSTANCE_NAME).toBeDefined();
      expect(instance!.regions).toEqual(regionList.parse(environment.REGIONS));
      // Across the internet only behind TLS: the answers hold personal data.
      expect(new URL(instance!.url).protocol).toBe('https:');
    }
  });
});

describe('deploy/topology.example.json: the hub after SL runs its own region', () => {
  it('is a valid topology serving every region, the rest from services of docker-compose.yml under their names', () => {
    const topology = buildTopology(JSON.parse(readFileSync('deploy/topology.example.json', 'utf8')), SUBGRAPH_NAMES);
    for (const name of SUBGRAPH_NAMES) expect(topology.owners.get(name)!.size, name).toBe(REGIONS.length);
    for (const instance of [...topology.subgraphs.values()].flat()) {
      const { hostname } = new URL(instance.url);
      if (instance.regions.includes('SL' as never)) continue;
      expect(hubAsWritten.services[hostname]?.environment?.HUB_INSTANCE_NAME, instance.name).toBe(instance.name);
    }
  });
});
