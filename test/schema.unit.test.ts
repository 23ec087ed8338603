import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeHub, SCHEMA_DIR } from '../scripts/lib/supergraph.js';
import { SUBGRAPHS } from '../subgraphs/index.js';

describe('checked-in schema', () => {
  it('composes, and every file in schema/ equals what the code generates (run `npm run schema` if not)', async () => {
    const { files } = await composeHub();
    expect(Object.keys(files).sort()).toEqual([...SUBGRAPHS.map((s) => `${s.name}.graphql`), 'hub.graphql', 'supergraph.graphql'].sort());
    for (const [name, text] of Object.entries(files)) {
      expect(readFileSync(join(SCHEMA_DIR, name), 'utf8'), `schema/${name} is stale`).toBe(text);
    }
  });
});
