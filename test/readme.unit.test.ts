import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The command under a comment line of the README's "Two commands" block. */
function readmeCommand(comment: string): string {
  const readme = readFileSync('README.md', 'utf8');
  const lines = readme.slice(readme.indexOf('## Two commands')).split('\n');
  const at = lines.findIndex((line) => line.startsWith(`# ${comment}`));
  expect(at, `README: no line "# ${comment}…"`).toBeGreaterThan(-1);
  return lines[at + 1].trim();
}

describe('the README\'s two commands', () => {
  it('CI runs exactly the README\'s test command, as its last step', () => {
    const command = readmeCommand('run all tests');
    expect(command).toBe('source .ci/node24.sh && npm ci && npm test');
    const steps = readFileSync('.ci/run', 'utf8').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
    expect(steps.at(-1)).toBe(command);
  });

  it('the start command installs and starts the hub on the same Node bootstrap', () => {
    expect(readmeCommand('install and run the hub')).toBe('source .ci/node24.sh && npm ci && npm start');
  });
});
