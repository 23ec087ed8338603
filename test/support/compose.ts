import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { TestContext } from 'vitest';
import { parse } from 'yaml';

type Port = string | { host_ip?: string; published: number | string; target: number };
type Volume = string | { source: string; target: string };
/** A service of a compose file, as far as the tests read it. */
export interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: unknown;
  networks?: string[] | Record<string, unknown>;
  ports?: Port[];
  volumes?: Volume[];
}
export interface Compose { services: Record<string, ComposeService>; networks?: Record<string, { internal?: boolean } | null> }

export const REGION_COMPOSE_FILE = 'deploy/region/docker-compose.yml';
export const REGION_ENV_EXAMPLE = 'deploy/region/region.env.example';

// .ci/run installs Debian's docker-compose, so CI always runs the checks that need it; elsewhere it may be absent.
const composeBinary = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find(existsSync);

/** Skips the test, saying why, where docker-compose is not installed. */
export function needsCompose(context: TestContext): void {
  if (composeBinary) return;
  const reason = 'skipped: docker-compose is not installed (apt-get install docker-compose)';
  console.warn(`${context.task.name} ${reason}`);
  context.skip(reason);
}

/** docker-compose's own reading of a file with an env file: interpolated, merged. Throws with its message. */
export function composeConfig(file: string, envFile: string): Compose {
  const output = execFileSync(composeBinary!, ['--env-file', envFile, '-f', file, 'config'],
    { env: { PATH: process.env.PATH }, encoding: 'utf8', stdio: 'pipe' });
  return parse(output) as Compose;
}

/** A setting's value as the README has operators write it into a .env: each line of a PEM ends in \n (awk 'NF { printf "%s\\n", $0 }'). */
export const envFileValue = (value: string): string =>
  (value.includes('\n') ? value.split('\n').filter(Boolean).map((line) => `${line}\\n`).join('') : value);

/** A .env of these settings, one a line. */
export function writeEnvFile(path: string, settings: Record<string, string>): string {
  writeFileSync(path, Object.entries(settings).map(([key, value]) => `${key}=${envFileValue(value)}\n`).join(''));
  return path;
}

/** deploy/region/region.env.example as a region's team fills it in: these settings replace the example's. */
export function writeFilledRegionEnv(path: string, settings: Record<string, string>): string {
  let text = readFileSync(REGION_ENV_EXAMPLE, 'utf8');
  for (const [key, value] of Object.entries(settings)) {
    const line = new RegExp(`^${key}=.*$`, 'm');
    if (!line.test(text)) throw new Error(`${REGION_ENV_EXAMPLE} has no setting ${key}`);
    text = text.replace(line, () => `${key}=${envFileValue(value)}`);
  }
  writeFileSync(path, text);
  return path;
}
