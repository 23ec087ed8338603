import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SUBGRAPHS } from '../subgraphs/index.js';
import { DEFAULT_SUBGRAPH_PORTS } from '../scripts/lib/supergraph.js';

interface Service { command?: string[]; environment?: Record<string, string>; depends_on?: unknown; ports?: string[] }
const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, Service> };
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
      expect(service.environment?.HUB_INTERNAL_SECRET).toBe(compose.services.gateway.environment?.HUB_INTERNAL_SECRET);
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
});
