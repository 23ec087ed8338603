/**
 * The benchmark's own checks: the generator is deterministic and its references hold, and on a
 * tiny scale (its own embedded PostgreSQL on a free port) every gateway it compares gives the same
 * answers.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../scripts/lib/free-port.js';
import { PGDATA_ROOT } from '../scripts/lib/paths.js';
import { REGIONS } from '../subgraphs/kit/index.js';
import { countsOf, generateDataset, type Dataset } from '../scripts/bench/generate.js';
import { mainLine, type RankedLine } from '../subgraphs/projects/entities/funding-line.js';
import { WORKLOADS, answerFingerprint, firstDifference, runBench } from '../scripts/bench/run.js';

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
    const crossRegion = new Set<string>();
    for (const m of rowsOf(data, 'membership')) {
      const alliance = alliances.get(m.alliance as string)!;
      // A membership lives with its alliance; its organisation may be of any region.
      const organization = organizations.get(m.organizationId as string)!;
      expect(organization).toBeDefined();
      if (organization.region !== alliance.region) crossRegion.add(`${organization.region}>${alliance.region}`);
      expect(m.region).toBe(alliance.region);
      if (m.representativeId) expect(people.has(m.representativeId as string)).toBe(true);
    }
    // Federal members in alliances of several states, and state members in a neighbour's alliances.
    expect([...crossRegion].filter((pair) => pair.startsWith('DE>')).length).toBeGreaterThan(1);
    expect([...crossRegion].some((pair) => !pair.startsWith('DE>'))).toBe(true);
    for (const p of rowsOf(data, 'project')) {
      if (p.leadAllianceId) expect(alliances.has(p.leadAllianceId as string)).toBe(true);
      for (const id of p.partnerAllianceIds as string[]) expect(alliances.has(id)).toBe(true);
      for (const id of p.partnerOrganizationIds as string[]) expect(organizations.has(id)).toBe(true);
      for (const id of p.contactIds as string[]) expect(people.has(id)).toBe(true);
    }
    // Funding lines live with their project; its programme is the main line's (largest amount, then share, then first).
    const projects = byId('project');
    const linesOf = new Map<string, Record<string, unknown>[]>();
    for (const l of rowsOf(data, 'fundingLine')) {
      expect(projects.get(l.project as string)?.region).toBe(l.region);
      if (l.amountCents !== null) expect(l.amountCents).toBeGreaterThan(0);
      linesOf.set(l.project as string, [...(linesOf.get(l.project as string) ?? []), l]);
    }
    for (const p of projects.values()) {
      const lines = (linesOf.get(p.id as string) ?? []) as unknown as RankedLine[];
      expect(p.fundingProgramme).toBe(mainLine(lines)?.programme ?? null);
      expect(lines.reduce((sum, l) => sum + (l.share ?? 0), 0)).toBeLessThanOrEqual(100);
    }
    expect(new Set(rowsOf(data, 'fundingLine').map((l) => l.programme))).toContain('ESF');
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
  // What a benchmark can get wrong is measuring answers that are not the same: every gateway of the
  // comparison (the hub regional and single, stock Apollo Gateway, the direct-SQL floor) must give
  // the same data for every workload, without errors, and the same SQL statements for a small and a
  // big network. Throughput is not asserted: it belongs to `npm run bench`.
  it('gets the same answers from every gateway it compares, and counts statements per request', async () => {
    const pgPort = await freePort();
    const pgName = `bench-test-${pgPort}`;
    try {
      const result = await runBench({
        scale: 0.01, seed: 1, durationSeconds: 0, warmupSeconds: 0, connections: 1, pgPort, pgName, measure: false, sampleSize: 12,
        gateways: ['hub-regional', 'hub-regional-bare', 'hub-single-bare', 'apollo', 'floor'], workloads: [...WORKLOADS], log: () => undefined,
      });
      expect(result.correctness.map((c) => `${c.gateway} ${c.workload}`).sort()).toEqual(
        ['hub-regional', 'hub-regional-bare', 'hub-single-bare', 'apollo', 'floor'].flatMap((g) => WORKLOADS.map((w) => `${g} ${w}`)).sort());
      expect(result.correctness.filter((c) => !c.ok)).toEqual([]);
      expect(result.measurements).toEqual([]);
      expect(result.statementsBySize.map((s) => s.gateway)).toEqual(['hub-regional-bare', 'hub-single-bare', 'apollo', 'floor']);
      for (const s of result.statementsBySize) {
        expect(s.big.rows, s.gateway).toBeGreaterThan(s.small.rows);
        expect(s.small.statements, s.gateway).toBeGreaterThan(0);
        expect(s.big.statements, s.gateway).toBe(s.small.statements);
      }
      // Subgraph requests are counted as the instances answer them: the same query plan on single
      // instances asks the same, over regional instances the big network asks more of them, and
      // the floor asks none.
      const sized = Object.fromEntries(result.statementsBySize.map((s) => [s.gateway, s]));
      expect(sized['hub-single-bare'].big.subgraphRequests).toBeGreaterThan(0);
      expect(sized.apollo.big.subgraphRequests).toBe(sized['hub-single-bare'].big.subgraphRequests);
      expect(sized.apollo.small.subgraphRequests).toBe(sized['hub-single-bare'].small.subgraphRequests);
      expect(sized['hub-regional-bare'].big.subgraphRequests).toBeGreaterThan(sized['hub-single-bare'].big.subgraphRequests);
      expect(sized.floor.big.subgraphRequests).toBe(0);
    } finally {
      rmSync(join(PGDATA_ROOT, pgName), { recursive: true, force: true });
    }
  }, 400_000);

  it('tells answers apart that differ in a value, a row, a field or the order of a list, but not in the order of fields', () => {
    const answer = { networks: [{ name: 'A', members: [{ id: 'SL:alliance:a' }, { id: 'NW:alliance:b' }] }, { name: 'B', members: [] }] };
    const same = answerFingerprint(structuredClone(answer));
    expect(answerFingerprint(answer)).toBe(same);
    expect(answerFingerprint({ networks: answer.networks.map((n) => ({ members: n.members, name: n.name })) })).toBe(same);
    expect(answerFingerprint({ networks: [answer.networks[1], answer.networks[0]] })).not.toBe(same);
    expect(answerFingerprint({ networks: [{ ...answer.networks[0], members: [...answer.networks[0].members].reverse() }, answer.networks[1]] })).not.toBe(same);
    expect(firstDifference({ networks: [answer.networks[1], answer.networks[0]] }, answer)).toBe('$.networks[0].name: "B" vs "A"');
    expect(answerFingerprint({ networks: [{ ...answer.networks[0], name: 'C' }, answer.networks[1]] })).not.toBe(same);
    expect(answerFingerprint({ networks: [{ name: 'A', members: [{ id: 'SL:alliance:a' }] }, answer.networks[1]] })).not.toBe(same);
    expect(answerFingerprint({ networks: [{ ...answer.networks[0], kind: 'ARGE' }, answer.networks[1]] })).not.toBe(same);
  });
});
