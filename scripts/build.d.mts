// Types of build.mjs, for the benchmarks (TypeScript) that build their variants from its options.
import type { BuildOptions } from 'esbuild';

export const FUNCTIONS: string[];
export const UNUSED_UNDICI_ERRORS: string[];
export function bundleOptions(name: string, outfile: string): BuildOptions;
export function build(options?: { quiet?: boolean }): Promise<Record<string, number>>;
