/**
 * `source .ci/node24.sh` runs in the user's interactive shell: it may change PATH and nothing else
 * (no `set -e` left behind to close the terminal at the next failing command), and a failure
 * returns to the shell instead of exiting it.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../scripts/lib/paths.js';

/** What a shell looks like from inside: options, variables (values included) and functions. */
const SNAPSHOT = `{ set -o; declare -p | grep -vE '^declare -[-a-zA-Z]* (BASH_|BASHOPTS|SHELLOPTS|PIPESTATUS|_=|RANDOM|SECONDS|LINENO|EPOCH|SRANDOM|PATH=|OLDPWD|PWD=|before=|after=|status=)'; declare -F; }`;

function sourceIn(path: string, root = PROJECT_ROOT): { status: string; changed: string } {
  const script = `before=$(${SNAPSHOT}); source .ci/node24.sh >/dev/null 2>&1; status=$?; after=$(${SNAPSHOT});
    echo "status=$status"; diff <(echo "$before") <(echo "$after")`;
  const output = execFileSync('bash', ['-c', `${script}; true`], { cwd: root, env: { PATH: path, HOME: tmpdir() }, encoding: 'utf8' });
  const [status, ...changed] = output.trim().split('\n');
  return { status, changed: changed.join('\n') };
}

describe('sourcing .ci/node24.sh', () => {
  it('with Node 24 on PATH: succeeds and changes nothing else in the shell', () => {
    const { status, changed } = sourceIn(`${dirname(process.execPath)}:/usr/bin:/bin`);
    expect(status).toBe('status=0');
    expect(changed).toBe('');
  });

  it('when Node 24 cannot be had: returns 1 and still changes nothing but PATH', () => {
    // A checkout without the toolchain, an old node and an npm that cannot reach the registry.
    const root = mkdtempSync(join(tmpdir(), 'hub-node-bootstrap-'));
    mkdirSync(join(root, '.ci'));
    copyFileSync(join(PROJECT_ROOT, '.ci/node24.sh'), join(root, '.ci/node24.sh'));
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'node'), '#!/bin/sh\necho 20\n');
    writeFileSync(join(bin, 'npm'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(bin, 'node'), 0o755);
    chmodSync(join(bin, 'npm'), 0o755);
    const { status, changed } = sourceIn(`${bin}:/usr/bin:/bin`, root);
    expect(status).toBe('status=1');
    expect(changed).toBe('');
  });
});
