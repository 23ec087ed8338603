import { GraphQLError } from 'graphql';
import { badInput } from './client-errors.js';
import type { Region } from '../shared/region.js';
import { makeId, regionOfId, tryParseId, type ParsedId } from '../shared/ids.js';
import { assertCanWrite, type Viewer } from './auth.js';

export { makeId, regionOfId, tryParseId, type ParsedId } from '../shared/ids.js';

/** Parses an id of the expected kind or throws BAD_USER_INPUT naming the argument. */
export function parseId(id: string, kind: string, argument = 'id'): ParsedId {
  const parsed = tryParseId(id);
  if (!parsed || parsed.kind !== kind) {
    throw badInput(`"${id}" is not a valid ${kind} id (expected REGION:${kind}:KEY, e.g. SL:${kind}:…)`, argument);
  }
  return parsed;
}

/** True when an instance serving `regions` (undefined: all) owns the record with this id. */
export function servesId(regions: ReadonlySet<Region> | undefined, id: string): boolean {
  const region = regionOfId(id);
  return region !== undefined && (!regions || regions.has(region));
}

/**
 * The id of a new top-level record, for a viewer allowed to write its region. An instance keeps
 * only its own regions' data, so a record for another region is refused here too (the gateway
 * would have sent it elsewhere).
 */
export function newRecordId(context: { regions?: ReadonlySet<Region>; viewer: Viewer }, region: Region, kind: string): string {
  assertCanWrite(context.viewer, region);
  if (context.regions && !context.regions.has(region)) {
    throw new GraphQLError(`This instance does not own region ${region} (it owns ${[...context.regions].join(', ')})`, {
      extensions: { code: 'REGION_NOT_SERVED', region },
    });
  }
  return makeId(region, kind);
}
