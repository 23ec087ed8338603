import { expect } from 'vitest';
import type { GraphQLClient } from './client.js';

/**
 * Pages through every alliance three at a time while others write: between pages an alliance is
 * created before the cursor and one after it (in turning regions), and one that was listed at the
 * start is deleted. Every record that stayed until it was reached must be seen, and none twice.
 */
export async function expectEveryRecordOnceWhileWriting(client: GraphQLClient, regions: readonly string[]): Promise<void> {
  const ok = async (query: string, variables?: Record<string, unknown>) => {
    const result = await client(query, variables);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data;
  };
  const listed = await ok('{ alliances(first: 100) { edges { node { id } } pageInfo { hasNextPage } } }');
  expect(listed.alliances.pageInfo.hasNextPage).toBe(false);
  const before = listed.alliances.edges.map((e: { node: { id: string } }) => e.node.id) as string[];
  const doomed = new Set(before.filter((_, index) => index % 5 === 3));
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 40; page++) {
    const { alliances } = await ok('query($after: String) { alliances(first: 3, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }', { after });
    seen.push(...alliances.edges.map((e: { node: { id: string } }) => e.node.id));
    const region = regions[page % regions.length];
    for (const name of ['AAA vorn', 'zzz hinten']) {
      await ok('mutation($i: CreateAllianceInput!) { createAlliance(input: $i) { id } }', { i: { region, name: `${name} ${page}` } });
    }
    const victim = [...doomed][page];
    if (victim) await ok('mutation($id: ID!) { deleteAlliance(id: $id, references: REMOVE) }', { id: victim });
    if (!alliances.pageInfo.hasNextPage) break;
    after = alliances.pageInfo.endCursor;
  }
  expect(new Set(seen).size).toBe(seen.length);
  for (const id of before.filter((id) => !doomed.has(id) || seen.includes(id))) expect(seen, id).toContain(id);
}
