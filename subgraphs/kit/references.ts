import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from './orm.js';
import { isRegion, type Region } from './region.js';

/** A column holding ids of another subgraph's records: a text column or a text array. */
export interface ReferenceColumn {
  entity: EntityClass<object>;
  property: string;
}

/** For each type this subgraph adds fields to (e.g. `Alliance`), the columns that refer to it. */
export type ReferenceColumns = Record<string, ReferenceColumn[]>;

/** Referenced regions by type name, e.g. `{ Alliance: ['SL', 'DE'] }`. */
export type ReferencedRegions = Record<string, Region[]>;

/** The path on every instance where the gateway reads its referenced regions. */
export { REFERENCES_PATH } from '../shared/limits.js';

/**
 * Which regions' records of other subgraphs this instance refers to, by type. The gateway sends
 * an extension fetch (e.g. `Alliance.contacts` from people) to an instance only for the
 * representations of those regions, instead of every representation to every instance.
 * Computed when asked and kept until the instance commits a write.
 */
export class ReferenceIndex {
  private current?: Promise<ReferencedRegions>;
  private generation = 0;
  private readonly statement?: string;

  constructor(private readonly orm: MikroORM, private readonly columns: ReferenceColumns) {
    this.statement = referenceStatement(orm, columns);
    // Every write of a subgraph commits a transaction (kit/mutations.ts); a flush outside one counts too.
    const forget = () => this.forget();
    orm.em.getEventManager().registerSubscriber({ afterFlush: forget, afterTransactionCommit: forget });
  }

  regions(): Promise<ReferencedRegions> {
    if (!this.current) {
      const generation = this.generation;
      const computing = this.compute();
      this.current = computing;
      // A failed query is not kept; a write during the query leaves the answer uncached.
      computing.then(() => { if (generation !== this.generation && this.current === computing) this.current = undefined; },
        () => { if (this.current === computing) this.current = undefined; });
    }
    return this.current;
  }

  forget(): void {
    this.generation++;
    this.current = undefined;
  }

  private async compute(): Promise<ReferencedRegions> {
    const result: ReferencedRegions = Object.fromEntries(Object.keys(this.columns).map((type) => [type, []]));
    if (!this.statement) return result;
    const em = this.orm.em.fork() as EntityManager;
    const rows = await em.getConnection().execute<{ type: string; region: string }[]>(this.statement);
    for (const row of rows) if (isRegion(row.region)) result[row.type].push(row.region);
    return result;
  }
}

/** One statement for every column: the distinct (type, region) pairs; ids start with their region (kit/ids.ts). */
function referenceStatement(orm: MikroORM, columns: ReferenceColumns): string | undefined {
  const parts = Object.entries(columns).flatMap(([type, list]) => list.map((column) => {
    const meta = orm.getMetadata().get(column.entity);
    const property = meta.properties[column.property as never] as { fieldNames: string[]; type?: string; columnTypes?: string[] } | undefined;
    if (!property) throw new Error(`${meta.className} has no property ${column.property}`);
    const name = `"${property.fieldNames[0]}"`;
    const isArray = property.columnTypes?.[0]?.endsWith('[]') || String(property.type).endsWith('[]');
    const value = isArray ? 'referenced.id' : name;
    const from = isArray ? `"${meta.tableName}" cross join lateral unnest(${name}) as referenced(id)` : `"${meta.tableName}"`;
    return `select '${type}' as type, left(${value}, 2) as region from ${from} where ${value} is not null`;
  }));
  return parts.length ? `select distinct type, region from (${parts.join(' union all ')}) as referenced order by type, region` : undefined;
}
