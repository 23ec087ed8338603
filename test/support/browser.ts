import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';
import { processAlive } from '../../scripts/lib/process-alive.js';

/**
 * The test's own flags. Of @sparticuz/chromium's recommended `chromium.args` none is needed outside
 * AWS Lambda: `--single-process` and `--no-zygote` only work around Lambda's sandbox (the normal
 * multi-process browser starts here), `--use-angle=swiftshader` is moot with `--disable-gpu`, and
 * `--disable-web-security` would switch off the very policies the dashboard test checks.
 */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Where @sparticuz/chromium unpacks its binary; fixed, so every process on the machine shares it. */
const UNPACKED = join(tmpdir(), 'chromium');
const LOCK = `${UNPACKED}.lock`;
/** Written once an unpacking has finished, naming the package version it came from. */
const DONE = `${UNPACKED}.done`;
const VERSION: string = JSON.parse(readFileSync(
  join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', 'package.json'), 'utf8')).version;

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** False only for a process id that surely no longer runs; an empty lock file is one being written. */
const running = (pid: number): boolean => !Number.isInteger(pid) || pid <= 0 || processAlive(pid);

/** Takes the machine-wide unpacking lock: a file holding our process id, taken over when its holder died. */
async function lock(): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!running(Number(read(LOCK)))) rmSync(LOCK, { force: true });
    else if (Date.now() > deadline) throw new Error(`Chromium is still being unpacked after 60 s; remove ${LOCK} if no test runs.`);
    else await sleep(100);
  }
}

/**
 * The binary of @sparticuz/chromium, unpacked by one process at a time. The package itself returns
 * `/tmp/chromium` as soon as the file exists, so a second process starting at the same moment would
 * launch a half-written binary (ETXTBSY or a crash); and it keeps an old version's binary after an
 * update. Without our marker for this version, whatever lies there is replaced.
 */
async function unpackedChromium(): Promise<string> {
  await lock();
  try {
    if (read(DONE) === VERSION && existsSync(UNPACKED)) return UNPACKED;
    rmSync(UNPACKED, { force: true });
    const path = await sparticuz.executablePath();
    writeFileSync(DONE, VERSION);
    return path;
  } finally {
    rmSync(LOCK, { force: true });
  }
}

/**
 * A headless Chromium for the end-to-end tests: the one the dev dependency @sparticuz/chromium ships
 * (unpacked to the temp folder on first use), so no system browser is needed. The environment
 * variable HUB_CHROMIUM names another executable to use instead, e.g. `HUB_CHROMIUM=/usr/bin/chromium`.
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.HUB_CHROMIUM || await unpackedChromium();
  return chromium.launch({ executablePath, args: ARGS });
}
