import { getNamedType, isObjectType, type FieldNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { readCursor } from '../../subgraphs/shared/cursor.js';
import { regionOfId } from '../../subgraphs/shared/ids.js';
import type { Merge } from '../../subgraphs/shared/routing.js';
import type { RoutingTable } from './declarations.js';
import type { Json } from './instance-client.js';
import { PAGING, fieldsOf, responseKey, withPagingFields } from './operation.js';
import { mergeAlias, withPaths } from './order.js';
import type { Instance } from './topology.js';

/**
 * An instance is trusted only with the records of the regions it owns: every record a root field
 * returns carries its id (added under a merge alias, or in a connection's cursors), and one of a
 * region the instance does not own is left out of the answer, with an error naming the instance.
 */
const RECORD_ID = mergeAlias('id');

/** The entity type a root field returns records of (itself, its list items or its connection's nodes), if the subgraph stores it. */
export function recordTypeOf(schema: GraphQLSchema, routing: RoutingTable, fieldName: string, merge: Merge): string | undefined {
  const field = schema.getQueryType()?.getFields()[fieldName];
  if (!field) return undefined;
  let type = getNamedType(field.type);
  if (merge.kind === 'connection' && isObjectType(type)) {
    const edge = type.getFields().edges ? getNamedType(type.getFields().edges.type) : undefined;
    const node = isObjectType(edge) ? edge.getFields().node : undefined;
    if (!node) return undefined;
    type = getNamedType(node.type);
  }
  return merge.kind !== 'aggregate' && routing.storesEntity(type.name) ? type.name : undefined;
}

/** The field as sent, with what shows each returned record's id. */
export function withRecordIds(field: FieldNode, merge: Merge): FieldNode {
  if (merge.kind === 'connection') return withPagingFields(field);
  return { ...field, selectionSet: withPaths(field.selectionSet, ['id']) };
}

/** The instance's answer to a root field without records of regions it does not own, and an error for each left out. */
export function ownRecordsOnly(
  field: FieldNode, merge: Merge, instance: Instance, value: unknown, path: (string | number)[],
): { value: unknown; errors: GraphQLFormattedError[] } {
  const errors: GraphQLFormattedError[] = [];
  const owned = (id: unknown): boolean => {
    const region = typeof id === 'string' ? regionOfId(id) : undefined;
    if (region && instance.regions.includes(region)) return true;
    errors.push(foreignRecordError(instance, typeof id === 'string' ? id : String(id), path));
    return false;
  };
  if (value === null || value === undefined) return { value, errors };
  if (merge.kind === 'connection') {
    const connection = value as Json;
    const cursors = (connection[PAGING.edges] as Json[] | undefined) ?? [];
    const keep = cursors.map((c) => owned(readCursor(String(c[PAGING.cursor]))?.[1]));
    if (keep.every(Boolean)) return { value, errors };
    const edgesField = fieldsOf(field.selectionSet).find((f) => f.name.value === 'edges' && !f.alias?.value.startsWith('__hub_'));
    const cleaned: Json = { ...connection, [PAGING.edges]: cursors.filter((_, i) => keep[i]) };
    if (edgesField) cleaned[responseKey(edgesField)] = ((connection[responseKey(edgesField)] as unknown[]) ?? []).filter((_, i) => keep[i]);
    return { value: cleaned, errors };
  }
  if (Array.isArray(value)) return { value: value.filter((item) => owned((item as Json | null)?.[RECORD_ID])), errors };
  return { value: owned((value as Json)[RECORD_ID]) ? value : null, errors };
}

/** An `_entities` answer must be the very record asked for: anything else is left out. */
export function sameRecord(instance: Instance, asked: Json, answered: unknown, path: (string | number)[]): GraphQLFormattedError | undefined {
  if (answered === null || typeof answered !== 'object') return undefined;
  const id = (answered as Json)[RECORD_ID];
  return id === undefined || id === asked.id ? undefined : foreignRecordError(instance, String(id), path);
}

export function foreignRecordError(instance: Instance, id: string, path: (string | number)[]): GraphQLFormattedError {
  const region = regionOfId(id) ?? 'unknown';
  return {
    message: `Instance ${instance.name} answered with record ${id} of region ${region}, which it does not own (or was not asked for); it is left out`,
    path,
    extensions: { code: 'FOREIGN_RECORD', subgraph: instance.subgraph, instance: instance.name, region },
  };
}

