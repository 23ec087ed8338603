/**
 * The benchmark's own checks, fast: the generator is deterministic and its references hold, and
 * the bench's measuring function returns sane figures on a tiny scale (its own embedded
 * PostgreSQL on port 54416, the hub's gateway regional and single, and the SQL floor).
 */
import { describe, expect, it } from 'vitest';
import { REGIONS } from '../subgraphs/kit/index.js';
import { countsOf, generateDataset, type Dataset } from '../scripts/bench/generate.js';
import { WORKLOADS, runBench, targets } from '../scripts/bench/run.js';

const rowsOf = (dataset: Dataset, name: string) => Object.values(dataset.rows).flat().find((t) => t.name === name)!.rows;

describe('benchmark data generator', () => {
  it('is deterministic: the same seed gives the same rows, another seed other rows', () => {
    const a = generateDataset({ seed: 7, scale: 0.02 });
    const b = generateDataset({ seed: 7, scale: 0.02 });
    const c = generateDataset({ seed: 8, scale: 0.02 });
    expect(countsOf(a)).toEqual(countsOf(b));
    expect(JSON.stringify(a.rows)).toBe(JSON.stringify(b.rows));
    expect(rowsOf(a, 'alliance').map((r) => r.id)).not.toEqual(rowsOf(c, 'alliance').map((r) => r.id));
  });

  it('covers every region, keeps ids unique and well-formed, and its references consistent', () => {
    const data = generateDataset({ seed: 3, scale: 0.05 });
    const all = Object.values(data.rows).flat().flatMap((t) => t.rows);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    for (const row of all) {
      expect(row.id).toMatch(/^([A-Z]{2}):([a-z][a-zA-Z]*):([A-Za-z0-9][A-Za-z0-9_-]{0,63})$/);
      expect(row.id.slice(0, 2)).toBe(row.region);
    }
    for (const name of ['alliance', 'organization', 'project', 'person', 'network']) {
      expect(new Set(rowsOf(data, name).map((r) => r.region))).toEqual(new Set(REGIONS));
    }
    const byId = (name: string) => new Map(rowsOf(data, name).map((r) => [r.id, r]));
    const alliances = byId('alliance');
    const organizations = byId('organization');
    const people = byId('person');
    const networks = byId('network');
    for (const m of rowsOf(data, 'membership')) {
      const alliance = alliances.get(m.alliance as string)!;
      // The foreign key needs the organisation in the alliance's database, i.e. its region.
      expect(organizations.get(m.organization as string)?.region).toBe(alliance.region);
      expect(m.region).toBe(alliance.region);
      if (m.representativeId) expect(people.has(m.representativeId as string)).toBe(true);
    }
    for (const p of rowsOf(data, 'project')) {
      if (p.leadAllianceId) expect(alliances.has(p.leadAllianceId as string)).toBe(true);
      for (const id of p.partnerAllianceIds as string[]) expect(alliances.has(id)).toBe(true);
      for (const id of p.partnerOrganizationIds as string[]) expect(organizations.has(id)).toBe(true);
      for (const id of p.contactIds as string[]) expect(people.has(id)).toBe(true);
    }
    for (const r of rowsOf(data, 'role')) {
      expect(people.get(r.person as string)?.region).toBe(r.region);
      if (r.allianceId) expect(alliances.has(r.allianceId as string)).toBe(true);
      if (r.networkId) expect(networks.has(r.networkId as string)).toBe(true);
    }
    const members = rowsOf(data, 'networkMember');
    for (const m of members) {
      expect(alliances.has(m.allianceId as string)).toBe(true);
      expect(networks.get(m.network as string)?.region).toBe(m.region);
    }
    // The big federal network lists alliances of every region.
    const big = members.filter((m) => m.network === data.ids.bigNetwork).map((m) => (m.allianceId as string).slice(0, 2));
    expect(new Set(big)).toEqual(new Set(REGIONS));
  });
});

describe('benchmark runner', () => {
  it('measures the hub (regional and single) and the floor with sane figures', async () => {
    const result = await runBench({
      scale: 0.01, seed: 1, durationSeconds: 1, warmupSeconds: 0, connections: 2, pgPort: 54416,
      gateways: ['hub-regional', 'hub-single', 'floor'], workloads: [...WORKLOADS], log: () => undefined,
    });
    expect(result.correctness.filter((c) => !c.ok)).toEqual([]);
    expect(result.measurements).toHaveLength(3 * WORKLOADS.length);
    for (const m of result.measurements) {
      expect(m.requests).toBeGreaterThan(0);
      expect(m.failures).toBe(0);
      expect(m.p50).toBeGreaterThan(0);
      expect(m.p99).toBeGreaterThanOrEqual(m.p50);
      expect(m.sqlPerRequest).toBeGreaterThan(0);
      expect(m.cpuMsPerRequest).toBeGreaterThan(0);
    }
    // Batching: the same statements for a small and a big network.
    for (const s of result.statementsBySize) expect(s.small.statements).toBe(s.big.statements);
    expect(targets(result).length).toBeGreaterThan(0);
  }, 180_000);
});
