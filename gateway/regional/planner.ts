import type { FieldNode, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { isRegion, type Region } from '../../subgraphs/shared/region.js';
import { regionOfId } from '../../subgraphs/shared/ids.js';
import type { Merge } from '../../subgraphs/shared/routing.js';
import type { RoutingTable } from './declarations.js';
import { distinctErrors, regionNotServedError, unavailableErrors, type Json, type Outcome } from './instance-client.js';
import { fieldForMerge, mergeAnswers, mergeConnection, planPage } from './merge.js';
import { PAGING, argumentAt, argumentValue, asksOnlyKeys, cursorsOnly, defaultFirst, responseKey, withFirst, withPagingFields } from './operation.js';
import { ownRecordsOnly, recordTypeOf, withRecordIds } from './ownership.js';
import type { Instance } from './topology.js';

/** What the planner needs to know of the topology in force. */
export interface TopologyView {
  instances(subgraph: string): Instance[];
  owner(subgraph: string, region: Region): Instance | undefined;
}

/** One root field of a query fetch: where it goes, what each instance is asked, how answers combine. */
export interface FieldPlan {
  readonly field: FieldNode;
  readonly key: string;
  readonly merge: Merge;
  readonly first?: number;
  readonly instances: readonly Instance[];
  /** The regions that decided the instances (by owner or region list); undefined: all. */
  readonly regions?: readonly Region[];
  readonly unserved: readonly Region[];
  /** The stored entity type the field returns records of: each is checked against its instance's regions. */
  readonly recordType?: string;
  /** The field as each instance is asked for it in the main round. */
  readonly sent: ReadonlyMap<Instance, FieldNode>;
  /** A paged fan-out: every instance's first-round answer (undefined: none), and the round's failures and errors. */
  readonly firstRound?: {
    readonly values: ReadonlyMap<Instance, Json | undefined>;
    readonly outcomes: readonly Outcome[];
  };
}

/** The requests of one round: per instance, the root fields it is asked (one request each). */
export type RoundRequests = Map<Instance, FieldNode[]>;

/**
 * Plans the root fields of a query fetch from their declarations, with no I/O: the instances each
 * goes to and what each is asked. A paged fan-out (a connection over several instances) needs a
 * first round (`firstRoundRequests`) before its main round can be planned (`afterFirstRound`).
 */
export function planFields(
  subgraph: string, view: TopologyView, routing: RoutingTable, schema: GraphQLSchema, roots: FieldNode[], variables: Json,
): FieldPlan[] {
  return roots.filter((field) => field.name.value !== '__typename').map((field): FieldPlan => {
    const route = routing.query(field.name.value);
    const target = targets(subgraph, view, field, route.owner, route.regions, variables);
    const facts = fieldFacts(schema, routing, field.name.value, route.merge);
    const first = (argumentValue(field, 'first', variables) as number | undefined) ?? facts.defaultFirst;
    const fanOut = target.instances.length > 1;
    const recordType = facts.recordType;
    const asked = sentField(field, fanOut, () => {
      const merged = fanOut ? fieldForMerge(field, route.merge) : field;
      return recordType ? withRecordIds(merged, route.merge) : merged;
    });
    // A paged fan-out asks for sort keys first (unless keys are all it asks for), then each instance for its share.
    const pagedInTwoRounds = fanOut && route.merge.kind === 'connection' && !asksOnlyKeys(field);
    const pagedInOneRound = fanOut && route.merge.kind === 'connection' && !pagedInTwoRounds;
    const sent = new Map(pagedInTwoRounds ? [] : target.instances.map((instance) => [instance, pagedInOneRound ? sentField(field, 'keys', () => withPagingFields(field)) : asked]));
    return { field, key: responseKey(field), merge: route.merge, first, ...target, recordType, sent };
  });
}

/** What the schema says of a root field, read once per schema and field. */
const knownFacts = new WeakMap<GraphQLSchema, Map<string, { defaultFirst?: number; recordType?: string }>>();
function fieldFacts(schema: GraphQLSchema, routing: RoutingTable, name: string, merge: Merge): { defaultFirst?: number; recordType?: string } {
  let known = knownFacts.get(schema);
  if (!known) knownFacts.set(schema, known = new Map());
  let facts = known.get(name);
  if (!facts) known.set(name, facts = { defaultFirst: defaultFirst(schema, name), recordType: recordTypeOf(schema, routing, name, merge) });
  return facts;
}

/**
 * The field as sent, made once per field of a document: documents are kept per query text
 * (data-source.ts), so a repeated query reuses its sent fields and their printed text.
 */
const sentFields = { true: new WeakMap<FieldNode, FieldNode>(), false: new WeakMap<FieldNode, FieldNode>(), keys: new WeakMap<FieldNode, FieldNode>() };
function sentField(field: FieldNode, kind: boolean | 'keys', make: () => FieldNode): FieldNode {
  const known = sentFields[String(kind) as keyof typeof sentFields];
  let sent = known.get(field);
  if (!sent) known.set(field, sent = make());
  return sent;
}

/** Whether a plan still needs its first round: a connection over several instances asking for more than keys. */
const needsFirstRound = (plan: FieldPlan) => plan.merge.kind === 'connection' && plan.instances.length > 1 && !plan.firstRound && plan.sent.size === 0;

/** The first round: each instance of a paged fan-out asked for the sort keys of its records only. */
export function firstRoundRequests(plans: readonly FieldPlan[]): RoundRequests {
  return requestsOf(plans.filter(needsFirstRound).flatMap((plan) => plan.instances.map((instance) => [instance, cursorsOnly(plan.field)] as const)));
}

/** The plans with each paged fan-out's main round decided by the first round's answers. */
export function afterFirstRound(plans: readonly FieldPlan[], outcomes: ReadonlyMap<Instance, Outcome>): FieldPlan[] {
  return plans.map((plan) => {
    if (!needsFirstRound(plan)) return plan;
    const asked = plan.instances.map((instance) => outcomes.get(instance)!);
    const values = asked.map((outcome) => (outcome.answer?.data?.[plan.key] ?? undefined) as Json | undefined);
    const asks = planPage(values, plan.first);
    const sent = new Map(plan.instances.flatMap((instance, index) =>
      (asks[index] > 0 ? [[instance, withPagingFields(withFirst(plan.field, asks[index]))] as const] : [])));
    return { ...plan, sent, firstRound: { values: new Map(plan.instances.map((instance, index) => [instance, values[index]])), outcomes: asked } };
  });
}

/** The main round: every instance asked once, for all the root fields it answers. */
export function mainRequests(plans: readonly FieldPlan[]): RoundRequests {
  return requestsOf(plans.flatMap((plan) => [...plan.sent]));
}

function requestsOf(pairs: (readonly [Instance, FieldNode])[]): RoundRequests {
  const requests: RoundRequests = new Map();
  for (const [instance, field] of pairs) requests.set(instance, [...(requests.get(instance) ?? []), field]);
  return requests;
}

/** The fetch's answer from the plans and every instance's outcome of the main round. */
export function assemble(subgraph: string, roots: FieldNode[], plans: readonly FieldPlan[], outcomes: ReadonlyMap<Instance, Outcome>): {
  data: Json; errors: GraphQLFormattedError[];
} {
  const data: Json = {};
  const errors: GraphQLFormattedError[] = [];
  for (const field of roots) if (field.name.value === '__typename') data[responseKey(field)] = 'Query';
  for (const plan of plans) {
    // What an instance answered for this field, without records of regions it does not own.
    const answerOf = (instance: Instance): Json | undefined => {
      const raw = (outcomes.get(instance)!.answer?.data?.[plan.key] ?? undefined) as Json | undefined;
      if (!plan.recordType) return raw;
      const checked = ownRecordsOnly(plan.field, plan.merge, instance, raw, [plan.key]);
      errors.push(...checked.errors);
      return checked.value as Json | undefined;
    };
    const asked = [...plan.sent.keys()].map((instance) => outcomes.get(instance)!);
    const failures = [...(plan.firstRound?.outcomes ?? []), ...asked].flatMap((o) => (o.failure ? [o.failure] : []));
    for (const failure of failures) errors.push(...unavailableErrors(subgraph, failure, plan.regions ?? failure.instance.regions, [plan.key]));
    for (const region of plan.unserved) errors.push(regionNotServedError(subgraph, region, [plan.key]));
    if (plan.firstRound) {
      // Instances not asked again count with their first answer (its total; none of its records are on the page).
      const values = [...plan.firstRound.values].map(([instance, value]) => (plan.sent.has(instance)
        ? answerOf(instance) : value && { ...value, [PAGING.edges]: [] }));
      data[plan.key] = values.some((v) => v) ? mergeConnection(plan.field, values, plan.first) : null;
      continue;
    }
    if (plan.merge.kind === 'connection' && plan.instances.length > 1) {
      // Asked for whole pages of keys in one round: merged as any paged fan-out.
      const values = asked.map((o) => (o.answer ? answerOf(o.instance) : undefined));
      data[plan.key] = values.some((v) => v) ? mergeConnection(plan.field, values, plan.first) : null;
      continue;
    }
    const values = asked.flatMap((o) => {
      const value = o.answer ? answerOf(o.instance) : undefined;
      return value === null || value === undefined ? [] : [value];
    });
    if (plan.instances.length <= 1) data[plan.key] = values[0] ?? null;
    else data[plan.key] = asked.some((o) => o.answer) ? mergeAnswers(plan.field, plan.merge, values, plan.first) : null;
  }
  // Errors of a merged field keep only the field in their path (indexes inside it changed);
  // the same error from several instances (e.g. a refused argument) is reported once.
  const answerErrors = [
    ...plans.flatMap((plan) => (plan.firstRound?.outcomes ?? []).flatMap((o) => (o.answer?.errors ?? []).filter((e) => e.path?.[0] === plan.key))),
    ...[...outcomes.values()].flatMap((o) => o.answer?.errors ?? []),
  ];
  errors.push(...distinctErrors(answerErrors.map((error) => {
    const plan = plans.find((p) => p.key === error.path?.[0]);
    return plan && (plan.sent.size > 1 || plan.firstRound) ? { ...error, path: [plan.key] } : error;
  })));
  return { data, errors };
}

/** The instances a root field goes to, and the regions that decided it, as its declaration says. */
function targets(
  subgraph: string, view: TopologyView, field: FieldNode, ownerPath: string | undefined, regionsPath: string | undefined, variables: Json,
): { instances: Instance[]; regions?: Region[]; unserved: Region[] } {
  const all = view.instances(subgraph);
  const owner = ownerPath === undefined ? undefined : argumentAt(field, ownerPath, variables);
  const listed = regionsPath === undefined ? undefined : argumentAt(field, regionsPath, variables);
  let regions: Region[] | undefined;
  if (typeof owner === 'string') {
    const region = isRegion(owner) ? owner : regionOfId(owner);
    // A malformed id goes to any instance, which answers with the usual validation error.
    if (!region) return { instances: all.slice(0, 1), unserved: [] };
    regions = [region];
  } else if (Array.isArray(listed) && listed.length > 0) {
    regions = [...new Set(listed.filter((r): r is Region => typeof r === 'string' && isRegion(r)))];
  }
  if (!regions) return { instances: all, unserved: [] };
  const owners = regions.map((r) => view.owner(subgraph, r));
  const instances = [...new Set(owners.filter((o): o is Instance => o !== undefined))];
  const unserved = regions.filter((_, index) => !owners[index]);
  // A filter naming only regions nobody owns still gets a well-formed (empty) answer from one instance.
  return { instances: instances.length || typeof owner === 'string' ? instances : all.slice(0, 1), regions, unserved };
}
