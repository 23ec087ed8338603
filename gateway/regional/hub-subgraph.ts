import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { REGIONS } from '../../subgraphs/shared/region.js';
import { ANONYMOUS, assertCanErase, type Viewer } from '../../subgraphs/kit/auth.js';
import { parseId } from '../../subgraphs/kit/ids.js';
import { InstanceUnavailable, sendToInstance } from './instance-client.js';
import type { InstanceHealth, ReloadOutcome, TopologyRegistry } from './registry.js';
import type { Instance } from './topology.js';

/**
 * A subgraph the gateway answers itself: the topology in force and the health of every instance,
 * and the erasure of a person, which spans every subgraph and region.
 */
export const HUB_SUBGRAPH = 'hub';

export const hubTypeDefs = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@shareable"])

type Query {
  """Every region with the instance of each subgraph that owns it, and that instance's health."""
  regions: [RegionOwnership!]!
  """The topology in force: every subgraph's instances, their regions and health, and the last reload."""
  hubTopology: HubTopology!
}

type Mutation {
  """
  Erases a person (GDPR Art. 17): every reference in every region is removed or anonymised
  (representatives, speakers, project contacts), then the person with roles, contact details and
  consent. For admins of the person's region and hub admins. Safe to repeat: when a region was
  unavailable the report says so and the next run completes the erasure.
  """
  erasePerson(id: ID!): ErasureReport!
}

type ErasureReport {
  personId: ID!
  """Every step succeeded and the person is gone."""
  complete: Boolean!
  steps: [ErasureStepResult!]!
}

type ErasureStepResult {
  subgraph: String!
  instance: String!
  """How many records were changed or removed; null when the step failed."""
  changed: Int
  error: String
}

enum Region { ${REGIONS.join(' ')} }

enum InstanceStatus {
  """Answered its last probe or request."""
  UP
  """Did not answer; its regions are missing from answers until it is back."""
  DOWN
  """Its schema differs from the hub's; it gets no requests."""
  REFUSED
  """Not probed yet."""
  UNCHECKED
}

type RegionOwnership {
  region: Region!
  owners: [RegionOwner!]!
}

type RegionOwner {
  subgraph: String!
  instance: String!
  status: InstanceStatus!
}

type HubTopology {
  """The topology file, when one is watched."""
  source: String
  loadedAt: String!
  lastReload: TopologyReload
  subgraphs: [SubgraphInstances!]!
}

type TopologyReload {
  at: String!
  accepted: Boolean!
  message: String!
}

type SubgraphInstances {
  subgraph: String!
  instances: [SubgraphInstance!]!
}

type SubgraphInstance {
  name: String!
  """Where the gateway reaches it; shown to hub admins only."""
  url: String
  regions: [Region!]!
  status: InstanceStatus!
  """Why it is DOWN or REFUSED."""
  reason: String
  checkedAt: String
  latencyMs: Int
}
`;

/** What stands in for an address in what callers other than hub admins read. */
const HIDDEN = '(hidden)';
/**
 * Addresses a failure text may carry beyond the instance's own (e.g. an instance of a refused
 * topology, or a host in a connection error): URLs of any scheme, IPv4 and IPv6 addresses with
 * their port.
 */
const ADDRESS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"()<>]*|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\[[0-9a-f]*:[0-9a-f:.]*\](?::\d+)?/gi;

/**
 * A text about an instance, for callers other than hub admins: where instances are reached is for
 * hub admins only. The registry writes these texts (a refusal names the instance's URL, a failure
 * what the connection reported), so the instance's own URL and host are taken out as they are,
 * and any other address by its pattern.
 */
export function withoutAddresses(text: string, instance?: Instance): string {
  let shown = text;
  if (instance) {
    const url = new URL(instance.url);
    shown = shown.replaceAll(` (${instance.url})`, '');
    const known = [instance.url, url.origin, url.host, ...(/[.:]/.test(url.hostname) ? [url.hostname] : [])];
    for (const address of known) shown = shown.replaceAll(address, HIDDEN);
  }
  return shown.replace(ADDRESS, HIDDEN);
}

export function hubSubgraphSchema(registry: TopologyRegistry, subgraphs: string[]): GraphQLSchema {
  const reasonFor = (instance: Instance, health: InstanceHealth, viewer: Viewer): string | null => {
    if (health.reason === undefined) return null;
    return viewer.hubAdmin ? health.reason : withoutAddresses(health.reason, instance);
  };
  const describe = (instance: Instance, viewer: Viewer) => {
    const health = registry.healthOf(instance);
    return {
      name: instance.name, url: viewer.hubAdmin ? instance.url : null, regions: instance.regions, status: health.status,
      reason: reasonFor(instance, health, viewer), checkedAt: health.checkedAt?.toISOString() ?? null, latencyMs: health.latencyMs ?? null,
    };
  };
  /**
   * The registry's message names the file's path, and a refusal the instances' URLs: other callers
   * get one built from the outcome alone, a refusal without its reason.
   */
  const reloadMessage = (reload: ReloadOutcome, viewer: Viewer): string => {
    if (viewer.hubAdmin) return reload.message;
    if (!reload.accepted) return 'refused, the previous topology stays (hub admins see why)';
    const counts = registry.subgraphNames().map((subgraph) => `${subgraph} ×${registry.instances(subgraph).length}`);
    return `loaded ${registry.path ? 'the topology file' : 'fixed topology'} (${counts.join(', ')})`;
  };
  const source = (viewer: Viewer): string | null => {
    if (!registry.path) return null;
    return viewer.hubAdmin ? registry.path : 'topology file';
  };
  return buildSubgraphSchema([{
    typeDefs: parse(hubTypeDefs),
    resolvers: {
      Query: {
        regions: () => REGIONS.map((region) => ({
          region,
          owners: subgraphs.flatMap((subgraph) => {
            const owner = registry.owner(subgraph, region);
            return owner ? [{ subgraph, instance: owner.name, status: registry.healthOf(owner).status }] : [];
          }),
        })),
        hubTopology: (_: unknown, __: unknown, context: { viewer?: Viewer }) => {
          const viewer = context.viewer ?? ANONYMOUS;
          const reload = registry.lastReload;
          return {
            source: source(viewer),
            loadedAt: registry.loadedAt.toISOString(),
            lastReload: reload ? { at: reload.at.toISOString(), accepted: reload.accepted, message: reloadMessage(reload, viewer) } : null,
            subgraphs: subgraphs.map((subgraph) => ({
              subgraph, instances: registry.instances(subgraph).map((instance) => describe(instance, viewer)),
            })),
          };
        },
      },
      Mutation: {
        erasePerson: (_: unknown, args: { id: string }, context: { viewer?: Viewer }) =>
          erasePerson(registry, args.id, context.viewer ?? ANONYMOUS),
      },
    } as never,
  }]);
}

interface StepResult { subgraph: string; instance: string; changed: number | null; error: string | null }

/** The subgraphs holding references to people, and the step each runs; the people step comes last. */
const REFERENCE_STEPS: [string, string][] = [
  ['alliances', 'forgetPersonInAlliances'], ['networks', 'forgetPersonInNetworks'], ['projects', 'forgetPersonInProjects'],
];

async function erasePerson(registry: TopologyRegistry, personId: string, viewer: Viewer) {
  const { region } = parseId(personId, 'person');
  assertCanErase(viewer, region);
  const run = async (subgraph: string, field: string, instance: Instance): Promise<StepResult> => {
    try {
      const answer = await sendToInstance(registry, instance, {
        query: `mutation($id: ID!) { changed: ${field}(personId: $id) }`, variables: { id: personId },
      }, viewer);
      if (answer.errors?.length) return { subgraph, instance: instance.name, changed: null, error: answer.errors[0].message };
      return { subgraph, instance: instance.name, changed: Number(answer.data?.changed ?? 0), error: null };
    } catch (error) {
      const failure = error instanceof InstanceUnavailable ? `unavailable: ${error.reason}` : String(error);
      // Region admins erase too; the instance's address is for hub admins.
      return { subgraph, instance: instance.name, changed: null, error: viewer.hubAdmin ? failure : withoutAddresses(failure, instance) };
    }
  };
  // References may sit in any region (a DE network may list a speaker from SL): every instance is asked.
  const steps = await Promise.all(REFERENCE_STEPS.flatMap(([subgraph, field]) =>
    registry.instances(subgraph).map((instance) => run(subgraph, field, instance))));
  const owner = registry.owner('people', region);
  // The person goes only once no reference is left behind, so a failed run can simply be repeated.
  if (steps.every((step) => step.error === null)) {
    steps.push(owner ? await run('people', 'forgetPersonInPeople', owner)
      : { subgraph: 'people', instance: '-', changed: null, error: `no people instance owns region ${region}` });
  }
  const complete = steps.every((step) => step.error === null) && steps.some((step) => step.subgraph === 'people');
  return { personId, complete, steps };
}
