import type { EntityManager } from '@mikro-orm/postgresql';
import { Loaders } from './loaders.js';

/** What every resolver gets: an EntityManager fork of its own request and loaders over it. */
export interface SubgraphContext {
  em: EntityManager;
  loaders: Loaders;
}

export function createContext(rootEm: EntityManager): SubgraphContext {
  const em = rootEm.fork() as EntityManager;
  return { em, loaders: new Loaders(em) };
}
