import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths.js';

export const DEV_SECRETS_PATH = join(PROJECT_ROOT, '.hub', 'secrets.json');
/** The local gateway's Ed25519 private key (PKCS#8 PEM): what HUB_SIGNING_KEY holds in a deployment. */
export const DEV_SIGNING_KEY_PATH = join(PROJECT_ROOT, '.hub', 'gateway-signing-key.pem');
/** Its public key (SPKI PEM), for instances started by hand: HUB_GATEWAY_PUBLIC_KEYS="$(cat .hub/gateway-public-key.pem)". */
export const DEV_PUBLIC_KEY_PATH = join(PROJECT_ROOT, '.hub', 'gateway-public-key.pem');

export interface DevSecrets {
  jwtSecret: string;
}

/**
 * The token secret of a local hub (`npm start` without settings): made once at random and kept in
 * .hub/secrets.json (readable by its owner only), so tokens minted with `npm run token` stay valid.
 */
export function devSecrets(): DevSecrets {
  if (existsSync(DEV_SECRETS_PATH)) return { jwtSecret: (JSON.parse(readFileSync(DEV_SECRETS_PATH, 'utf8')) as DevSecrets).jwtSecret };
  const secrets = { jwtSecret: randomBytes(32).toString('hex') };
  mkdirSync(join(PROJECT_ROOT, '.hub'), { recursive: true });
  writeFileSync(DEV_SECRETS_PATH, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/**
 * The local gateway's key pair, made once: the private key stays with the gateway (readable by
 * its owner only), the public key is all an instance gets.
 */
export function devSigningKeys(): { privateKey: KeyObject; publicKey: KeyObject } {
  if (!existsSync(DEV_SIGNING_KEY_PATH)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    mkdirSync(join(PROJECT_ROOT, '.hub'), { recursive: true });
    writeFileSync(DEV_SIGNING_KEY_PATH, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const privateKey = createPrivateKey(readFileSync(DEV_SIGNING_KEY_PATH, 'utf8'));
  const publicKey = createPublicKey(privateKey);
  writeFileSync(DEV_PUBLIC_KEY_PATH, publicKey.export({ type: 'spki', format: 'pem' }));
  return { privateKey, publicKey };
}
