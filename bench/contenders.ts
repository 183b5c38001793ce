// The bundles the benchmarks run, each built the way its contender would be shipped.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { bundleOptions, FUNCTIONS } from '../scripts/build.mjs';

const root = join(import.meta.dirname, '..');
const out = join(root, 'node_modules', '.cache', 'parkflow', 'bench');
const here = (file: string) => join(import.meta.dirname, file);

export type ContenderName = 'parkflow' | 'naive' | 'sdk';

export const CONTENDERS: Record<ContenderName, string> = {
  parkflow: 'parkflow',
  naive: '(a) naive build',
  sdk: '(b) node-taobao-topclient',
};

/** Per contender: where each function's bundle is, and its network-less twin for the CPU figures. */
export type Bundles = Record<ContenderName, Record<string, { file: string; offline: string }>>;

type Plugin = esbuild.Plugin;

/** Replaces a module (by the path it is imported as, from the project's own code) with another file. */
export const swap = (name: string, filter: RegExp, file: string): Plugin => ({
  name,
  setup(build) {
    build.onResolve({ filter }, (args) => (args.importer.includes('node_modules') ? undefined : { path: file }));
  },
});

/** (a): the same handler as anyone would first bundle it: zod classic, all of undici, no minification. */
const naive: Plugin[] = [
  swap('zod-classic', /^zod\/mini$/, join(root, 'node_modules', 'zod', 'index.js')),
  swap('undici-whole', /[\\/]transport\.js$/, here('naive-transport.ts')),
];
/** (b): the TOP client is node-taobao-topclient. */
const sdk: Plugin[] = [swap('sdk-client', /^\.\/top\/client\.js$/, here('sdk-client.ts'))];
/** No network: the transport (parkflow, (a)) or the `request` module ((b)) answers at once. */
const offline: Record<ContenderName, Plugin> = {
  parkflow: swap('offline', /[\\/]transport\.js$/, here('stubs/transport.ts')),
  naive: swap('offline', /[\\/]transport\.js$/, here('stubs/transport.ts')),
  sdk: {
    name: 'offline',
    setup(build) {
      build.onResolve({ filter: /^request$/ }, () => ({ path: here('stubs/request.ts') }));
    },
  },
};

async function bundle(contender: ContenderName, name: string, variant: 'real' | 'offline'): Promise<string> {
  const file = join(out, contender, variant, name, 'index.js');
  const options = bundleOptions(name, file);
  const base = options.plugins ?? [];
  const own = contender === 'naive' ? naive : contender === 'sdk' ? [...base, ...sdk] : base;
  await esbuild.build({
    ...options,
    minify: contender !== 'naive',
    plugins: variant === 'offline' ? [offline[contender], ...own] : own,
  });
  return file;
}

/** Builds every contender's bundles; parkflow's are built exactly as `npm run build` builds dist/. */
export async function buildContenders(): Promise<Bundles> {
  mkdirSync(out, { recursive: true });
  const bundles = {} as Bundles;
  for (const contender of Object.keys(CONTENDERS) as ContenderName[]) {
    bundles[contender] = {};
    for (const name of FUNCTIONS) {
      bundles[contender][name] = {
        file: await bundle(contender, name, 'real'),
        offline: await bundle(contender, name, 'offline'),
      };
    }
  }
  return bundles;
}

/** parkflow's bundle of `name` with `plugins` put before its own: a variant that one row measures. */
export async function buildVariant(variant: string, name: string, plugins: Plugin[]): Promise<string> {
  const file = join(out, 'parkflow', variant, name, 'index.js');
  const options = bundleOptions(name, file);
  await esbuild.build({ ...options, plugins: [...plugins, ...(options.plugins ?? [])] });
  return file;
}
