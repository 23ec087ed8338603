import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';

const KEYS = generateKeyPairSync('ed25519');
const PRIVATE_PEM = KEYS.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const PUBLIC_PEM = KEYS.publicKey.export({ type: 'spki', format: 'pem' }) as string;

/** Start-up reads its settings once and stops with a message naming every bad or missing one. */
function run(script: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { PATH: process.env.PATH, HUB_LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 30_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('settings', () => {
  it('a subgraph instance names every bad setting and does not start', () => {
    const { status, output } = run('subgraphs/main.ts', ['alliances'], { PORT: 'vierzig', REGIONS: 'SL,XX', HUB_INSTANCE_NAME: 'alliances sl' });
    expect(status).not.toBe(0);
    expect(output).toContain('Invalid configuration:');
    for (const name of ['DATABASE_URL', 'PORT', 'REGIONS', 'HUB_INSTANCE_NAME', 'HUB_GATEWAY_PUBLIC_KEYS']) expect(output).toContain(`  - ${name}:`);
    expect(output).toContain('unknown regions: XX');
  });

  it('a subgraph instance refuses a private key among the gateway\'s public keys, and keys that are no Ed25519 keys', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    for (const [keys, message] of [
      [`${PUBLIC_PEM}${PRIVATE_PEM}`, 'holds a private key: instances get only the gateway\'s public keys'],
      [`${PUBLIC_PEM}${rsa}`, 'key 2 must be an Ed25519 key, not rsa'],
      ['not a key', 'must hold one or more Ed25519 public keys as SPKI PEM'],
    ]) {
      const { status, output } = run('subgraphs/main.ts', ['alliances'], {
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', HUB_INSTANCE_NAME: 'alliances-sl', HUB_GATEWAY_PUBLIC_KEYS: keys,
      });
      expect(status).not.toBe(0);
      expect(output).toContain(`  - HUB_GATEWAY_PUBLIC_KEYS: ${message}`);
    }
  });

  it('the gateway on the hub\'s supergraph needs its private signing key and a token key', () => {
    const missing = run('gateway/main.ts', ['--port', '0'], { HUB_ENV: 'staging' });
    expect(missing.status).not.toBe(0);
    for (const name of ['HUB_SIGNING_KEY', 'HUB_ENV']) expect(missing.output).toContain(`  - ${name}:`);
    // A public key is no signing key.
    const wrong = run('gateway/main.ts', ['--port', '0'], { HUB_SIGNING_KEY: PUBLIC_PEM, HUB_JWT_SECRET: 'x'.repeat(32) });
    expect(wrong.status).not.toBe(0);
    expect(wrong.output).toContain('  - HUB_SIGNING_KEY: must be an Ed25519 private key as PKCS#8 PEM');
  });
});
