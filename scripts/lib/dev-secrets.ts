import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths.js';

export const DEV_SECRETS_PATH = join(PROJECT_ROOT, '.hub', 'secrets.json');

export interface DevSecrets {
  internalSecret: string;
  jwtSecret: string;
}

/**
 * The secrets of a local hub (`npm start` without settings): made once at random and kept in
 * .hub/secrets.json (readable by its owner only), so tokens minted with `npm run token` stay valid.
 */
export function devSecrets(): DevSecrets {
  if (existsSync(DEV_SECRETS_PATH)) return JSON.parse(readFileSync(DEV_SECRETS_PATH, 'utf8')) as DevSecrets;
  const secrets = { internalSecret: randomBytes(32).toString('hex'), jwtSecret: randomBytes(32).toString('hex') };
  mkdirSync(join(PROJECT_ROOT, '.hub'), { recursive: true });
  writeFileSync(DEV_SECRETS_PATH, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
