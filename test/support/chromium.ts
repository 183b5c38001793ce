// A Chromium for the browser test: the system's when there is one, otherwise the one the npm package
// @sparticuz/chromium ships (brotli-compressed), so `npm ci && npm test` needs no browser installed by hand.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const INSTALL_HINT = 'apt-get install chromium, or set CHROME_PATH to a Chromium or Chrome binary';

const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

function systemChromium(): string | undefined {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH=${fromEnv} does not exist: ${INSTALL_HINT}`);
    return fromEnv;
  }
  return SYSTEM_PATHS.find((path) => existsSync(path));
}

/**
 * Unpacks the package's Chromium once per package version into node_modules/.cache. The package itself
 * unpacks into the temporary directory, so it is pointed at a private one that is renamed into place when
 * complete: a test run beside this one never starts a half-written binary.
 */
async function packagedChromium(): Promise<string> {
  const pkg = join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', '..');
  const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string };
  const cache = join(pkg, '..', '..', '.cache', 'parkflow-chromium');
  const home = join(cache, version);
  const binary = join(home, 'chromium');
  if (existsSync(binary)) return binary;
  mkdirSync(cache, { recursive: true });
  const staging = mkdtempSync(join(cache, `${version}-`));
  const tmpdir = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    const { default: chromium } = await import('@sparticuz/chromium');
    await chromium.executablePath();
  } finally {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
  }
  try {
    renameSync(staging, home);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another run put its copy in place first
  }
  return binary;
}

/** The path of a Chromium that starts here, or an error that names what to install. */
export async function findChromium(): Promise<string> {
  const path = systemChromium() ?? (await packagedChromium().catch(unpackFailed));
  try {
    execFileSync(path, ['--version'], { stdio: 'pipe', timeout: 30_000 });
  } catch (err) {
    const why = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0] || String(err);
    throw new Error(`${path} does not start (${why}): ${INSTALL_HINT}`);
  }
  return path;
}

function unpackFailed(err: unknown): never {
  throw new Error(
    `no Chromium on this machine and @sparticuz/chromium could not be unpacked (${err}): ${INSTALL_HINT}`,
  );
}
