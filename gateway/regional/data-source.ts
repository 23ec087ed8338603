import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  getNamedType, parse, print, type DocumentNode, type FieldNode, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';
import {
  ANONYMOUS, REGIONS, REQUEST_ID_HEADER, encodeViewer, isRegion, regionOfId, type Region, type Viewer,
} from '../../subgraphs/kit/index.js';
import { fetchEntities } from './entity-fetch.js';
import {
  InstanceUnavailable, ask, regionNotServedError, sendToInstance, unavailableErrors, type InstanceAnswer, type Json,
  type Outcome, type OutgoingRequest, type Route, type Send,
} from './instance-client.js';
import {
  defaultFirst, mergeAggregate, mergeConnection, mergeKindOf, mergeList, planPage, type MergeKind, type PageFacts,
} from './merge.js';
import {
  argumentValue, cursorsOnly, fieldsOf, inlineFragments, operationOf, operationWith, responseKey, withFirst, withPagingFields,
} from './operation.js';
import { fetchMutations } from './mutation-fetch.js';
import type { TopologyRegistry } from './registry.js';
import type { Instance } from './topology.js';

interface QueryPlan {
  field: FieldNode;
  key: string;
  kind: MergeKind;
  first?: number;
  instances: Instance[];
  regions?: Region[];
  unserved: Region[];
  /** The field as sent to each instance asked in the main round. */
  sent: Map<Instance, FieldNode>;
  /** Instances that failed in the cursor round. */
  failures: InstanceUnavailable[];
  /** Totals from the cursor round of a paged fan-out. */
  page?: PageFacts;
  /** Errors the instances gave in the cursor round. */
  roundErrors?: GraphQLFormattedError[];
}

/**
 * The gateway's fetcher for one subgraph split across regional instances. Each subgraph fetch of
 * a query plan is routed by the regions its ids and arguments name:
 * - `_entities` of a type the subgraph owns (it has a root field fetching it by `id`):
 *   representations split by the region of their id, one request per owning instance in
 *   parallel, answers and errors put back in the original order;
 * - `_entities` of a type the subgraph only adds fields to (e.g. `Alliance.networks` in networks):
 *   every instance, since a network of any region may list the alliance; the answers for each
 *   representation are joined (lists concatenated in instance order);
 * - root fields with an `id` or `region` argument: the owning instance;
 * - root fields with `filter.regions`: the instances owning those regions;
 * - other root fields: every instance, merged (see merge.ts);
 * - mutations: one at a time, to the instance of the region the id or input names.
 * With one instance owning every region it is a plain federation fetch.
 */
export class RegionalDataSource implements GraphQLDataSource {
  private readonly parsed = new Map<string, DocumentNode>();
  /** Entity types this subgraph stores, recognised by a root field that fetches one by id. */
  private readonly ownedTypes: Set<string>;

  constructor(
    private readonly subgraph: string,
    private readonly registry: TopologyRegistry,
    private readonly schema: GraphQLSchema,
  ) {
    this.ownedTypes = new Set(Object.values(schema.getQueryType()?.getFields() ?? {})
      .filter((field) => field.args.some((arg) => arg.name === 'id'))
      .map((field) => getNamedType(field.type).name));
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const { viewer = ANONYMOUS, requestId } = options.context as { viewer?: Viewer; requestId?: string };
    const headers: Record<string, string> = requestId ? { [REQUEST_ID_HEADER]: requestId } : {};
    const isMutation = /^\s*mutation\b/.test(request.query ?? '');
    const send: Send = (instance, outgoing) => (isMutation
      ? this.write(instance, () => sendToInstance(this.registry, instance, outgoing, viewer, headers))
      : this.shared(instance, outgoing, viewer, (body) => sendToInstance(this.registry, instance, outgoing, viewer, headers, body)));
    const instances = this.registry.instances(this.subgraph);
    if (instances.length === 1 && instances[0].regions.length === REGIONS.length) {
      // One instance owns everything: plain federation, the request passes unchanged.
      try {
        return await send(instances[0], { query: request.query!, variables: request.variables, operationName: request.operationName });
      } catch (error) {
        throw error instanceof InstanceUnavailable ? new Error(`${this.subgraph} is unavailable (${error.message})`) : error;
      }
    }
    const operation = operationOf(this.document(request.query!), request.operationName);
    const variables = (request.variables ?? {}) as Json;
    const roots = fieldsOf(operation.selectionSet);
    const route: Route = { subgraph: this.subgraph, registry: this.registry, send };
    if (operation.operation === 'mutation') return fetchMutations(route, viewer, operation, roots, variables);
    if (roots.length === 1 && roots[0].name.value === '_entities') {
      return fetchEntities(route, this.ownedTypes, request.query!, request.operationName, roots[0], variables);
    }
    return this.queries(send, operation, roots, variables);
  }

  /**
   * Identical reads in flight at the same time (same instance, same viewer, same request) share
   * one subgraph request: a dashboard opened by many people costs the subgraphs once.
   */
  private readonly inFlight = new Map<string, Promise<InstanceAnswer>>();
  private shared(instance: Instance, request: OutgoingRequest, viewer: Viewer, send: (body: string) => Promise<InstanceAnswer>): Promise<InstanceAnswer> {
    const body = JSON.stringify(request);
    const key = `${instance.name}\n${encodeViewer(viewer)}\n${body}`;
    let answer = this.inFlight.get(key);
    if (!answer) {
      answer = send(body).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, answer);
    }
    return answer;
  }

  /**
   * A write may change what the instance refers to: until a probe begun after it reads that
   * again, the instance is asked about every representation of the types it extends.
   */
  private async write(instance: Instance, send: () => Promise<InstanceAnswer>): Promise<InstanceAnswer> {
    this.registry.references.forget(instance);
    try {
      return await send();
    } finally {
      this.registry.references.forget(instance);
    }
  }

  private document(query: string): DocumentNode {
    let document = this.parsed.get(query);
    if (!document) {
      document = inlineFragments(parse(query));
      if (this.parsed.size > 2_000) this.parsed.clear();
      this.parsed.set(query, document);
    }
    return document;
  }

  /** The instances a root query field goes to, and the regions that decided it. */
  private targets(field: FieldNode, variables: Json): { instances: Instance[]; regions?: Region[]; unserved: Region[] } {
    const all = this.registry.instances(this.subgraph);
    const id = argumentValue(field, 'id', variables);
    const region = argumentValue(field, 'region', variables);
    const filterRegions = (argumentValue(field, 'filter', variables) as Json | undefined)?.regions;
    let regions: Region[] | undefined;
    if (typeof id === 'string') {
      const owner = regionOfId(id);
      // A malformed id goes to any instance, which answers with the usual validation error.
      if (!owner) return { instances: all.slice(0, 1), unserved: [] };
      regions = [owner];
    } else if (typeof region === 'string' && isRegion(region)) {
      regions = [region];
    } else if (Array.isArray(filterRegions) && filterRegions.length > 0) {
      regions = filterRegions.filter((r): r is Region => typeof r === 'string' && isRegion(r));
    }
    if (!regions) return { instances: all, unserved: [] };
    const owners = regions.map((r) => this.registry.owner(this.subgraph, r));
    const instances = [...new Set(owners.filter((o): o is Instance => o !== undefined))];
    const unserved = regions.filter((_, index) => !owners[index]);
    // A filter naming only regions nobody owns still gets a well-formed (empty) answer from one instance.
    return { instances: instances.length || typeof id === 'string' || typeof region === 'string' ? instances : all.slice(0, 1), regions, unserved };
  }

  private async queries(send: Send, operation: OperationDefinitionNode, roots: FieldNode[], variables: Json): Promise<GatewayGraphQLResponse> {
    const plans = roots.map((field) => {
      const name = field.name.value;
      const kind = mergeKindOf(this.schema, 'Query', name);
      const target = name === '__typename' ? { instances: [], unserved: [] } : this.targets(field, variables);
      const first = (argumentValue(field, 'first', variables) as number | undefined) ?? defaultFirst(this.schema, name);
      const plan: QueryPlan = { field, key: responseKey(field), kind, first, ...target, failures: [], sent: new Map() };
      for (const instance of plan.instances) plan.sent.set(instance, field);
      return plan;
    });
    await this.planPages(send, operation, plans.filter((p) => p.kind === 'connection' && p.instances.length > 1), variables);

    const perInstance = new Map<Instance, FieldNode[]>();
    for (const plan of plans) for (const [instance, field] of plan.sent) perInstance.set(instance, [...(perInstance.get(instance) ?? []), field]);
    const outcomes = new Map<Instance, Outcome>(await Promise.all([...perInstance].map(async ([instance, fields]) =>
      [instance, await ask(send, instance, { query: print(operationWith(operation, fields)), variables })] as const)));

    const data: Json = {};
    const errors: GraphQLFormattedError[] = [];
    for (const plan of plans) {
      if (plan.field.name.value === '__typename') {
        data[plan.key] = 'Query';
        continue;
      }
      const asked = [...plan.sent.keys()].map((i) => outcomes.get(i)!);
      const answered = asked.filter((o) => o.answer);
      const values = answered.map((o) => o.answer!.data?.[plan.key]).filter((v) => v !== null && v !== undefined);
      for (const failure of [...plan.failures, ...asked.flatMap((o) => (o.failure ? [o.failure] : []))]) {
        errors.push(...unavailableErrors(this.subgraph, failure, plan.regions ?? failure.instance.regions, [plan.key]));
      }
      for (const region of plan.unserved) errors.push(regionNotServedError(this.subgraph, region, [plan.key]));
      const { first } = plan;
      if (plan.page) data[plan.key] = mergeConnection(plan.field, values as Json[], first, plan.page);
      else if (plan.instances.length <= 1) data[plan.key] = values[0] ?? null;
      else if (plan.kind === 'aggregate') data[plan.key] = values.length ? mergeAggregate(fieldsOf(plan.field.selectionSet), values as Json[]) : null;
      else if (plan.kind === 'list') data[plan.key] = answered.length ? mergeList(values as unknown[][], first) : null;
      else data[plan.key] = values[0] ?? null;
    }
    // Errors of a merged field keep only the field in their path (indexes inside it changed);
    // the same error from several instances (e.g. a refused argument) is reported once.
    const seen = new Set<string>();
    const answerErrors = [...plans.flatMap((p) => p.roundErrors ?? []), ...[...outcomes.values()].flatMap((o) => o.answer?.errors ?? [])];
    {
      for (const error of answerErrors) {
        const plan = plans.find((p) => p.key === error.path?.[0]);
        const reported = plan && plan.sent.size > 1 ? { ...error, path: [plan.key] } : error;
        const identity = JSON.stringify([reported.message, reported.path, reported.extensions?.code]);
        if (!seen.has(identity)) errors.push(reported);
        seen.add(identity);
      }
    }
    return { data, ...(errors.length ? { errors } : {}) };
  }

  /**
   * A page merged from several instances needs only `first` records in all: a cursor round asks
   * every instance for its sort keys alone, and then only the instances holding the page are
   * asked for their share in full (`first: <their share>`, same `after`), instead of `first`
   * full records from each.
   */
  private async planPages(send: Send, operation: OperationDefinitionNode, plans: QueryPlan[], variables: Json): Promise<void> {
    if (plans.length === 0) return;
    const instances = [...new Set(plans.flatMap((p) => p.instances))];
    const answers = new Map(await Promise.all(instances.map(async (instance) => {
      const fields = plans.filter((p) => p.instances.includes(instance)).map((p) => cursorsOnly(p.field));
      return [instance, await ask(send, instance, { query: print(operationWith(operation, fields)), variables })] as const;
    })));
    for (const plan of plans) {
      const values = plan.instances.flatMap((instance) => {
        const value = answers.get(instance)!.answer?.data?.[plan.key];
        return value ? [{ instance: instance.name, value: value as Json }] : [];
      });
      plan.failures = plan.instances.flatMap((i) => answers.get(i)!.failure ?? []);
      plan.roundErrors = plan.instances.flatMap((i) => (answers.get(i)!.answer?.errors ?? []).filter((e) => e.path?.[0] === plan.key));
      plan.sent.clear();
      // Nothing came back (e.g. every instance refused an argument): the errors say why.
      if (values.length === 0) continue;
      const { facts, take } = planPage(values, plan.first);
      plan.page = facts;
      for (const instance of plan.instances) {
        const share = take.get(instance.name);
        if (share) plan.sent.set(instance, withPagingFields(withFirst(plan.field, share)));
      }
    }
  }
}
