import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Start-up reads its settings once and stops with a message naming every bad or missing one. */
function run(script: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { PATH: process.env.PATH, HUB_LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 30_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('settings', () => {
  it('a subgraph instance names every bad setting and does not start', () => {
    const { status, output } = run('subgraphs/main.ts', ['alliances'], { PORT: 'vierzig', REGIONS: 'SL,XX', HUB_INTERNAL_SECRET: 'short' });
    expect(status).not.toBe(0);
    expect(output).toContain('Invalid configuration:');
    for (const name of ['DATABASE_URL', 'PORT', 'REGIONS', 'HUB_INTERNAL_SECRET']) expect(output).toContain(`  - ${name}:`);
    expect(output).toContain('unknown regions: XX');
  });

  it('the gateway on the hub\'s supergraph needs its secret and a token key', () => {
    const { status, output } = run('gateway/main.ts', ['--port', '0'], { HUB_ENV: 'staging' });
    expect(status).not.toBe(0);
    for (const name of ['HUB_INTERNAL_SECRET', 'HUB_ENV']) expect(output).toContain(`  - ${name}:`);
  });
});
