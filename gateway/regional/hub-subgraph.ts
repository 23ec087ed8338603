import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { REGIONS } from '../../subgraphs/kit/index.js';
import { ANONYMOUS, assertCanErase, parseId, type Viewer } from '../../subgraphs/kit/index.js';
import { InstanceUnavailable, sendToInstance } from './instance-client.js';
import type { TopologyRegistry } from './registry.js';
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

export function hubSubgraphSchema(registry: TopologyRegistry, subgraphs: string[]): GraphQLSchema {
  const describe = (instance: Instance, viewer: Viewer) => {
    const health = registry.healthOf(instance);
    return {
      name: instance.name, url: viewer.hubAdmin ? instance.url : null, regions: instance.regions, status: health.status, reason: health.reason ?? null,
      checkedAt: health.checkedAt?.toISOString() ?? null, latencyMs: health.latencyMs ?? null,
    };
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
        hubTopology: (_: unknown, __: unknown, context: { viewer?: Viewer }) => ({
          source: registry.path ?? null,
          loadedAt: registry.loadedAt.toISOString(),
          lastReload: registry.lastReload
            ? { ...registry.lastReload, at: registry.lastReload.at.toISOString() } : null,
          subgraphs: subgraphs.map((subgraph) => ({
            subgraph, instances: registry.instances(subgraph).map((instance) => describe(instance, context.viewer ?? ANONYMOUS)),
          })),
        }),
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
      return { subgraph, instance: instance.name, changed: null, error: error instanceof InstanceUnavailable ? `unavailable: ${error.reason}` : String(error) };
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
