import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { subgraphSchema, type SubgraphDefinition } from '../../subgraphs/kit/index.js';
import { SUBGRAPHS } from '../../subgraphs/index.js';
import { HUB_SUBGRAPH, hubTypeDefs } from '../../gateway/regional/hub-subgraph.js';

export { SCHEMA_DIR, SUPERGRAPH_PATH } from './paths.js';

/** Where each subgraph listens by default (the URLs written into the checked-in supergraph). */
export const DEFAULT_SUBGRAPH_PORTS: Record<string, number> = { alliances: 4001, networks: 4002, projects: 4003, people: 4004 };

/** A label only: the gateway serves the hub subgraph in-process. */
export const HUB_SUBGRAPH_URL = 'http://localhost:4000/hub-subgraph';

export const defaultSubgraphUrl = (name: string) => `http://localhost:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`;

export interface ComposedSchema {
  /** SDL file name → text, for schema/. */
  files: Record<string, string>;
  supergraphSdl: string;
}

/** Builds every subgraph's SDL and composes the supergraph; throws with every composition error. */
export async function composeHub(definitions: SubgraphDefinition[] = SUBGRAPHS): Promise<ComposedSchema> {
  const files: Record<string, string> = {};
  const services = [];
  for (const definition of definitions) {
    const { sdl } = await subgraphSchema(definition);
    files[`${definition.name}.graphql`] = `${sdl.trim()}\n`;
    services.push({ name: definition.name, url: defaultSubgraphUrl(definition.name), typeDefs: parse(sdl) });
  }
  // The gateway answers the hub subgraph (topology and health) itself.
  files[`${HUB_SUBGRAPH}.graphql`] = `${hubTypeDefs.trim()}\n`;
  services.push({ name: HUB_SUBGRAPH, url: HUB_SUBGRAPH_URL, typeDefs: parse(hubTypeDefs) });
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`The subgraphs do not compose:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  const supergraphSdl = `${result.supergraphSdl.trim()}\n`;
  files['supergraph.graphql'] = supergraphSdl;
  return { files, supergraphSdl };
}
