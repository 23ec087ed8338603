import DataLoader from 'dataloader';
import type { EntityClass, EntityManager, FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import { Utils } from '@mikro-orm/core';

type Keyed = { id: string };

function keyOf(value: unknown): string | undefined {
  if (value == null) return undefined;
  if (typeof value === 'object') return (value as Keyed).id;
  return String(value);
}

/**
 * Per-request DataLoaders over one EntityManager fork. Every cross-row lookup goes through
 * here, so a query costs one SQL statement per relation, not one per row.
 */
export class Loaders {
  private readonly cache = new Map<string, DataLoader<string, unknown>>();

  constructor(private readonly em: EntityManager) {}

  /** Entities by id; an unknown id resolves to null. */
  byId<T extends Keyed>(entity: EntityClass<T>): DataLoader<string, T | null> {
    return this.memo(`byId:${Utils.className(entity)}`, async (ids) => {
      const rows = await this.em.find(entity, { id: { $in: [...ids] } } as unknown as FilterQuery<T>);
      const found = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    });
  }

  /**
   * Rows grouped by one property: a ManyToOne relation (grouped by the target's id) or a plain
   * id column such as `allianceId`. `where` narrows the rows (e.g. only current roles).
   */
  manyBy<T extends object>(
    entity: EntityClass<T>,
    property: keyof T & string,
    options: { orderBy?: QueryOrderMap<T>; where?: FilterQuery<T>; name?: string } = {},
  ): DataLoader<string, T[]> {
    const name = `manyBy:${Utils.className(entity)}.${property}:${options.name ?? ''}`;
    return this.memo(name, async (keys) => {
      const where = { [property]: { $in: [...keys] }, ...(options.where as object) } as FilterQuery<T>;
      const rows = await this.em.find(entity, where as never, { orderBy: options.orderBy as never });
      const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
      for (const row of rows) groups.get(keyOf(row[property]) ?? '')?.push(row);
      return keys.map((k) => groups.get(k) ?? []);
    });
  }

  /** Any other batch lookup, cached per request under `name`. */
  custom<V>(name: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    return this.memo(`custom:${name}`, batch);
  }

  private memo<V>(name: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    let loader = this.cache.get(name) as DataLoader<string, V> | undefined;
    if (!loader) {
      loader = new DataLoader<string, V>(batch, { maxBatchSize: 1000 });
      this.cache.set(name, loader as DataLoader<string, unknown>);
    }
    return loader;
  }
}

/** Baseline shim for measuring the code before: the same calls, answered by em.find. */
export async function readRows<T extends object>(em: EntityManager, entity: EntityClass<T>, where: FilterQuery<T>,
  options: { orderBy?: QueryOrderMap<T>; limit?: number; keys?: { property: string; values: readonly string[] } } = {}): Promise<T[]> {
  const keyed = options.keys ? { [options.keys.property]: { $in: [...options.keys.values] }, ...(where as object) } : where;
  return em.find(entity, keyed as never, { orderBy: options.orderBy as never, limit: options.limit }) as Promise<T[]>;
}
