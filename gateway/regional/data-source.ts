import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { parse, print, type DocumentNode, type FieldNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { ANONYMOUS, encodeViewer, type Viewer } from '../../subgraphs/kit/auth.js';
import { REQUEST_ID_HEADER, serviceLogger } from '../../subgraphs/kit/observability.js';
import { REGIONS } from '../../subgraphs/shared/region.js';
import { Memo, MemoPer } from '../memo.js';
import { entityRepresentations, type AnswerCache } from './answer-cache.js';
import type { RoutingTable } from './declarations.js';
import { fetchEntities } from './entity-fetch.js';
import {
  InstanceUnavailable, ask, sendToInstance, type InstanceAnswer, type Json, type Outcome, type OutgoingRequest, type Route, type Send,
} from './instance-client.js';
import type { IntegrityGuard } from './integrity.js';
import { fetchMutations } from './mutation-fetch.js';
import { keyChunksOf, readKeyChunks } from './key-chunks.js';
import { nodeIds, splitPages, withRecords, type PageSplit } from './page-records.js';
import { splitByRegion, type RegionSplit } from './region-split.js';
import { argumentValue, fieldsOf, inlineFragments, operationOf, operationWith, withDefaults } from './operation.js';
import { completeCrossRegion, withCrossRegionIds } from './cross-region.js';
import { afterFirstRound, assemble, firstRoundRequests, mainRequests, planFields, type FieldPlan, type RoundRequests } from './planner.js';
import type { TopologyRegistry } from './registry.js';
import type { Instance } from './topology.js';

/**
 * The gateway's fetcher for one subgraph split across regional instances. Each subgraph fetch of
 * a query plan is routed as the subgraph declares it (subgraphs/<name>/routing.ts):
 * - `_entities` of a type the subgraph stores: representations split by the region of their id,
 *   one request per owning instance in parallel, answers and errors put back in the original order;
 * - `_entities` of a type the subgraph only adds fields to (e.g. `Alliance.networks` in networks):
 *   the instances that own or refer to the representations' regions; the answers for each
 *   representation are joined, lists merged in their declared order;
 * - root fields: the owner the declared argument names, or the instances of the declared region
 *   list, or every instance, merged as declared (planner.ts, merge.ts);
 * - mutations: one at a time, to the instance of the region the declared argument names.
 * With one instance owning every region it is a plain federation fetch.
 */
const logger = serviceLogger('gateway');

export class RegionalDataSource implements GraphQLDataSource {
  private readonly parsed = new Memo<string, DocumentNode>(2_000);

  constructor(
    private readonly subgraph: string,
    private readonly registry: TopologyRegistry,
    private readonly schema: GraphQLSchema,
    private readonly routing: RoutingTable,
    /** false: every read goes to its instance, even while an identical one is in flight (HUB_SHARE_IN_FLIGHT=off). */
    private readonly shareInFlight = true,
    /** Keeps references across subgraphs and regions intact around mutations (integrity.ts). */
    private readonly integrity?: IntegrityGuard,
    /** Read answers kept for a short time (answer-cache.ts); none without it. */
    private readonly cache?: AnswerCache,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const { viewer = ANONYMOUS, requestId } = options.context as { viewer?: Viewer; requestId?: string };
    if (!this.cache) return this.run(request, viewer, requestId, true);
    const representations = entityRepresentations(request.query!, request.variables);
    if (representations) return this.records(viewer, requestId, request.query!, (request.variables ?? {}) as Json, representations);
    const byRegion = this.regionsOf(request);
    if (byRegion) {
      // Added up from kept figures, the whole fetch is kept too: made again, it costs no merge.
      return this.cache.fetch(this.subgraph, viewer, fetchBody(request), () => this.regionByRegion(request, byRegion, viewer, requestId));
    }
    // A page is not kept whole: its keys are (as any fetch) and its records one by one, since pages after any cursor are many.
    const split = this.pagesOf(request.query!, request.operationName);
    return split ? this.keysThenRecords(request, split, viewer, requestId) : this.run(request, viewer, requestId, true);
  }

  /** Statistics over several regions read region by region, each kept on its own (region-split.ts). */
  private async regionByRegion(
    request: GraphQLDataSourceProcessOptions['request'], byRegion: RegionSplit, viewer: Viewer, requestId: string | undefined,
  ): Promise<GatewayGraphQLResponse> {
    const answers = await Promise.all(byRegion.regions.map((region) =>
      this.run({ ...request, ...byRegion.request(region) }, viewer, requestId, true)));
    return byRegion.merge(answers);
  }

  /** Pages read as keys, their records as entities: a record read for any page or lookup is kept (page-records.ts). */
  private async keysThenRecords(
    request: GraphQLDataSourceProcessOptions['request'], split: PageSplit, viewer: Viewer, requestId: string | undefined,
  ): Promise<GatewayGraphQLResponse> {
    const keys = await this.run({ ...request, query: split.keys }, viewer, requestId, true);
    const variables = (request.variables ?? {}) as Json;
    const filled = await Promise.all(split.sites.map(async (site) => {
      const ids = nodeIds(keys.data as Json | undefined, site).filter((id): id is string => id !== null);
      if (ids.length === 0) return undefined;
      const used = Object.fromEntries(site.variables.filter((name) => name in variables).map((name) => [name, variables[name]]));
      return this.records(viewer, requestId, site.query, used, ids.map((id) => ({ __typename: site.type, id })));
    }));
    return split.sites.reduce((answer, site, index) => (filled[index] ? withRecords(answer, site, filled[index]) : answer), keys);
  }

  /**
   * Entities, kept one record at a time: a record read for any earlier page or lookup costs nothing
   * again. Sharing what is in flight, records several fetches miss at once are read together.
   * `fetch` reads those not kept (by default as a fetch of the query plan).
   */
  private records(
    viewer: Viewer, requestId: string | undefined, query: string, variables: Json, representations: unknown[],
    fetch = (subset: unknown[]) => this.run({ query, variables: { ...variables, representations: subset } }, viewer, requestId, false),
  ): Promise<GatewayGraphQLResponse> {
    return this.cache!.entities(this.subgraph, viewer, query, variables, representations, fetch, this.shareInFlight);
  }

  /** The fetch as one fetch per region, if it asks only for statistics over a list of regions. */
  private regionsOf(request: GraphQLDataSourceProcessOptions['request']): RegionSplit | undefined {
    const operation = operationOf(this.document(request.query!), request.operationName);
    return splitByRegion(this.schema, this.routing, operation, (request.variables ?? {}) as Json);
  }

  /** The fetch's pages split into keys and records, if it pages records (once per parsed operation, documents being kept per query text). */
  private readonly splits = new WeakMap<OperationDefinitionNode, PageSplit | null>();
  private pagesOf(query: string, operationName: string | null | undefined): PageSplit | undefined {
    const operation = operationOf(this.document(query), operationName);
    let split = this.splits.get(operation);
    if (split === undefined) this.splits.set(operation, split = splitPages(this.schema, this.routing, operation) ?? null);
    return split ?? undefined;
  }

  private async run(request: GraphQLDataSourceProcessOptions['request'], viewer: Viewer, requestId: string | undefined, keepAnswers: boolean): Promise<GatewayGraphQLResponse> {
    const headers: Record<string, string> = requestId ? { [REQUEST_ID_HEADER]: requestId } : {};
    const isMutation = /^\s*mutation\b/.test(request.query ?? '');
    const fetchRead = (instance: Instance, outgoing: OutgoingRequest, body: string) => (this.shareInFlight
      ? this.shared(instance, body, viewer, () => sendToInstance(this.registry, instance, outgoing, viewer, headers, body))
      : sendToInstance(this.registry, instance, outgoing, viewer, headers, body));
    const unkept: Send = (instance, outgoing) => fetchRead(instance, outgoing, JSON.stringify(outgoing));
    const read: Send = (instance, outgoing) => {
      const body = JSON.stringify(outgoing);
      return this.cache && keepAnswers ? this.cache.read(instance, viewer, body, () => fetchRead(instance, outgoing, body)) : fetchRead(instance, outgoing, body);
    };
    const send: Send = isMutation ? (instance, outgoing) => this.write(instance, () => sendToInstance(this.registry, instance, outgoing, viewer, headers)) : read;
    const instances = this.registry.instances(this.subgraph);
    // A mutation that names records or deletes one is checked first, even on a single instance: the records may live in other subgraphs.
    const guarded = isMutation && this.integrity !== undefined && this.guardsAny(request.query!, request.operationName);
    if (!guarded && instances.length === 1 && instances[0].regions.length === REGIONS.length) {
      // One instance owns everything: plain federation, the request passes unchanged.
      try {
        return await send(instances[0], { query: request.query!, variables: request.variables, operationName: request.operationName });
      } catch (error) {
        if (!(error instanceof InstanceUnavailable)) throw error;
        // Every region is on this one instance: the fetch's fields go without data, named as unavailable.
        return { errors: [{
          message: `${this.subgraph} is unavailable (${error.message}); the answer lacks its data`,
          extensions: { code: 'REGION_UNAVAILABLE', region: 'ALL', subgraph: this.subgraph, instance: error.instance.name },
        }] };
      }
    }
    // Records of other regions' instances (cross-region.ts) are asked by id beside their fields, and completed after.
    const document = withCrossRegionIds(this.schema, this.routing, this.document(request.query!));
    const operation = operationOf(document, request.operationName);
    const variables = withDefaults(operation, (request.variables ?? {}) as Json) as Json;
    const roots = fieldsOf(operation.selectionSet);
    const route: Route = { subgraph: this.subgraph, registry: this.registry, send };
    // Records of other regions, read for a query's answer: kept one by one, like any record.
    const records: Route['records'] = this.cache && operation.operation === 'query'
      ? (query, given, representations, fetch) => this.records(viewer, requestId, query, given, representations, fetch)
      : undefined;
    const complete = (response: GatewayGraphQLResponse, representations?: Json[]) =>
      completeCrossRegion({ ...route, send: read, records }, this.routing, this.schema, operation, variables, response, representations);
    if (operation.operation === 'mutation') {
      const integrity = this.integrity && {
        guard: this.integrity, send: (instance: Instance, outgoing: OutgoingRequest) => sendToInstance(this.registry, instance, outgoing, viewer, headers),
      };
      return complete(await fetchMutations(route, this.routing, viewer, operation, roots, variables, integrity));
    }
    const isEntities = roots.length === 1 && roots[0].name.value === '_entities';
    const response = isEntities
      ? await complete(
        await fetchEntities(route, this.routing, this.printed(document, request.query!), request.operationName, roots[0], variables),
        argumentValue(roots[0], 'representations', variables) as Json[])
      : await this.queries(send, operation, roots, variables, complete, this.cache && keepAnswers && !isMutation ? { viewer, request, unkept } : undefined);
    // An instance answering for regions it does not own is misconfigured or hostile: operators must know.
    for (const error of response.errors ?? []) {
      if (error.extensions?.code === 'FOREIGN_RECORD') logger.warn({ requestId, ...error.extensions }, error.message);
    }
    return response;
  }

  /**
   * Identical reads in flight at the same time (same instance, same viewer, same request) share
   * one subgraph request: a dashboard opened by many people costs the subgraphs once. The gateway
   * later writes into the answers it merges, so a shared answer reaches each caller as its own copy.
   */
  private readonly inFlight = new Map<string, { answer: Promise<InstanceAnswer>; callers: number; text?: string }>();
  private shared(instance: Instance, body: string, viewer: Viewer, send: () => Promise<InstanceAnswer>): Promise<InstanceAnswer> {
    const key = `${instance.name}\n${encodeViewer(viewer)}\n${body}`;
    let entry = this.inFlight.get(key);
    if (!entry) {
      // Removed before any caller continues, so the number of callers is final when they do.
      const answer = send().finally(() => this.inFlight.delete(key));
      entry = { answer, callers: 0 };
      this.inFlight.set(key, entry);
    }
    entry.callers++;
    const shared = entry;
    // Copied through its JSON text, written once: parsing is cheaper than cloning the object.
    return shared.answer.then((answer) => (shared.callers > 1 ? JSON.parse(shared.text ??= JSON.stringify(answer)) as InstanceAnswer : answer));
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

  /** The query as sent: the client's text, or the rewritten document printed (once). */
  private printed(document: DocumentNode, query: string): string {
    if (document === this.document(query)) return query;
    let text = printedDocuments.get(document);
    if (text === undefined) printedDocuments.set(document, text = print(document));
    return text;
  }

  /** Whether a root field of the mutation names records or deletes one. */
  private guardsAny(query: string, operationName: string | null | undefined): boolean {
    return fieldsOf(operationOf(this.document(query), operationName).selectionSet).some((field) => {
      const route = field.name.value === '__typename' ? undefined : this.routing.mutation(field.name.value);
      return route !== undefined && this.integrity!.guards(route);
    });
  }

  private document(query: string): DocumentNode {
    return this.parsed.get(query, () => inlineFragments(parse(query)));
  }

  /**
   * Root query fields: planned from their declarations (planner.ts, no I/O), asked (`rounds`) and
   * completed across regions; with answers kept, pages of keys are cut from chunks, and every
   * fetch is kept whole as completed.
   */
  private async queries(
    send: Send, operation: OperationDefinitionNode, roots: FieldNode[], variables: Json,
    complete: (response: GatewayGraphQLResponse) => Promise<GatewayGraphQLResponse>,
    kept?: { viewer: Viewer; request: GraphQLDataSourceProcessOptions['request']; unkept: Send },
  ): Promise<GatewayGraphQLResponse> {
    const plan = () => planFields(this.subgraph, this.registry, this.routing, this.schema, roots, variables);
    if (!kept) return complete(await this.rounds(send, operation, roots, variables, plan()));
    // Kept whole as completed: asked again, the fetch costs no planning, no cut, no merge and no
    // walk for records of other regions. Its instances' answers are then not kept as well (chunks
    // are: other pages are cut from them); where whole fetches are not kept, they are.
    return this.cache!.fetch(this.subgraph, kept.viewer, fetchBody(kept.request), async (whole) => {
      const planned = plan();
      // A page of keys is cut from chunks each instance is always asked alike (key-chunks.ts).
      const chunks = keyChunksOf(operation, planned, variables);
      if (chunks) {
        const direct = (instance: Instance) => ask(send, instance, { query: queryOf(operation, [chunks.plan.sent.get(instance)!]), variables });
        return complete(asResponse(assemble(this.subgraph, roots, planned, await readKeyChunks(send, chunks, this.registry.writes, direct))));
      }
      return complete(await this.rounds(whole ? kept.unkept : send, operation, roots, variables, planned));
    });
  }

  /** At most two rounds of requests (the first only for paged fan-outs), each instance asked once per round, and the merge. */
  private async rounds(send: Send, operation: OperationDefinitionNode, roots: FieldNode[], variables: Json, planned: FieldPlan[]): Promise<GatewayGraphQLResponse> {
    const firstRound = await askAll(send, operation, firstRoundRequests(planned), variables);
    const plans = firstRound.size ? afterFirstRound(planned, firstRound) : planned;
    const outcomes = await askAll(send, operation, mainRequests(plans), variables);
    return asResponse(assemble(this.subgraph, roots, plans, outcomes));
  }
}

const printedDocuments = new WeakMap<DocumentNode, string>();

/** The planner's assembled answer as the gateway hands it on: errors only when there are some. */
const asResponse = ({ data, errors }: ReturnType<typeof assemble>): GatewayGraphQLResponse => ({ data, ...(errors.length ? { errors } : {}) });

/** What a whole fetch is kept under: its operation, text and variables. */
const fetchBody = (request: GraphQLDataSourceProcessOptions['request']) =>
  `${request.operationName ?? ''}\n${request.query}\n${JSON.stringify(request.variables ?? {})}`;

/**
 * Each distinct request of an operation printed once: a fan-out asks many instances the same
 * fields (the same nodes), and a repeated query plans the same nodes again (planner.ts `sentField`).
 */
const fieldNumbers = new WeakMap<FieldNode, number>();
let nextFieldNumber = 0;
// Fields made for one request only (a page's shares) must not pile up: 100 per operation.
const printedRequests = new MemoPer<OperationDefinitionNode, string, string>(100);
function queryOf(operation: OperationDefinitionNode, fields: FieldNode[]): string {
  const key = fields.map((field) => {
    let number = fieldNumbers.get(field);
    if (number === undefined) fieldNumbers.set(field, number = nextFieldNumber++);
    return number;
  }).join(',');
  return printedRequests.get(operation, key, () => print(operationWith(operation, fields)));
}

/** Sends one round: each instance gets one request for all its root fields, all in parallel. */
async function askAll(send: Send, operation: OperationDefinitionNode, requests: RoundRequests, variables: Json): Promise<Map<Instance, Outcome>> {
  return new Map(await Promise.all([...requests].map(async ([instance, fields]) =>
    [instance, await ask(send, instance, { query: queryOf(operation, fields), variables })] as const)));
}

