import type { FieldNode, GraphQLFormattedError } from 'graphql';
import { writeRefusal, type Viewer } from '../../subgraphs/kit/auth.js';
import { ErrorCode, referenced, type Referrer } from '../../subgraphs/kit/client-errors.js';
import { tryParseId } from '../../subgraphs/shared/ids.js';
import {
  MAX_LISTED_REFERRERS, REFERENCES_ARGUMENT, ReferenceAction, integrityFields, type MutationRoute,
} from '../../subgraphs/shared/routing.js';
import type { Region } from '../../subgraphs/shared/region.js';
import type { RoutingTable } from './declarations.js';
import { InstanceUnavailable, regionNotServedError, unavailableErrors, type InstanceAnswer, type Json, type OutgoingRequest } from './instance-client.js';
import { argumentAt, argumentValue } from './operation.js';
import type { TopologyRegistry } from './registry.js';
import type { Instance } from './topology.js';

/** Sends one request to one instance on behalf of the caller. */
export type IntegritySend = (instance: Instance, request: OutgoingRequest) => Promise<InstanceAnswer>;

/** An id a write names, where it was named (`input.contactIds[1]`) and the entity type it must be. */
interface NamedRecord { path: string; id: string; type: string; region: Region }

/** What an instance did about references to a deleted record. */
interface RemovalStep { subgraph: string; instance: string; changed: number | null; error: string | null }

/**
 * Referential integrity across subgraphs and regions, kept by the gateway around each mutation
 * it routes (subgraphs declare which input fields name records and which mutations delete one,
 * subgraphs/<name>/routing.ts):
 * - a write naming records is sent only when every one exists: one `_entities` lookup per owning
 *   instance for all ids of the mutation; a missing record is refused with BAD_USER_INPUT naming
 *   the input path, an owner that is down with REGION_UNAVAILABLE (never accepted blindly);
 * - a delete is sent only when nothing refers to the record (one referrers request per instance of
 *   every subgraph; an instance down refuses it), or with `references: REMOVE` once every other
 *   instance has removed its references (the owning instance removes its own in the delete's
 *   transaction). A removal that fails halfway leaves the record in place: the error lists each
 *   instance's outcome, and repeating the delete finishes it (removing is idempotent).
 * Writes that reach an instance without the gateway get only the instance's own checks: records
 * in its own database (kit/integrity.ts), not those of other instances.
 */
export class IntegrityGuard {
  /** The subgraph that stores each entity type. */
  private readonly owners = new Map<string, string>();

  constructor(private readonly registry: TopologyRegistry, private readonly tables: ReadonlyMap<string, RoutingTable>) {
    for (const [subgraph, table] of tables) for (const type of table.entityTypes()) if (!this.owners.has(type)) this.owners.set(type, subgraph);
    const problems = [...tables].flatMap(([subgraph, table]) => table.referencedTypes()
      .filter((type) => !this.owners.has(type)).map((type) => `${subgraph}: a mutation references ${type}, which no subgraph stores`));
    if (problems.length) throw new Error(`The reference declarations do not fit the hub's schema: ${problems.join('; ')}`);
  }

  /** Whether the mutation needs a check before it is sent. */
  guards(route: MutationRoute): boolean {
    return Boolean(route.deletes || (route.references && Object.keys(route.references).length));
  }

  /**
   * Checks one mutation before it is sent to `subgraph`: errors that refuse it (path `[key]`), or
   * none to send it. A delete with REMOVE has removed the references elsewhere when none come back.
   */
  async check(
    subgraph: string, route: MutationRoute, field: FieldNode, variables: Json, viewer: Viewer, key: string, send: IntegritySend,
    region: Region | undefined,
  ): Promise<GraphQLFormattedError[]> {
    // Who may write comes first: the instance refuses a caller without the right, who learns nothing about which records exist.
    if (!region || writeRefusal(viewer, region)) return [];
    if (route.references) {
      const refused = await this.checkReferences(route, field, variables, key, send);
      if (refused.length) return refused;
    }
    if (route.deletes) return this.checkDelete(subgraph, route.deletes, field, variables, key, send);
    return [];
  }

  private async checkReferences(route: MutationRoute, field: FieldNode, variables: Json, key: string, send: IntegritySend): Promise<GraphQLFormattedError[]> {
    const named = Object.entries(route.references ?? {}).flatMap(([path, type]) => namedRecords(field, path, type, variables));
    if (named.length === 0) return [];
    const errors: GraphQLFormattedError[] = [];
    const byInstance = new Map<Instance, NamedRecord[]>();
    for (const record of named) {
      const subgraph = this.owners.get(record.type)!;
      const instance = this.registry.owner(subgraph, record.region);
      if (!instance) {
        errors.push({ ...regionNotServedError(subgraph, record.region, [key]), message: `${record.path}: no ${subgraph} instance owns region ${record.region}, so ${record.id} cannot be found` });
        continue;
      }
      byInstance.set(instance, [...(byInstance.get(instance) ?? []), record]);
    }
    // One lookup per owning instance for every id the mutation names there, all in parallel.
    await Promise.all([...byInstance].map(async ([instance, records]) => {
      const types = [...new Set(records.map((r) => r.type))];
      const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ${types.map((t) => `... on ${t} { id }`).join(' ')} } }`;
      try {
        const answer = await send(instance, { query, variables: { representations: records.map((r) => ({ __typename: r.type, id: r.id })) } });
        const found = (answer.data?._entities ?? []) as ({ id?: string } | null)[];
        if (answer.errors?.length && !answer.data?._entities) {
          errors.push(...answer.errors.map((error) => ({ ...error, path: [key] })));
          return;
        }
        records.forEach((record, index) => {
          if (found[index]?.id === record.id) return;
          errors.push({
            message: `${record.path}: ${record.type} "${record.id}" does not exist`,
            path: [key],
            extensions: { code: ErrorCode.BAD_USER_INPUT, field: record.path, id: record.id },
          });
        });
      } catch (error) {
        if (!(error instanceof InstanceUnavailable)) throw error;
        const regions = [...new Set(records.map((r) => r.region))];
        errors.push(...unavailableErrors(instance.subgraph, error, regions, [key]).map((e) => ({
          ...e, message: `${e.message}: cannot check ${records.map((r) => r.path).join(', ')}, so the write is refused`,
          extensions: { ...e.extensions, fields: records.map((r) => r.path) },
        })));
      }
    }));
    // In the order the input names them, whichever lookup answered first.
    const order = new Map(named.map((record, index) => [record.path, index]));
    return errors.sort((a, b) => (order.get(String(a.extensions?.field)) ?? -1) - (order.get(String(b.extensions?.field)) ?? -1));
  }

  private async checkDelete(
    subgraph: string, idPath: string, field: FieldNode, variables: Json, key: string, send: IntegritySend,
  ): Promise<GraphQLFormattedError[]> {
    const id = argumentAt(field, idPath, variables);
    const parsed = typeof id === 'string' ? tryParseId(id) : undefined;
    // A malformed id: the instance refuses it as usual.
    if (!parsed) return [];
    const recordId = id as string;
    const action = (argumentValue(field, REFERENCES_ARGUMENT, variables) ?? ReferenceAction.REFUSE) as ReferenceAction;
    const everyInstance = [...this.tables.keys()].flatMap((name) => this.registry.instances(name));
    const owner = this.registry.owner(subgraph, parsed.region);
    // Every instance of every subgraph: a record of any region may refer to this one.
    const answers = await Promise.all(everyInstance.map(async (instance) => {
      const { referrers } = integrityFields(instance.subgraph);
      try {
        return { instance, answer: await send(instance, {
          query: `query($ids: [ID!]!) { found: ${referrers}(ids: $ids) { count referrers { type id field } } }`, variables: { ids: [recordId] },
        }) };
      } catch (error) {
        if (!(error instanceof InstanceUnavailable)) throw error;
        return { instance, failure: error };
      }
    }));
    const unavailable = answers.flatMap(({ instance, failure }) => (failure
      ? unavailableErrors(instance.subgraph, failure, instance.regions, [key]).map((e) => ({
        ...e, message: `${e.message}: it may hold references to ${recordId}, so the delete is refused` }))
      : []));
    if (unavailable.length) return unavailable;
    const failed = answers.flatMap(({ answer }) => answer?.errors ?? []);
    if (failed.length) return [{ ...failed[0], path: [key] }];
    let count = 0;
    const referrers: Referrer[] = [];
    for (const { answer } of answers) {
      const found = answer?.data?.found as { count: number; referrers: Referrer[] } | undefined;
      count += found?.count ?? 0;
      referrers.push(...(found?.referrers ?? []));
    }
    if (count === 0) return [];
    if (action !== ReferenceAction.REMOVE) {
      const listed = referrers.slice(0, MAX_LISTED_REFERRERS);
      if (owner) await this.auditRefusal(owner, recordId, listed, send);
      const error = referenced(recordId, listed, count);
      return [{ message: error.message, path: [key], extensions: error.extensions }];
    }
    // The owning instance removes its own references in the delete's transaction; every other instance first.
    const steps = await Promise.all(everyInstance.filter((instance) => instance !== owner).map((instance) => this.removeReferences(instance, recordId, send)));
    const incomplete = steps.filter((step) => step.error !== null);
    if (incomplete.length === 0) return [];
    return [{
      message: `References to ${recordId} could not be removed in ${incomplete.map((s) => s.instance).join(', ')}; `
        + `${recordId} is not deleted. Repeat the delete to finish: removing references is safe to repeat.`,
      path: [key],
      extensions: {
        code: incomplete.some((s) => s.error?.startsWith('unavailable')) ? 'REGION_UNAVAILABLE' : ErrorCode.CONFLICT,
        id: recordId, steps,
      },
    }];
  }

  private async removeReferences(instance: Instance, id: string, send: IntegritySend): Promise<RemovalStep> {
    const step = { subgraph: instance.subgraph, instance: instance.name };
    // What the instance refers to changes: the gateway asks it about everything until the next probe.
    this.registry.references.forget(instance);
    try {
      const answer = await send(instance, { query: `mutation($id: ID!) { changed: ${integrityFields(instance.subgraph).forget}(id: $id) }`, variables: { id } });
      if (answer.errors?.length) return { ...step, changed: null, error: answer.errors[0].message };
      return { ...step, changed: Number(answer.data?.changed ?? 0), error: null };
    } catch (error) {
      if (!(error instanceof InstanceUnavailable)) throw error;
      return { ...step, changed: null, error: `unavailable: ${instance.name} did not answer` };
    } finally {
      this.registry.references.forget(instance);
    }
  }

  /** The owning instance logs the refusal in its audit log; a failure to log does not change the answer. */
  private async auditRefusal(owner: Instance, id: string, referrers: readonly Referrer[], send: IntegritySend): Promise<void> {
    const fields = [...new Set(referrers.map((r) => `${r.type}.${r.field}`))];
    try {
      await send(owner, {
        query: `mutation($id: ID!, $referrers: [String!]!) { ${integrityFields(owner.subgraph).refused}(id: $id, referrers: $referrers) }`,
        variables: { id, referrers: fields },
      });
    } catch (error) {
      if (!(error instanceof InstanceUnavailable)) throw error;
    }
  }
}

/**
 * The well-formed ids at a declared path of the mutation's arguments, each with the input path
 * where it was named; lists are walked at any depth (`input.memberAlliances[2].allianceId`).
 * A malformed id or one of another kind is left to the instance, which refuses it as bad input.
 */
function namedRecords(field: FieldNode, path: string, type: string, variables: Json): NamedRecord[] {
  const [argument, ...rest] = path.split('.');
  const found: NamedRecord[] = [];
  const walk = (value: unknown, at: string, remaining: string[]): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${at}[${index}]`, remaining));
      return;
    }
    if (remaining.length > 0) {
      if (typeof value === 'object') walk((value as Json)[remaining[0]], `${at}.${remaining[0]}`, remaining.slice(1));
      return;
    }
    const parsed = typeof value === 'string' ? tryParseId(value) : undefined;
    if (parsed && parsed.kind.toLowerCase() === type.toLowerCase()) found.push({ path: at, id: value as string, type, region: parsed.region });
  };
  walk(argumentValue(field, argument, variables), argument, rest);
  return found;
}
