// Builds one self-contained CommonJS bundle per function: dist/<name>/index.js and dist/<name>.zip.
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { zipSync } from 'fflate';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
/** The registered functions (shared/functions.json), each bundled from its functions/<name>.ts. */
export const FUNCTIONS = Object.keys(JSON.parse(readFileSync(join(root, 'shared', 'functions.json'), 'utf8')));

/**
 * undici's Pool reaches code we never run: the HTTP/2 client (we never set allowH2), the fetch body
 * helpers (our bodies are strings) and the SIMD build of llhttp (the baseline build, which undici
 * falls back to by itself, parses our small answers as fast). Each is replaced by a stand-in that
 * throws if ever used (or, for llhttp's constants, by the part undici reads), which keeps each
 * bundle smaller and faster to load.
 */
const unused = (what) =>
  `function unused() { throw new Error(${JSON.stringify(`${what} is left out of parkflow's bundle`)}); }`;

/** Of llhttp's constants (10 KB), undici's HTTP/1 client reads only the parser type and the error codes. */
function llhttpConstants() {
  const { TYPE, ERROR } = require('undici/lib/llhttp/constants.js');
  return `module.exports = ${JSON.stringify({ TYPE, ERROR })};`;
}

/** llhttp's WebAssembly, which undici ships as 70 KB of base64 inside its JavaScript. */
export const LLHTTP_WASM = 'llhttp.wasm';

/**
 * The parser goes beside the bundle as a binary file instead: 53 KB to read (and not one 70 KB
 * string for V8 to scan on every cold start). Read on the first send, when undici is loaded.
 */
const llhttpFromFile = () =>
  `module.exports = require('node:fs').readFileSync(require('node:path').join(__dirname, ${JSON.stringify(LLHTTP_WASM)}));`;

/**
 * undici's diagnostics module also wires NODE_DEBUG=undici logging for every channel (3 KB); the bundle
 * keeps the channels themselves, so tracing tools that subscribe to them still see every request.
 */
function undiciChannels() {
  const source = readFileSync(require.resolve('undici/lib/core/diagnostics.js'), 'utf8');
  const channels = [...source.matchAll(/(\w+): diagnosticsChannel\.channel\('([^']+)'\)/g)].map(
    ([, key, name]) => `${key}: channel(${JSON.stringify(name)})`,
  );
  if (channels.length < 10)
    throw new Error('undici/lib/core/diagnostics.js no longer lists its channels as the build expects');
  return `const { channel } = require('node:diagnostics_channel');\nmodule.exports = { channels: { ${channels.join(', ')} } };`;
}

const UNDICI_REPLACED = {
  'dispatcher/client-h2.js': () => `module.exports = ${unused('HTTP/2')};`,
  'web/fetch/body.js': () => `module.exports = { extractBody: ${unused('fetch body handling')} };`,
  // Required inside a try: throwing on load makes undici use the baseline build.
  'llhttp/llhttp_simd-wasm.js': () => `(${unused('the SIMD build of llhttp')})();`,
  'llhttp/constants.js': llhttpConstants,
  'core/diagnostics.js': undiciChannels,
  'llhttp/llhttp-wasm.js': llhttpFromFile,
};

/**
 * undici reads node:http for two things only: the default maximum header size (our pool sets its
 * own) and IncomingMessage, to tell a request body that is one (ours are strings). Loading node:http
 * for them would cost every cold start its HTTP server and client modules.
 */
const HTTP_STAND_IN = `module.exports = { maxHeaderSize: ${16 * 1024}, IncomingMessage: class IncomingMessage {} };`;

/**
 * undici's HTTP/1 client compiles llhttp with the global WebAssembly; it gets one that compiles the
 * parser for Liftoff only (shared/top/llhttp-module.ts says why).
 */
const LLHTTP_MODULE = join(root, 'shared', 'top', 'llhttp-module.ts');
const withLiftoffParser = (source) => `const WebAssembly = require(${JSON.stringify(LLHTTP_MODULE)});\n${source}`;

/**
 * undici turns a string body into a Buffer (core/request.js), which the HTTP/1 client writes in one
 * go (writeBuffer); its writers for streamed, Blob and async-iterable bodies (3 KB minified) are never
 * reached by our sends. Each becomes a stand-in that fails its request with an error saying so. Cut
 * between function heads, so an undici that moves them fails the build instead of shipping a half-cut
 * module.
 */
function withBufferBodiesOnly(source) {
  const cut = (text, from, to, standIn) => {
    const start = text.indexOf(from);
    const end = text.indexOf(to, start);
    if (start < 0 || end < 0 || text.indexOf(from, start + 1) >= 0)
      throw new Error(`undici/lib/dispatcher/client-h1.js no longer has ${from.trim()} where the build expects it`);
    return `${text.slice(0, start)}\n${standIn}\n${text.slice(end)}`;
  };
  // Their first argument is the request's abort: the request fails, the process goes on.
  const standIn = (name) =>
    `function ${name}(abort) { abort(new Error(${JSON.stringify(`request bodies other than strings and Buffers are left out of parkflow's bundle (undici's ${name})`)})); }`;
  // writeStream ends where writeBuffer begins; writeBlob, writeIterable and AsyncWriter run to the export.
  const streamed = cut(source, '\nfunction writeStream (', '\nfunction writeBuffer (', standIn('writeStream'));
  return cut(
    streamed,
    '\nasync function writeBlob (',
    '\nmodule.exports = connectH1',
    `${standIn('writeBlob')}\n${standIn('writeIterable')}`,
  );
}

/**
 * undici's errors of parts the bundle does not carry (retries, balanced pools, proxies, WebSocket):
 * no bundled module names them (test/undici-slim.test.ts checks). Each becomes a stand-in that throws
 * if ever used; the build fails if one is no longer where it expects.
 */
export const UNUSED_UNDICI_ERRORS = [
  'InvalidReturnValueError',
  'BalancedPoolMissingUpstreamError',
  'RequestRetryError',
  'ResponseError',
  'SecureProxyConnectionError',
  'MaxOriginsReachedError',
  'Socks5ProxyError',
  'MessageSizeExceededError',
];

function withoutUnusedErrors(source) {
  let out = `const leftOut = (name) => function () { throw new Error(\`undici's \${name} is left out of parkflow's bundle\`); };\n${source}`;
  for (const name of UNUSED_UNDICI_ERRORS) {
    const block = new RegExp(
      `\\n(?:const k${name} = Symbol\\.for\\('[^']+'\\)\\n)?class ${name} extends UndiciError \\{\\n[\\s\\S]*?\\n\\}\\n`,
    );
    if (!block.test(out)) throw new Error(`undici/lib/core/errors.js no longer defines ${name} as the build expects`);
    out = out.replace(block, `\nconst ${name} = leftOut('${name}');\n`);
  }
  return out;
}

const slimUndici = {
  name: 'slim-undici',
  setup(build) {
    build.onResolve({ filter: /^node:http$/ }, (args) =>
      /[\\/]undici[\\/]lib[\\/]/.test(args.importer) ? { path: 'node:http', namespace: 'undici-http' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'undici-http' }, () => ({ contents: HTTP_STAND_IN, loader: 'js' }));
    build.onEnd((result) => {
      if (result.errors.length === 0)
        writeFileSync(
          join(dirname(build.initialOptions.outfile), LLHTTP_WASM),
          require('undici/lib/llhttp/llhttp-wasm.js'),
        );
    });
    build.onLoad({ filter: /[\\/]undici[\\/]lib[\\/]/ }, (args) => {
      const rel = args.path.replace(/\\/g, '/').split('/undici/lib/')[1];
      if (rel === 'dispatcher/client-h1.js')
        return {
          contents: withLiftoffParser(withBufferBodiesOnly(readFileSync(args.path, 'utf8'))),
          loader: 'js',
          resolveDir: dirname(args.path),
        };
      if (rel === 'core/errors.js')
        return { contents: withoutUnusedErrors(readFileSync(args.path, 'utf8')), loader: 'js' };
      const contents = UNDICI_REPLACED[rel];
      return contents ? { contents: contents(), loader: 'js' } : undefined;
    });
  },
};

/** The esbuild options of one function's bundle; the benchmarks build their variants from these. */
export function bundleOptions(name, outfile) {
  return {
    entryPoints: [join(root, 'functions', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    // Shipped by the runtimes (Lambda: AWS SDK v3; FC: fc2) and loaded only where used.
    external: ['@aws-sdk/*', '@alicloud/fc2'],
    // Set by undici only under Jest; defined away so the check and its branch drop out.
    define: { 'process.env.JEST_WORKER_ID': 'undefined' },
    plugins: [slimUndici],
    logLevel: 'warning',
  };
}

export async function build({ quiet = false } = {}) {
  const dist = join(root, 'dist');
  rmSync(dist, { recursive: true, force: true });
  const sizes = {};
  await Promise.all(
    FUNCTIONS.map(async (name) => {
      const outfile = join(dist, name, 'index.js');
      await esbuild.build(bundleOptions(name, outfile));
      const code = readFileSync(outfile);
      const wasm = readFileSync(join(dirname(outfile), LLHTTP_WASM));
      const file = { level: 9, mtime: new Date('2020-01-01') };
      writeFileSync(join(dist, `${name}.zip`), zipSync({ 'index.js': [code, file], [LLHTTP_WASM]: [wasm, file] }));
      sizes[name] = code.length;
    }),
  );
  // The repo is ESM; the bundles are CommonJS, as the FaaS runtimes load index.js without a package.json.
  writeFileSync(join(dist, 'package.json'), '{ "type": "commonjs" }\n');
  if (!quiet) {
    const wasmKb = (statSync(join(dist, FUNCTIONS[0], LLHTTP_WASM)).size / 1024).toFixed(1);
    for (const name of FUNCTIONS)
      console.log(
        `dist/${name}/index.js ${(sizes[name] / 1024).toFixed(1)} KB, with ${LLHTTP_WASM} ${wasmKb} KB beside it`,
      );
  }
  return sizes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
