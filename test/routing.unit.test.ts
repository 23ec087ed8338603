import { readFileSync } from 'node:fs';
import { parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../subgraphs/shared/cursor.js';
import { ROUTING } from '../subgraphs/routing.js';
import type { RoutingDeclarations } from '../subgraphs/shared/routing.js';
import { RoutingTable } from '../gateway/regional/declarations.js';
import { IntegrityGuard } from '../gateway/regional/integrity.js';
import { mergeConnection, planPage } from '../gateway/regional/merge.js';
import { mutationRegion } from '../gateway/regional/mutation-fetch.js';
import { PAGING, fieldsOf, inlineFragments } from '../gateway/regional/operation.js';
import { comparatorFor, mergeAlias, mergeSorted } from '../gateway/regional/order.js';
import { expectedSubgraphSchemas } from '../gateway/regional/schema-check.js';

const rootField = (query: string): FieldNode =>
  fieldsOf((inlineFragments(parse(query)).definitions[0] as OperationDefinitionNode).selectionSet)[0];
const schemas = expectedSubgraphSchemas(readFileSync('schema/supergraph.graphql', 'utf8'));

describe('routing declarations', () => {
  it('cover every root field and mutation of every subgraph, with paths that exist', () => {
    for (const name of ['alliances', 'networks', 'projects', 'people']) {
      expect(RoutingTable.build(name, ROUTING[name], schemas.get(name)!), name).toBeInstanceOf(RoutingTable);
    }
  });

  it('are refused when a root field or mutation is undeclared or a path does not exist', () => {
    const { createAlliance: _, ...mutation } = ROUTING.alliances.mutation;
    const broken: RoutingDeclarations = {
      ...ROUTING.alliances,
      query: { ...ROUTING.alliances.query, alliance: { owner: 'allianceId', merge: { kind: 'single' } } },
      mutation,
    };
    expect(RoutingTable.build('alliances', broken, schemas.get('alliances')!)).toEqual([
      'alliances: alliance: owner argument allianceId does not exist',
      'alliances: mutation createAlliance has no routing declaration',
    ]);
    expect(RoutingTable.build('people', undefined, schemas.get('people')!)).toEqual(['people declares no routing (subgraphs/people/routing.ts)']);
  });

  it('are refused when a declared reference is not an id field, or a delete lacks its references argument', () => {
    const broken: RoutingDeclarations = {
      ...ROUTING.projects,
      mutation: {
        ...ROUTING.projects.mutation,
        createProject: { owner: 'input.region', references: { 'input.leadAlliance': 'Alliance', 'input.fieldsOfAction': 'Alliance' } },
        deleteProject: { owner: 'id', deletes: 'id' },
      },
    };
    expect(RoutingTable.build('projects', broken, schemas.get('projects')!)).toEqual([
      'projects: createProject: reference input.leadAlliance does not exist',
      'projects: createProject: reference input.fieldsOfAction is [FieldOfAction!], not an id',
      'projects: deleteProject: a delete needs the argument references: ReferenceAction',
    ]);
  });

  it('are refused when a cross-region field cannot be null, names no id field, or a cross-region list is no list', () => {
    const broken: RoutingDeclarations = {
      ...ROUTING.alliances,
      crossRegion: {
        Membership: { alliance: { type: 'Alliance', id: 'organizationId' }, organization: { type: 'Organization', id: 'joinedOn' } },
      },
      crossRegionLists: { Organization: { name: [{ field: 'id' }] }, Membership: { organization: [{ field: 'nothing' }] } },
    };
    expect(RoutingTable.build('alliances', broken, schemas.get('alliances')!)).toEqual([
      'alliances: cross-region field Membership.alliance must be a nullable Alliance (null while its region cannot be reached)',
      'alliances: cross-region field Membership.organization: Membership.joinedOn is not an id field of the schema',
      'alliances: cross-region list Organization.name is not a list field of the schema',
      'alliances: cross-region list Membership.organization is not a list field of the schema',
    ]);
  });

  it('are refused at gateway start when a reference names a type no subgraph stores', () => {
    const tables = new Map(['alliances', 'networks', 'projects', 'people'].map((name) => {
      const declarations = name !== 'projects' ? ROUTING[name] : {
        ...ROUTING.projects,
        mutation: { ...ROUTING.projects.mutation, createProject: { owner: 'input.region', references: { 'input.leadAllianceId': 'Bündnis' } } },
      };
      return [name, RoutingTable.build(name, declarations, schemas.get(name)!) as RoutingTable] as const;
    }));
    expect(() => new IntegrityGuard({} as never, tables)).toThrow('projects: a mutation references Bündnis, which no subgraph stores');
    tables.set('projects', RoutingTable.build('projects', ROUTING.projects, schemas.get('projects')!) as RoutingTable);
    expect(() => new IntegrityGuard({} as never, tables)).not.toThrow();
  });
});

describe('the region a mutation writes to', () => {
  const region = (query: string, owner: string, variables = {}) => mutationRegion(rootField(query), owner, variables);

  it('is read from the declared argument only, whatever else the input names and in which order', () => {
    expect(region('mutation { deleteAlliance(id: "NW:alliance:x") }', 'id')).toBe('NW');
    expect(region('mutation { createMembership(input: { representativeId: "NW:person:p", allianceId: "SL:alliance:a", organizationId: "BW:organization:o" }) { id } }',
      'input.allianceId')).toBe('SL');
    expect(region('mutation($i: CreateAllianceInput!) { createAlliance(input: $i) { id } }', 'input.region', { i: { name: 'x', region: 'ST' } })).toBe('ST');
    expect(region('mutation { createAlliance(input: { name: "x" }) { id } }', 'input.region')).toBeUndefined();
    expect(region('mutation { deleteAlliance(id: "kein id") }', 'id')).toBeUndefined();
  });
});

describe('ordering', () => {
  it('merges sorted lists k-way, nulls last, ties kept in list order', () => {
    const order = comparatorFor([{ field: 'count', direction: 'desc' }, { field: 'name', sortKey: true }]);
    const row = (count: number | null, name: string) => ({ [mergeAlias('count')]: count, [mergeAlias('name')]: name, name });
    const merged = mergeSorted([[row(5, 'Zell'), row(2, 'Ärzte')], [row(5, 'arzte'), row(null, 'Aalen')]], order);
    expect(merged.map((r) => r.name)).toEqual(['arzte', 'Zell', 'Ärzte', 'Aalen']);
  });
});

describe('a page merged from several instances', () => {
  const field = rootField('{ alliances(first: 3) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }');
  /** An instance's answer: its records (sort key, id) in order, whether it has more, its total. */
  const answer = (records: [string, string][], more: boolean, total = records.length) => ({
    totalCount: total, edges: records.map(([, id]) => ({ node: { id } })), pageInfo: { hasNextPage: more, endCursor: null },
    [PAGING.total]: total, [PAGING.pageInfo]: { [PAGING.more]: more },
    [PAGING.edges]: records.map(([key, id]) => ({ [PAGING.cursor]: encodeCursor(key, id) })),
  });
  const ids = (page: Record<string, unknown>) => (page.edges as { node: { id: string } }[]).map((e) => e.node.id);

  it('plans each instance\'s share plus a look-ahead, with ties across instances broken by id', () => {
    const sl = answer([['bonn', 'SL:a:2'], ['zell', 'SL:a:9']], false);
    const nw = answer([['bonn', 'NW:a:1'], ['bonn', 'NW:a:3'], ['celle', 'NW:a:4']], true, 10);
    const empty = answer([], false);
    expect(planPage([sl, nw, empty, undefined, answer([['zz', 'BW:a:7']], true)], 3)).toEqual([2, 3, 0, 0, 1]);
    // The second round without writes in between: the planned page, exactly.
    const page = mergeConnection(field, [answer([['bonn', 'SL:a:2'], ['zell', 'SL:a:9']], false),
      answer([['bonn', 'NW:a:1'], ['bonn', 'NW:a:3'], ['celle', 'NW:a:4']], true, 10), empty, undefined], 3);
    expect(ids(page)).toEqual(['NW:a:1', 'NW:a:3', 'SL:a:2']);
    expect(page.totalCount).toBe(12);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor('bonn', 'SL:a:2') });
  });

  it('neither skips nor repeats a record written on an instance between the two rounds', () => {
    // Round 1 planned NW:a:1, NW:a:3, SL:a:2. Before round 2, NW gained "aalen" (NW:a:0).
    const sl = answer([['bonn', 'SL:a:2'], ['zell', 'SL:a:9']], false);
    const nw = answer([['aalen', 'NW:a:0'], ['bonn', 'NW:a:1'], ['bonn', 'NW:a:3']], true, 11);
    const first = mergeConnection(field, [sl, nw], 3);
    expect(ids(first)).toEqual(['NW:a:0', 'NW:a:1', 'NW:a:3']);
    // NW's look-ahead bounds the page; the next page starts after NW:a:3, so SL:a:2 comes next.
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, endCursor: encodeCursor('bonn', 'NW:a:3') });

    // An instance with no share, asked for its look-ahead, gained a record below the page's end:
    // the page stops at that instance's look-ahead instead of passing it by.
    const bw = answer([['celle', 'BW:a:5']], true);
    const second = mergeConnection(field, [answer([['bonn', 'SL:a:2'], ['dahn', 'SL:a:6'], ['zell', 'SL:a:9']], false), bw], 3);
    expect(ids(second)).toEqual(['SL:a:2', 'BW:a:5']);
    expect(second.pageInfo).toMatchObject({ hasNextPage: true });
  });

  it('answers totals alone (first: 0) from the first round', () => {
    const totals = rootField('{ alliances(first: 0) { totalCount pageInfo { hasNextPage } } }');
    expect(planPage([answer([], true, 4), answer([], false, 0)], 0)).toEqual([0, 0]);
    expect(mergeConnection(totals, [answer([], true, 4), answer([], false, 0)], 0)).toEqual({ totalCount: 4, pageInfo: { hasNextPage: true } });
  });
});
