import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');

/** The deployed functions: one per entry in functions/, as scripts/build.mjs bundles them. */
export const FUNCTIONS = readdirSync(join(ROOT, 'functions'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => basename(f, '.ts'))
  .sort();

/** The deployable zip `npm run build` writes for a function. */
export const artifactPath = (name: string) => join(ROOT, 'dist', `${name}.zip`);
