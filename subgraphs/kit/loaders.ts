import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import type { EntityClass, EntityManager, EntityMetadata, FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import { ReferenceKind, Utils } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/postgresql';
import { bySortKey } from './sort-key.js';

type Keyed = { id: string };

/** How an entity's rows are read for answering: the properties to select and how to shape a row. */
interface ReadPlan {
  /** Nested embeddables need MikroORM's hydrator: such entities are read as managed entities. */
  plain: boolean;
  columns: string[];
  /** ManyToOne properties: a row holds the target's id, an entity a reference with `.id`. */
  references: string[];
  /** Embeddables stored in columns of their own (`municipality_name`…), put back together as objects. */
  inline: { name: string; nullable: boolean; parts: { column: string; key: string }[] }[];
  /**
   * The entity's prototype: getters keep working, and type-graphql passes an instance of the type
   * to field resolvers as it is (a plain object it would copy into a new entity for every field).
   */
  prototype: object;
}

const readPlans = new WeakMap<EntityMetadata, ReadPlan>();

function readPlanOf(meta: EntityMetadata): ReadPlan {
  let plan = readPlans.get(meta);
  if (plan) return plan;
  const props = meta.props;
  const owning = (p: (typeof props)[number]) => p.kind === ReferenceKind.MANY_TO_ONE || (p.kind === ReferenceKind.ONE_TO_ONE && p.owner);
  const inline: ReadPlan['inline'] = [];
  const columns: string[] = [];
  let plain = true;
  for (const p of props) {
    // Lazy columns (search vectors) are not read, as em.find leaves them out.
    if (p.lazy || p.persist === false) continue;
    if (p.kind === ReferenceKind.EMBEDDED) {
      if (p.embedded) plain = false;
      else if (p.object) columns.push(p.name);
      else inline.push({ name: p.name, nullable: !!p.nullable, parts: [] });
    } else if (p.embedded) {
      const parent = meta.properties[p.embedded[0] as never] as (typeof props)[number] | undefined;
      if (!parent || parent.embedded || p.embedded.length !== 2) plain = false;
      else if (!parent.object) {
        columns.push(p.name);
        inline.find((e) => e.name === parent.name)?.parts.push({ column: p.name, key: p.embedded[1] });
      }
    } else if (p.kind === ReferenceKind.SCALAR || owning(p)) {
      columns.push(p.name);
    }
  }
  plan = {
    plain: plain && inline.every((e) => e.parts.length > 0),
    columns,
    references: props.filter(owning).map((p) => p.name),
    inline,
    prototype: meta.prototype,
  };
  readPlans.set(meta, plan);
  return plan;
}

/** A PostgreSQL array literal with every element quoted, so no value reads as NULL or loses its spaces. */
function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/** The column a property is stored in. */
const columnOf = (meta: EntityMetadata, property: string): string =>
  (meta.properties as Record<string, { fieldNames: string[] }>)[property].fieldNames[0];

export interface ReadOptions<T> {
  orderBy?: QueryOrderMap<T>;
  limit?: number;
  /** Only rows whose property (a column or a ManyToOne) holds one of these values. */
  keys?: { property: keyof T & string; values: readonly string[] };
}

/** A keyed read's statement, built once: its parameters, the keys' array among them at `keysAt`. */
interface KeyedStatement {
  sql: string;
  params: readonly unknown[];
  keysAt: number;
}

/**
 * Keyed reads (every DataLoader batch) differ only in their keys, so each shape of read (entity,
 * key property, filter, order, limit) is built by MikroORM's QueryBuilder once and then run with
 * the new keys: building the query cost more CPU than running it and shaping its rows. Filters
 * holding anything but plain values (a date, an entity) are built every time.
 */
const keyedStatements = new WeakMap<EntityMetadata, LRUCache<string, KeyedStatement>>();
const KEYS_PLACEHOLDER = '{"\u0000hub keys\u0000"}';

function shapeOf(value: unknown): string | undefined {
  const plain = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v)
    || (Array.isArray(v) && v.every(plain))
    || (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && Object.values(v as object).every(plain));
  return plain(value) ? JSON.stringify(value) : undefined;
}

/**
 * Rows to answer with, never to change: records with the entity's property names (a ManyToOne
 * as `{ id }`, as an unloaded reference reads), outside the identity map and unit of work.
 * Hydrating managed entities was most of the CPU a list of rows cost; entities with nested
 * embeddables still go through em.find.
 */
export async function readRows<T extends object>(
  em: EntityManager, entity: EntityClass<T>, where: FilterQuery<T>, options: ReadOptions<T> = {},
): Promise<T[]> {
  const meta = em.getMetadata().get(entity);
  const plan = readPlanOf(meta);
  const { keys } = options;
  if (!plan.plain) {
    const keyed = keys ? { $and: [{ [keys.property]: { $in: [...keys.values] } }, where] } : where;
    return em.find(entity, keyed as never, { orderBy: options.orderBy as never, limit: options.limit }) as Promise<T[]>;
  }
  const build = (keyValues: string) => {
    const qb = (em as unknown as SqlEntityManager).createQueryBuilder(entity as EntityClass<object>).select(plan.columns as never);
    if (keys) {
      // One array parameter instead of `in (?, ?, …)`: MikroORM builds a criteria node per listed
      // value, which cost more than the rows for a batch of thousands of ids.
      const column = columnOf(meta, keys.property);
      qb.where(`${qb.alias}."${column}" = any(?::text[])`, [keyValues]);
      if (Object.keys(where).length) qb.andWhere(where as never);
    } else {
      qb.where(where as never);
    }
    if (options.orderBy) qb.orderBy(options.orderBy as never);
    if (options.limit !== undefined) qb.limit(options.limit);
    return qb;
  };
  const shape = keys && shapeOf([keys.property, where, options.orderBy ?? null, options.limit ?? null]);
  let rows: Record<string, unknown>[];
  if (keys && shape !== undefined) {
    let statements = keyedStatements.get(meta);
    if (!statements) keyedStatements.set(meta, statements = new LRUCache({ max: 200 }));
    let statement = statements.get(shape);
    if (!statement) {
      const { sql, params } = build(KEYS_PLACEHOLDER).toQuery();
      statement = { sql, params, keysAt: params.indexOf(KEYS_PLACEHOLDER) };
      if (statement.keysAt < 0) throw new Error(`readRows: the keys of ${meta.className} are not a parameter of its query`);
      statements.set(shape, statement);
    }
    const params = [...statement.params];
    params[statement.keysAt] = textArrayLiteral(keys.values);
    const driver = em.getDriver();
    const found = await (em as unknown as SqlEntityManager).getConnection().execute(statement.sql, params, 'all', em.getTransactionContext());
    rows = (found as Record<string, unknown>[]).map((row) => driver.mapResult(row as never, meta) as Record<string, unknown>);
  } else {
    rows = await build(keys ? textArrayLiteral(keys.values) : '').execute('all', true) as Record<string, unknown>[];
  }
  return shaped(rows, plan);
}

/** Rows as read (property names) made into records: references as `{ id }`, inline embeddables as objects. */
function shaped<T>(rows: Record<string, unknown>[], plan: ReadPlan): T[] {
  for (const row of rows) {
    for (const name of plan.references) {
      const id = row[name];
      if (id != null && typeof id !== 'object') row[name] = { id };
    }
    for (const embedded of plan.inline) {
      const value: Record<string, unknown> = {};
      let empty = true;
      for (const { column, key } of embedded.parts) {
        value[key] = row[column];
        if (row[column] != null) empty = false;
        delete row[column];
      }
      row[embedded.name] = empty && embedded.nullable ? null : value;
    }
    Object.setPrototypeOf(row, plan.prototype);
  }
  return rows as T[];
}

/** Where a counted page carries its total: a column no entity has. */
const TOTAL_COLUMN = 'hub_total';

/**
 * A page of records (as `readRows`) and how many rows match `countWhere`, in one statement: the
 * page joined to its count, so a page and its total cost one round trip, one plan and one
 * connection instead of two. `total` is undefined for entities `readRows` reads through em.find:
 * the caller counts on its own then.
 */
export async function readCountedRows<T extends object>(
  em: EntityManager, entity: EntityClass<T>, where: FilterQuery<T>, countWhere: FilterQuery<T>,
  options: Pick<ReadOptions<T>, 'orderBy' | 'limit'> = {},
): Promise<{ rows: T[]; total: number | undefined }> {
  const meta = em.getMetadata().get(entity);
  const plan = readPlanOf(meta);
  if (!plan.plain) return { rows: await readRows(em, entity, where, options), total: undefined };
  const sql = em as unknown as SqlEntityManager;
  const page = sql.createQueryBuilder(entity as EntityClass<object>).select(plan.columns as never).where(where as never);
  if (options.orderBy) page.orderBy(options.orderBy as never);
  if (options.limit !== undefined) page.limit(options.limit);
  const count = sql.createQueryBuilder(entity as EntityClass<object>).count().where(countWhere as never);
  const pageQuery = page.toQuery();
  const countQuery = count.toQuery();
  // The page's order stated again outside: a derived table's order is not the outer query's.
  const order = Object.keys(options.orderBy ?? {}).map((name) => {
    return `page."${columnOf(meta, name)}" ${String((options.orderBy as Record<string, string>)[name])}`;
  });
  // The count's one row joined to the page's rows; an empty page leaves that row with no record in it.
  const statement = `select page.*, counted."count" as "${TOTAL_COLUMN}" from (${countQuery.sql}) as counted`
    + ` left join (${pageQuery.sql}) as page on true` + (order.length ? ` order by ${order.join(', ')}` : '');
  const found = await sql.getConnection().execute(statement, [...countQuery.params, ...pageQuery.params], 'all', em.getTransactionContext()) as Record<string, unknown>[];
  const total = Number(found[0][TOTAL_COLUMN]);
  const id = columnOf(meta, meta.primaryKeys[0]);
  const driver = em.getDriver();
  const rows = found.filter((row) => row[id] != null).map((row) => {
    delete row[TOTAL_COLUMN];
    return driver.mapResult(row as never, meta) as Record<string, unknown>;
  });
  return { rows: shaped<T>(rows, plan), total };
}

function keyOf(value: unknown): string | undefined {
  if (value == null) return undefined;
  if (typeof value === 'object') return (value as Keyed).id;
  return String(value);
}

/** The most keys of one batch of a `custom` loader (PostgreSQL takes at most 65,535 parameters). */
export const CUSTOM_BATCH_SIZE = 1000;

/**
 * Per-request DataLoaders over one EntityManager fork. Every cross-row lookup goes through
 * here, so a query costs one SQL statement per relation (two through link rows), not one per row.
 */
export class Loaders {
  private readonly cache = new Map<string, DataLoader<string, unknown>>();
  /** What `byId` has read in this request, per entity: found records, and null for ids not found. */
  private readonly read = new Map<string, Map<string, unknown>>();

  constructor(private readonly em: EntityManager) {}

  /** Entities by id; an unknown id resolves to null. */
  byId<T extends Keyed>(entity: EntityClass<T>): DataLoader<string, T | null> {
    const name = Utils.className(entity);
    return this.memo(`byId:${name}`, async (ids) => {
      const rows = await readRows(this.em, entity, {} as FilterQuery<T>, { keys: { property: 'id' as keyof T & string, values: ids } });
      const found = new Map(rows.map((row) => [row.id, row]));
      let read = this.read.get(name);
      if (!read) this.read.set(name, read = new Map());
      return ids.map((id) => {
        const record = found.get(id) ?? null;
        read.set(id, record);
        return record;
      });
    });
  }

  /**
   * An entity by id: the record itself when this request has read it already (e.g. alongside the
   * rows that name it, manyBy's `alongside`), otherwise the promise of `byId`. graphql-js
   * completes a value in place, where a promise costs a tick and an object to wait on for every
   * row of a list and every object above it.
   */
  recordById<T extends Keyed>(entity: EntityClass<T>, id: string): T | null | Promise<T | null> {
    const read = this.read.get(Utils.className(entity));
    return read?.has(id) ? read.get(id) as T | null : this.byId(entity).load(id);
  }

  /** The records of these ids found through `byId` (one batch), by id; a failed batch throws. */
  private async recordsById<T extends Keyed>(entity: EntityClass<T>, ids: readonly (string | undefined)[]): Promise<Map<string, T>> {
    const wanted = [...new Set(ids.filter((id) => id !== undefined))];
    const records = new Map<string, T>();
    for (const found of await this.byId(entity).loadMany(wanted)) {
      if (found instanceof Error) throw found;
      if (found) records.set(found.id, found);
    }
    return records;
  }

  /**
   * Rows grouped by one property: a ManyToOne relation (grouped by the target's id) or a plain
   * id column such as `allianceId`. `where` narrows the rows (e.g. only current roles).
   * `alongside` reads the records the rows name (`idOf`: the id, or undefined for none) in the
   * same batch through `byId`, so `recordById` answers them without waiting.
   */
  manyBy<T extends object>(
    entity: EntityClass<T>,
    property: keyof T & string,
    options: {
      orderBy?: QueryOrderMap<T>; where?: FilterQuery<T>; name?: string;
      alongside?: { entity: EntityClass<Keyed>; idOf: (row: T) => string | undefined };
    } = {},
  ): DataLoader<string, T[]> {
    const { alongside } = options;
    const name = `manyBy:${Utils.className(entity)}.${property}:${options.name ?? ''}${alongside ? `+${Utils.className(alongside.entity)}` : ''}`;
    return this.memo(name, async (keys) => {
      const rows = await readRows(this.em, entity, (options.where ?? {}) as FilterQuery<T>, {
        orderBy: options.orderBy, keys: { property, values: keys },
      });
      if (alongside) await this.recordsById(alongside.entity, rows.map(alongside.idOf));
      const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
      for (const row of rows) groups.get(keyOf(row[property]) ?? '')?.push(row);
      return keys.map((k) => groups.get(k) ?? []);
    });
  }

  /**
   * Records reached through link rows (a role's person, a network membership's network), grouped
   * by one property of the link: the links, then their targets through `byId`, two statements
   * for any number of keys. A joined em.find hydrated a managed entity for every link and target,
   * which cost more CPU than both statements. Each key's targets come once, in sort-key order.
   */
  linkedBy<L extends object, T extends Keyed & { sortKey: string }>(
    link: EntityClass<L>,
    property: keyof L & string,
    options: { target: keyof L & string; entity: EntityClass<T>; where?: FilterQuery<L>; name: string },
  ): DataLoader<string, T[]> {
    const name = `linkedBy:${Utils.className(link)}.${property}>${options.target}:${options.name}`;
    return this.memo(name, async (keys) => {
      const links = await readRows(this.em, link, (options.where ?? {}) as FilterQuery<L>, { keys: { property, values: keys } });
      const targets = await this.recordsById(options.entity, links.map((row) => keyOf(row[options.target])));
      const groups = new Map<string, Map<string, T>>(keys.map((k) => [k, new Map()]));
      for (const row of links) {
        const target = targets.get(keyOf(row[options.target]) ?? '');
        if (target) groups.get(keyOf(row[property]) ?? '')?.set(target.id, target);
      }
      return keys.map((k) => [...groups.get(k)!.values()].sort(bySortKey));
    });
  }

  /**
   * Any other batch lookup, cached per request under `name`. Its batches hold at most
   * CUSTOM_BATCH_SIZE keys, as its statement may list each key as a parameter of its own.
   */
  custom<V>(name: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    return this.memo(`custom:${name}`, batch, CUSTOM_BATCH_SIZE);
  }

  /**
   * The loaders of readRows pass their keys as one array parameter, so a batch of any size is one
   * statement: they are not split, and a query costs the same statements for 10 or 10,000 rows.
   */
  private memo<V>(name: string, batch: (keys: readonly string[]) => Promise<V[]>, maxBatchSize = Infinity): DataLoader<string, V> {
    let loader = this.cache.get(name) as DataLoader<string, V> | undefined;
    if (!loader) {
      loader = new DataLoader<string, V>(batch, { maxBatchSize });
      this.cache.set(name, loader as DataLoader<string, unknown>);
    }
    return loader;
  }
}
