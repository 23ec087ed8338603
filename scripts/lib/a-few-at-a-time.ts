/**
 * Starting a subgraph instance is mostly CPU of the starting process (schema, ORM metadata,
 * migrations) plus its first database connection; dozens started at once on two cores keep each
 * other's first connection waiting past the acquire timeout. So instances start a few at a time.
 */
export const INSTANCES_STARTING_AT_ONCE = 4;

/** `start` for every item, at most `atOnce` running at a time; the results in the items' order. */
export async function aFewAtATime<T, R>(items: readonly T[], atOnce: number, start: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await start(items[index]);
  }));
  return results;
}
