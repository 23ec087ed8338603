import type { SubgraphDefinition } from './kit/index.js';
import { alliancesSubgraph } from './alliances/index.js';
import { networksSubgraph } from './networks/index.js';
import { projectsSubgraph } from './projects/index.js';
import { peopleSubgraph } from './people/index.js';

/** Every subgraph of the hub, in composition order. */
export const SUBGRAPHS: SubgraphDefinition[] = [alliancesSubgraph, networksSubgraph, projectsSubgraph, peopleSubgraph];
