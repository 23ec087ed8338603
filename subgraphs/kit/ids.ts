import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { badInput } from './errors.js';
import { isRegion, type Region } from './region.js';
import { assertCanWrite, type Viewer } from './auth.js';

/**
 * Every id names its owning region first, so a router can send it to the right instance
 * without a lookup: `SL:alliance:saarbruecken`, `NW:person:5f0c…`.
 */
export interface ParsedId {
  region: Region;
  kind: string;
  key: string;
}

const ID_PATTERN = /^([A-Z]{2}):([a-z][a-zA-Z]*):([A-Za-z0-9][A-Za-z0-9_-]{0,63})$/;

export function makeId(region: Region, kind: string, key: string = randomUUID()): string {
  return `${region}:${kind}:${key}`;
}

export function tryParseId(id: string): ParsedId | undefined {
  const match = ID_PATTERN.exec(id);
  if (!match || !isRegion(match[1])) return undefined;
  return { region: match[1], kind: match[2], key: match[3] };
}

/** Parses an id of the expected kind or throws BAD_USER_INPUT naming the argument. */
export function parseId(id: string, kind: string, argument = 'id'): ParsedId {
  const parsed = tryParseId(id);
  if (!parsed || parsed.kind !== kind) {
    throw badInput(`"${id}" is not a valid ${kind} id (expected REGION:${kind}:KEY, e.g. SL:${kind}:…)`, argument);
  }
  return parsed;
}

export function regionOfId(id: string): Region | undefined {
  return tryParseId(id)?.region;
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
