import type { ParkApi } from '../shared/apis/api.js';
import { FUNCTION_NAMES } from '../shared/registry.js';

/**
 * Every registered function's API, from its entry in functions/ (for tools and tests, never a
 * bundle; esbuild bundles every entry for this pattern).
 */
export const loadApis = (): Promise<ParkApi[]> =>
  Promise.all(FUNCTION_NAMES.map(async (name) => ((await import(`../functions/${name}.ts`)) as { api: ParkApi }).api));
