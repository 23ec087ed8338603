import type { EntityManager } from '@mikro-orm/postgresql';
import { Loaders } from './loaders.js';
import type { Region } from './region.js';
import { ANONYMOUS, type Viewer } from './auth.js';

/** What every resolver gets: an EntityManager fork of its own request and loaders over it. */
export interface SubgraphContext {
  em: EntityManager;
  loaders: Loaders;
  /** The regions this instance owns data for; undefined when it serves every region. */
  regions?: ReadonlySet<Region>;
  /** Who is asking, as the gateway verified and signed it. */
  viewer: Viewer;
  /** The id the gateway gave the client's request, for logs. */
  requestId: string;
}

export function createContext(
  rootEm: EntityManager, regions?: ReadonlySet<Region>, viewer: Viewer = ANONYMOUS, requestId = 'internal',
): SubgraphContext {
  const em = rootEm.fork() as EntityManager;
  return { em, loaders: new Loaders(em), regions, viewer, requestId };
}
