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

/**
 * The input fields of a mutation that name other records, by path, with the entity type each
 * names (`{ 'input.leadAllianceId': 'Alliance' }`). A path runs through lists at any depth:
 * `input.memberAlliances.allianceId` names the `allianceId` of every member, `input.contactIds`
 * every id of the list. The gateway refuses the write when a named record does not exist.
 */
export type InputReferences = Readonly<Record<Path, string>>;

/** A mutation: the argument holding the id or `Region` of the record it writes decides the instance. */
export interface MutationRoute {
  owner: Path;
  /** Records the write names: each must exist (checked before the write, batched per owning instance). */
  references?: InputReferences;
  /**
   * A delete of the record whose id is at this path. Records of every subgraph and region that
   * refer to it are looked up first: the delete is refused with REFERENCED, or with
   * `references: REMOVE` (REFERENCES_ARGUMENT) the references are removed everywhere first.
   */
  deletes?: Path;
}

/** The argument of every delete that says what happens to references to the record. */
export const REFERENCES_ARGUMENT = 'references';

/** What a delete does about records that refer to the one deleted: refuse (the default), or remove the references. */
export const ReferenceAction = { REFUSE: 'REFUSE', REMOVE: 'REMOVE' } as const;
export type ReferenceAction = (typeof ReferenceAction)[keyof typeof ReferenceAction];

/** The most referrers a REFERENCED refusal lists; `referrerCount` says how many there are. */
export const MAX_LISTED_REFERRERS = 20;

/**
 * The fields every subgraph has for referential integrity, which the gateway calls on each instance
 * itself (like `_entities`, so they need no routing declaration): the records that refer to given
 * ids, the removal of every reference to a record before it is deleted, and the audit entry of a
 * delete the gateway refused because of referrers in other instances.
 */
export function integrityFields(subgraph: string): { referrers: string; forget: string; refused: string } {
  const name = subgraph.charAt(0).toUpperCase() + subgraph.slice(1);
  return { referrers: `referrersIn${name}`, forget: `forgetReferencesIn${name}`, refused: `deleteRefusedIn${name}` };
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
  /**
   * Fields of this subgraph's own types whose record may be held by another region's instance
   * (`Membership.organization`), by type and field. See `CrossRegionField`.
   */
  crossRegion?: Readonly<Record<string, Readonly<Record<string, CrossRegionField>>>>;
  /**
   * Lists of this subgraph's own types whose items other regions' instances may hold too
   * (`Organization.memberships`: each membership lives with its alliance, in any region), by type
   * and field, with their order. The instance of the object's region answers its part; the gateway
   * asks every other instance that refers to that region (the subgraph's `references`) for the
   * rest and merges the parts in this order.
   */
  crossRegionLists?: Readonly<Record<string, Readonly<Record<string, Order>>>>;
}

/**
 * A field whose record (of a type this subgraph stores) may belong to another region than the
 * object holding it. An instance answers the field only for records of its own regions and null
 * for the others; `id` names the field of the same object that holds the record's id either way.
 * The gateway asks for that id beside the field and fetches each record left null from the
 * instance of its region (`_entities`, batched per instance).
 */
export interface CrossRegionField {
  /** The record's type, one of `entities`. */
  type: string;
  /** The field beside it holding the record's id (may be @inaccessible: only the gateway asks it). */
  id: string;
}

/** The order of records listed by name: the name's sort key, then the id (what the cursors carry). */
export const BY_NAME: Order = [{ field: 'name', sortKey: true }, { field: 'id' }];

/** The order of breakdown rows: the largest count first, then the key (unknown keys last). */
export const byCountThen = (...key: Path[]): Order => [{ field: 'count', direction: 'desc' }, ...key.map((field) => ({ field }))];

/**
 * A breakdown keyed by one field of the row, ordered by its summed field (`count` unless named,
 * e.g. an amount) from the largest, then by that key.
 */
export const breakdownBy = (key: Path, count = 'count'): Breakdown =>
  ({ key: [key], count, order: [{ field: count, direction: 'desc' }, { field: key }] });

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
