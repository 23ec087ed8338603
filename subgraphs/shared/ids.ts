import { randomUUID } from 'node:crypto';
import { isRegion, type Region } from './region.js';

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

export function regionOfId(id: string): Region | undefined {
  return tryParseId(id)?.region;
}
