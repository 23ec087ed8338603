import type { EntityManager } from '@mikro-orm/postgresql';
import { Loaders } from './loaders.js';
import type { Region } from './region.js';

/** What every resolver gets: an EntityManager fork of its own request and loaders over it. */
export interface SubgraphContext {
  em: EntityManager;
  loaders: Loaders;
  /** The regions this instance owns data for; undefined when it serves every region. */
  regions?: ReadonlySet<Region>;
}

export function createContext(rootEm: EntityManager, regions?: ReadonlySet<Region>): SubgraphContext {
  const em = rootEm.fork() as EntityManager;
  return { em, loaders: new Loaders(em), regions };
}
