/** The largest page an instance gives of any list (gateway and subgraphs page by it alike). */
export const MAX_PAGE_SIZE = 100;

/**
 * A cursor carries the sort key and the id of the last row, so the next page continues after it
 * (keyset paging: stable under inserts, and mergeable across instances because the key is visible).
 */
export function encodeCursor(sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id])).toString('base64url');
}

/** The sort key and id a cursor carries, or undefined when it is not a cursor. */
export function readCursor(cursor: string): [string, string] | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return value as [string, string];
  } catch { /* not a cursor */ }
  return undefined;
}
