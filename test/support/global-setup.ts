import { build } from '../../scripts/build.mjs';

/** The integration tests run the real bundles, so build them once per run (quietly: npm run build prints the sizes). */
export default async function setup(): Promise<void> {
  await build({ quiet: true });
}
