import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { REGIONS } from '../../subgraphs/kit/index.js';
import type { TopologyRegistry } from './registry.js';
import type { Instance } from './topology.js';

/** A subgraph the gateway answers itself: the topology in force and the health of every instance. */
export const HUB_SUBGRAPH = 'hub';

export const hubTypeDefs = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@shareable"])

type Query {
  """Every region with the instance of each subgraph that owns it, and that instance's health."""
  regions: [RegionOwnership!]!
  """The topology in force: every subgraph's instances, their regions and health, and the last reload."""
  hubTopology: HubTopology!
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
  url: String!
  regions: [Region!]!
  status: InstanceStatus!
  """Why it is DOWN or REFUSED."""
  reason: String
  checkedAt: String
  latencyMs: Int
}
`;

export function hubSubgraphSchema(registry: TopologyRegistry, subgraphs: string[]): GraphQLSchema {
  const describe = (instance: Instance) => {
    const health = registry.healthOf(instance);
    return {
      name: instance.name, url: instance.url, regions: instance.regions, status: health.status, reason: health.reason ?? null,
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
        hubTopology: () => ({
          source: registry.path ?? null,
          loadedAt: registry.loadedAt.toISOString(),
          lastReload: registry.lastReload
            ? { ...registry.lastReload, at: registry.lastReload.at.toISOString() } : null,
          subgraphs: subgraphs.map((subgraph) => ({ subgraph, instances: registry.instances(subgraph).map(describe) })),
        }),
      },
    } as never,
  }]);
}
