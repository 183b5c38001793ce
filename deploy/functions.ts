import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');

/** The deployed functions: the registry's, as scripts/build.mjs bundles them. */
export { FUNCTION_NAMES as FUNCTIONS } from '../shared/registry.js';

/** The deployable zip `npm run build` writes for a function. */
export const artifactPath = (name: string) => join(ROOT, 'dist', `${name}.zip`);
