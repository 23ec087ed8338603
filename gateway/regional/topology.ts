import { readFileSync } from 'node:fs';
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
});

const topologySchema = z.object({
  subgraphs: z.record(z.string(), z.array(instanceSchema).min(1)),
  /** Default per-region timeout of a subgraph request, in milliseconds. */
  timeoutMs: z.number().int().min(50).max(120_000).default(5_000),
});

export interface Instance {
  subgraph: string;
  name: string;
  url: string;
  /** The regions it owns; all regions when it was declared with "*". */
  regions: Region[];
  timeoutMs: number;
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

export function readTopologyFile(path: string, subgraphNames: string[]): Topology {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TopologyError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return buildTopology(raw, subgraphNames);
}

/** One instance per subgraph owning every region: plain federation. */
export function singleInstanceTopology(urls: Record<string, string>): Topology {
  return buildTopology({
    subgraphs: Object.fromEntries(Object.entries(urls).map(([subgraph, url]) => [subgraph, [{ name: subgraph, url, regions: ['*'] }]])),
  }, Object.keys(urls));
}
