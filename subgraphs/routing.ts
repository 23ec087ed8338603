import type { RoutingDeclarations } from './shared/routing.js';
import { alliancesRouting } from './alliances/routing.js';
import { networksRouting } from './networks/routing.js';
import { projectsRouting } from './projects/routing.js';
import { peopleRouting } from './people/routing.js';

/** Each subgraph's routing declarations by subgraph name (data only: safe for the gateway to load). */
export const ROUTING: Readonly<Record<string, RoutingDeclarations>> = {
  alliances: alliancesRouting,
  networks: networksRouting,
  projects: projectsRouting,
  people: peopleRouting,
};
