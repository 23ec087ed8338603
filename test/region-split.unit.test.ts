/**
 * Statistics over a list of regions read region by region (gateway/regional/region-split.ts):
 * which fetches split, what each region's fetch asks, and how the answers add up.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ROUTING } from '../subgraphs/routing.js';
import { RoutingTable } from '../gateway/regional/declarations.js';
import { inlineFragments, operationOf } from '../gateway/regional/operation.js';
import { splitByRegion } from '../gateway/regional/region-split.js';
import { Region } from '../subgraphs/shared/region.js';
import { expectedSubgraphSchemas } from '../gateway/regional/schema-check.js';

const schemas = expectedSubgraphSchemas(readFileSync('schema/supergraph.graphql', 'utf8'));
const routing = RoutingTable.build('projects', ROUTING.projects, schemas.get('projects')!) as RoutingTable;
const split = (query: string, variables: Record<string, unknown> = {}) => {
  const document = inlineFragments(parse(query));
  return splitByRegion(schemas.get('projects')!, routing, operationOf(document), variables);
};
const squash = (text: string) => text.replace(/\s+/g, ' ');

describe('statistics read region by region', () => {
  const QUERY = 'query D($regions: [Region!], $status: [ProjectStatus!]) { s: projectStatistics(filter: { regions: $regions, statuses: $status }) { total byStatus { count } } }';

  it('narrows every region list to one region, keeping the other filters and asking what the merge reads', () => {
    const result = split(QUERY, { regions: ['SL', 'BW', 'SL'], status: ['ACTIVE'] })!;
    expect(result.regions).toEqual(['BW', 'SL']);
    const { query, variables } = result.request(Region.SL);
    expect(squash(query)).toContain('s: projectStatistics(filter: {regions: [SL], statuses: [ACTIVE]})');
    expect(squash(query)).toContain('__hub_m_status: status');
    expect(squash(query)).not.toContain('$regions');
    expect(variables).toEqual({});
  });

  it('adds up the regions\' answers: sums summed, breakdown rows merged by key and ordered', () => {
    const result = split(QUERY, { regions: ['SL', 'BW'] })!;
    const row = (status: string, count: number) => ({ count, __hub_m_status: status, __hub_m_count: count });
    const merged = result.merge([
      { data: { s: { total: 3, byStatus: [row('ACTIVE', 2), row('PLANNED', 1)] } } },
      { data: { s: { total: 2, byStatus: [row('PLANNED', 2)] } }, errors: [{ message: 'slow', extensions: { code: 'X' } }] },
    ]);
    expect((merged.data!.s as { total: number }).total).toBe(5);
    expect((merged.data!.s as { byStatus: { count: number }[] }).byStatus.map((r) => r.count)).toEqual([3, 2]);
    expect(merged.errors).toHaveLength(1);
  });

  it('makes each region\'s request once per query and choice of the other filters, whatever the other regions', () => {
    const document = inlineFragments(parse(QUERY));
    const of = (variables: Record<string, unknown>) => splitByRegion(schemas.get('projects')!, routing, operationOf(document), variables)!;
    const first = of({ regions: ['SL', 'BW'], status: ['ACTIVE'] }).request(Region.SL);
    expect(of({ regions: ['HB', 'SL', 'NW'], status: ['ACTIVE'] }).request(Region.SL)).toBe(first);
    const other = of({ regions: ['SL', 'BW'], status: ['PLANNED'] }).request(Region.SL);
    expect(other).not.toBe(first);
    expect(squash(other.query)).toContain('statuses: [PLANNED]');
  });

  it('leaves alone one region, no list, and fetches with anything but statistics', () => {
    expect(split(QUERY, { regions: ['SL'] })).toBeUndefined();
    expect(split(QUERY, {})).toBeUndefined();
    expect(split('{ projectStatistics(filter: { regions: [SL, NW] }) { total } project(id: "SL:project:x") { title } }')).toBeUndefined();
  });
});
