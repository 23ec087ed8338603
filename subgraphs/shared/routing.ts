/**
 * The vocabulary in which each subgraph declares how the gateway routes its root fields and
 * mutations across regional instances and how it merges their answers. Every subgraph states
 * its declarations in one place (`subgraphs/<name>/routing.ts`); the gateway reads them at start
 * and on every topology reload and refuses a topology whose schema has an undeclared root field
 * or mutation. Nothing is inferred from type names or the order of input fields.
 *
 * Plain data and types only: the gateway imports this without any ORM or schema-building code.
 */

/** A dotted path into a field's arguments (`id`, `input.allianceId`) or into a result (`network.id`). */
export type Path = string;

/** One term of an order: the value at `field`, ascending unless told otherwise; nulls always last. */
export interface OrderTerm {
  /** A path, or several whose texts are joined with a space before comparing (`familyName givenName`). */
  field: Path | readonly Path[];
  direction?: 'asc' | 'desc';
  /**
   * Compare the hub's sort key of the text (case, umlauts and spaces folded, see `sortKeyOf`)
   * instead of the text; values are compared byte-wise, as the subgraphs' "C" collation does.
   */
  sortKey?: boolean;
}

/** The order of a list, term by term; it must be total (end with a unique field, e.g. `id`). */
export type Order = readonly OrderTerm[];

/** A breakdown of a statistics type: rows with equal `key` values are one row, their `count` added. */
export interface Breakdown {
  /** The fields that identify a row (paths into the row; an object's `id` for a record). */
  key: readonly Path[];
  /** The field summed across instances. */
  count: string;
  /** How rows are ordered after the counts were added. */
  order: Order;
}

/** How the answers of several instances to one root field become one answer. */
export type Merge =
  /** At most one instance is asked (the field names its owner): its answer as it is. */
  | { kind: 'single' }
  /** A plain list: one list in this order (every instance's list is in it already), cut to `first`. */
  | { kind: 'list'; order: Order }
  /**
   * A connection (`totalCount`, `edges { cursor node }`, `pageInfo`): edges in the order of their
   * cursors, which carry `order`'s values (see `encodeCursor`), totals added, paged without gaps.
   */
  | { kind: 'connection'; order: Order }
  /** A statistics object: `sum` fields added, each breakdown merged by its key and ordered. */
  | { kind: 'aggregate'; sum: readonly string[]; breakdowns: Readonly<Record<string, Breakdown>> };

/** A root query field. */
export interface QueryRoute {
  /** The argument holding an id or a `Region` that names the one instance to ask. */
  owner?: Path;
  /** The argument holding a list of regions that narrows the instances asked (all when absent or empty). */
  regions?: Path;
  merge: Merge;
}

/** A mutation: the argument holding the id or `Region` of the record it writes decides the instance. */
export interface MutationRoute {
  owner: Path;
}

export interface RoutingDeclarations {
  /**
   * The entity types this subgraph stores: their `_entities` fetches go, split by the region of
   * each id, to the owning instances. Other entity types it only adds fields to (`extensions`).
   */
  entities: readonly string[];
  /** Every root query field of the subgraph. */
  query: Readonly<Record<string, QueryRoute>>;
  /** Every mutation of the subgraph. */
  mutation: Readonly<Record<string, MutationRoute>>;
  /**
   * Lists this subgraph adds to other subgraphs' entities (e.g. `Alliance.contacts` in people):
   * when several instances answer for one entity, their lists are merged in this order.
   */
  extensions: Readonly<Record<string, Readonly<Record<string, Order>>>>;
}

/** The order of records listed by name: the name's sort key, then the id (what the cursors carry). */
export const BY_NAME: Order = [{ field: 'name', sortKey: true }, { field: 'id' }];

/** The order of breakdown rows: the largest count first, then the key (unknown keys last). */
export const byCountThen = (...key: Path[]): Order => [{ field: 'count', direction: 'desc' }, ...key.map((field) => ({ field }))];

/** A breakdown keyed by one field of the row, ordered by count and then that key. */
export const breakdownBy = (key: Path): Breakdown => ({ key: [key], count: 'count', order: byCountThen(key) });

/**
 * The order of audit entries: newest first, ties by id. Their cursors carry a key that grows as
 * time goes back (see `newestFirstKey` in the kit), so the byte-wise merge of cursors keeps it.
 */
export const NEWEST_FIRST: Order = [{ field: 'at', direction: 'desc' }, { field: 'id' }];

/**
 * Every subgraph's `<subgraph>AuditLog`: a record id names the one instance to ask, listed
 * regions narrow the instances, and pages from several merge newest first. Each subgraph lists
 * `AuditEntry` among its `entities`, so an instance's answer keeps only its own regions' entries.
 */
export const AUDIT_LOG: QueryRoute = {
  owner: 'filter.recordId', regions: 'filter.regions', merge: { kind: 'connection', order: NEWEST_FIRST },
};
