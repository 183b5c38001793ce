import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The integration tests run the real bundles, so build them once per run. */
export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
