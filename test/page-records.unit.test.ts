/**
 * Pages read as keys, then records (gateway/regional/page-records.ts): which root fields are
 * split, what the instances are asked, and how the records are put back in page order, errors
 * pointed at their nodes.
 */
import { readFileSync } from 'node:fs';
import { parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ROUTING } from '../subgraphs/routing.js';
import { RoutingTable } from '../gateway/regional/declarations.js';
import { inlineFragments, operationOf } from '../gateway/regional/operation.js';
import { nodeIds, splitPages, withRecords } from '../gateway/regional/page-records.js';
import { expectedSubgraphSchemas } from '../gateway/regional/schema-check.js';

const schemas = expectedSubgraphSchemas(readFileSync('schema/supergraph.graphql', 'utf8'));
const routing = RoutingTable.build('alliances', ROUTING.alliances, schemas.get('alliances')!) as RoutingTable;
const split = (query: string) => {
  const document = inlineFragments(parse(query));
  return splitPages(schemas.get('alliances')!, routing, operationOf(document));
};
const normal = (query: string) => print(parse(query));

describe('a page read as keys, then records', () => {
  const QUERY = `query Find($text: String, $after: String, $withName: Boolean!) {
    page: alliances(first: 2, after: $after, filter: { text: $text }) {
      totalCount edges { cursor n: node { id name @include(if: $withName) memberships { joinedOn } } } pageInfo { hasNextPage } }
    total: allianceStatistics { total } }`;

  it('asks the instances for each node\'s id only, and the node\'s selection as entities with the variables it uses', () => {
    const result = split(QUERY)!;
    expect(result.keys).toBe(normal(`query Find($text: String, $after: String) {
      page: alliances(first: 2, after: $after, filter: { text: $text }) {
        totalCount edges { cursor n: node { __hub_m_id: id } } pageInfo { hasNextPage } }
      total: allianceStatistics { total } }`));
    expect(result.sites).toHaveLength(1);
    const [site] = result.sites;
    expect(site).toMatchObject({ root: 'page', edges: 'edges', node: 'n', type: 'Alliance', variables: ['withName'] });
    expect(site.query).toBe(normal(`query($representations: [_Any!]!, $withName: Boolean!) {
      _entities(representations: $representations) { ... on Alliance { id name @include(if: $withName) memberships { joinedOn } } } }`));
  });

  it('leaves alone fetches without pages of records, and pages asking nothing but ids', () => {
    expect(split('{ allianceStatistics { total } alliance(id: "SL:alliance:x") { name } }')).toBeUndefined();
    expect(split('{ alliances(first: 3) { edges { node { id __typename } } } }')).toBeUndefined();
    expect(split('{ alliances(first: 3) { totalCount } }')).toBeUndefined();
  });

  it('puts the records back in page order and points their errors at their nodes', () => {
    const [site] = split(QUERY)!.sites;
    const keys = { data: { page: { totalCount: 3, edges: [
      { cursor: 'a', n: { __hub_m_id: 'SL:alliance:a' } }, { cursor: 'b', n: { __hub_m_id: 'NW:alliance:b' } },
    ], pageInfo: { hasNextPage: true } }, total: { total: 3 } } };
    expect(nodeIds(keys.data, site)).toEqual(['SL:alliance:a', 'NW:alliance:b']);
    const answer = withRecords(keys, site, {
      data: { _entities: [{ id: 'SL:alliance:a', memberships: [] }, null] },
      errors: [{ message: 'region NW unavailable', path: ['_entities', 1], extensions: { code: 'REGION_UNAVAILABLE' } }],
    });
    expect(answer.data).toEqual({ page: { totalCount: 3, edges: [
      { cursor: 'a', n: { id: 'SL:alliance:a', memberships: [] } }, { cursor: 'b', n: null },
    ], pageInfo: { hasNextPage: true } }, total: { total: 3 } });
    expect(answer.errors).toEqual([{ message: 'region NW unavailable', path: ['page', 'edges', 1, 'n'], extensions: { code: 'REGION_UNAVAILABLE' } }]);
  });

  it('names a record that disappeared between the page and its read', () => {
    const [site] = split(QUERY)!.sites;
    const keys = { data: { page: { edges: [{ cursor: 'a', n: { __hub_m_id: 'SL:alliance:a' } }] } } };
    const answer = withRecords(keys, site, { data: { _entities: [null] } });
    expect(answer.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['RECORD_CHANGED', ['page', 'edges', 0, 'n']]]);
  });
});
