import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Every embedded database lives under this one ignored folder. */
export const PGDATA_ROOT = join(PROJECT_ROOT, '.pgdata');
/** The checked-in subgraph SDL and the composed supergraph (`npm run schema`). */
export const SCHEMA_DIR = join(PROJECT_ROOT, 'schema');
export const SUPERGRAPH_PATH = join(SCHEMA_DIR, 'supergraph.graphql');
