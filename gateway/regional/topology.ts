import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { INSTANCE_NAME_PATTERN } from '../../subgraphs/kit/signing.js';
import { REGIONS, type Region } from '../../subgraphs/shared/region.js';

/**
 * The topology file: per subgraph, the instances and the regions each owns.
 *   { "subgraphs": { "alliances": [ { "name": "alliances-sl", "url": "http://…/graphql", "regions": ["SL", "SN"] } ] } }
 * `"regions": ["*"]` means every region (a plain, unsplit subgraph).
 */
const instanceSchema = z.object({
  // The instance runs under the same name (HUB_INSTANCE_NAME): the gateway signs each request for it.
  name: z.string().regex(INSTANCE_NAME_PATTERN, 'letters, digits, ".", "_" or "-"'),
  url: z.string().url(),
  regions: z.array(z.enum(['*', ...REGIONS] as [string, ...string[]])).min(1),
  timeoutMs: z.number().int().min(50).max(120_000).optional(),
  maxInFlight: z.number().int().min(1).max(1_000).optional(),
});

/**
 * Requests the gateway has under way at one instance at most (the rest wait at the gateway, within
 * their timeout): an instance holds a few database connections (kit/connections.ts), and more
 * requests than it can serve at once only queue there, where they crowd out its health probes.
 */
export const DEFAULT_MAX_IN_FLIGHT = 8;

const topologySchema = z.object({
  subgraphs: z.record(z.string(), z.array(instanceSchema).min(1)),
  /** Default per-region timeout of a subgraph request, in milliseconds. */
  timeoutMs: z.number().int().min(50).max(120_000).default(5_000),
  /** Default requests under way at one instance. */
  maxInFlight: z.number().int().min(1).max(1_000).default(DEFAULT_MAX_IN_FLIGHT),
});

export interface Instance {
  subgraph: string;
  name: string;
  url: string;
  /** The regions it owns; all regions when it was declared with "*". */
  regions: Region[];
  timeoutMs: number;
  /** Requests under way at it at most; a request waiting for its turn counts against its timeout. */
  maxInFlight: number;
}

export interface Topology {
  /** Instances per subgraph, ordered by their first region (the order merged lists follow). */
  subgraphs: Map<string, Instance[]>;
  /** subgraph → region → owning instance. */
  owners: Map<string, Map<Region, Instance>>;
}

export class TopologyError extends Error {}

/** Checks a parsed topology against the hub's subgraph names; every problem in one message. */
export function buildTopology(raw: unknown, subgraphNames: string[]): Topology {
  const parsed = topologySchema.safeParse(raw);
  if (!parsed.success) {
    throw new TopologyError(parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; '));
  }
  const problems: string[] = [];
  const subgraphs = new Map<string, Instance[]>();
  const owners = new Map<string, Map<Region, Instance>>();
  const names = new Set<string>();
  for (const name of subgraphNames) {
    if (!parsed.data.subgraphs[name]) problems.push(`subgraph ${name} has no instance`);
  }
  for (const [subgraph, declared] of Object.entries(parsed.data.subgraphs)) {
    if (!subgraphNames.includes(subgraph)) {
      problems.push(`${subgraph} is not a subgraph of this supergraph (known: ${subgraphNames.join(', ')})`);
      continue;
    }
    const byRegion = new Map<Region, Instance>();
    const instances = declared.map((entry) => ({
      subgraph,
      name: entry.name,
      url: entry.url,
      regions: (entry.regions.includes('*') ? REGIONS : entry.regions) as Region[],
      timeoutMs: entry.timeoutMs ?? parsed.data.timeoutMs,
      maxInFlight: entry.maxInFlight ?? parsed.data.maxInFlight,
    }));
    for (const instance of instances) {
      if (names.has(instance.name)) problems.push(`instance name ${instance.name} is used twice`);
      names.add(instance.name);
      for (const region of instance.regions) {
        const other = byRegion.get(region);
        if (other) problems.push(`${subgraph}: region ${region} is owned by both ${other.name} and ${instance.name}`);
        byRegion.set(region, instance);
      }
    }
    instances.sort((a, b) => REGIONS.indexOf(a.regions[0]) - REGIONS.indexOf(b.regions[0]));
    subgraphs.set(subgraph, instances);
    owners.set(subgraph, byRegion);
  }
  if (problems.length) throw new TopologyError(problems.join('; '));
  return { subgraphs, owners };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TopologyError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** An overlay lists instances like a topology file, for some subgraphs only. */
const overlaySchema = z.object({
  subgraphs: z.record(z.string(), z.array(instanceSchema)).default({}),
  timeoutMs: z.number().int().min(50).max(120_000).optional(),
  maxInFlight: z.number().int().min(1).max(1_000).optional(),
});

/**
 * A topology with an overlay's instances over it (`npm start` writes the topology and never
 * touches the overlay, so what an operator adds there survives restarts). Per subgraph, an
 * overlay instance replaces the instance of the same name, and takes each region it lists from
 * whichever instance owned it (one left without a region is dropped); the overlay's `timeoutMs`
 * and `maxInFlight` replace the defaults. The result is checked like any topology file.
 */
export function mergeTopologies(base: unknown, overlay: unknown): unknown {
  const parsed = overlaySchema.safeParse(overlay);
  if (!parsed.success) {
    throw new TopologyError(parsed.error.issues.map((i) => `overlay ${i.path.join('.') || '(file)'}: ${i.message}`).join('; '));
  }
  const merged = { ...(base as Record<string, unknown>) };
  const subgraphs = { ...((merged.subgraphs ?? {}) as Record<string, { name: string; regions: string[] }[]>) };
  for (const [subgraph, added] of Object.entries(parsed.data.subgraphs)) {
    const names = new Set(added.map((instance) => instance.name));
    const taken = new Set(added.flatMap((instance) => instance.regions));
    const kept = (Array.isArray(subgraphs[subgraph]) ? subgraphs[subgraph] : [])
      .filter((instance) => !names.has(instance.name))
      .flatMap((instance) => {
        if (!Array.isArray(instance.regions)) return [instance];
        // "*" in the overlay takes every region; a generated "*" keeps the regions nobody took.
        if (taken.has('*')) return [];
        const regions = instance.regions.includes('*') ? REGIONS.filter((r) => !taken.has(r)) : instance.regions.filter((r) => !taken.has(r));
        return regions.length ? [{ ...instance, regions }] : [];
      });
    subgraphs[subgraph] = [...kept, ...added];
  }
  merged.subgraphs = subgraphs;
  if (parsed.data.timeoutMs !== undefined) merged.timeoutMs = parsed.data.timeoutMs;
  if (parsed.data.maxInFlight !== undefined) merged.maxInFlight = parsed.data.maxInFlight;
  return merged;
}

/** Reads a topology file, with an overlay file over it when one is given and exists. */
export function readTopologyFile(path: string, subgraphNames: string[], overlayPath?: string): Topology {
  const raw = readJson(path);
  if (!overlayPath || !existsSync(overlayPath)) return buildTopology(raw, subgraphNames);
  let merged: unknown;
  try {
    merged = mergeTopologies(raw, readJson(overlayPath));
    return buildTopology(merged, subgraphNames);
  } catch (error) {
    if (!(error instanceof TopologyError)) throw error;
    throw new TopologyError(`${path} with the overlay ${overlayPath}: ${error.message}`);
  }
}

/** One instance per subgraph owning every region: plain federation. */
export function singleInstanceTopology(urls: Record<string, string>): Topology {
  return buildTopology({
    subgraphs: Object.fromEntries(Object.entries(urls).map(([subgraph, url]) => [subgraph, [{ name: subgraph, url, regions: ['*'] }]])),
  }, Object.keys(urls));
}
