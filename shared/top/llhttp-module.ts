import { setFlagsFromString } from 'node:v8';

/**
 * The `WebAssembly` that undici's HTTP/1 client sees inside a bundle (scripts/build.mjs points it
 * here). It compiles llhttp for Liftoff, V8's baseline compiler, only: left to itself V8 recompiles
 * the parser's 33 KB main function with TurboFan in a background thread within the first events,
 * 50–300 ms of CPU and up to 35 MB that a small instance pays for out of its first invocations.
 * A warm instance parses a few hundred bytes of TOP answer per event, where the faster code gains
 * little. Why and how it is guarded: docs/decisions.md §11.
 */

interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => object;
}

const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

const FLAG = '--liftoff-only';

/**
 * V8 reads the flag when it makes the module and keeps it for the module's life, so it is on only
 * for this call: set for the whole process it would change V8's flag hash, and node would reject
 * its code cache for every module loaded after. Someone who starts node with the flag keeps it.
 */
function Module(bytes: Uint8Array): object {
  if (process.execArgv.includes(FLAG)) return new wasm.Module(bytes);
  setFlagsFromString(FLAG);
  try {
    return new wasm.Module(bytes);
  } finally {
    setFlagsFromString('--no-liftoff-only');
  }
}

export const { Instance } = wasm;
export { Module };
