'use strict';
// CPU per parse of one TOP-sized answer by llhttp (the build's llhttp.wasm, the first argument),
// compiled for Liftoff only (`liftoff`, as the bundles do) or left to V8's tiering (`tiered`: TurboFan
// once warm). One process each, as V8 shares a compiled module among modules of the same bytes.
// Writes { us, bytes } to fd 3. The callbacks are empty: they are the same JavaScript whichever
// compiler ran the parser.
const { readFileSync, writeSync } = require('node:fs');
const { setFlagsFromString } = require('node:v8');

const [wasm, mode] = process.argv.slice(2);
const bytes = readFileSync(wasm);
const body = JSON.stringify({
  tmall_popupstore_park_backflow_response: { result: { success: true, code: '0' }, request_id: 'fba90gqkkb7c' },
});
const answer = Buffer.from(
  `HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: ${body.length}\r\n` +
    `Connection: keep-alive\r\nDate: Tue, 01 Dec 2026 17:00:00 GMT\r\nServer: Tengine\r\n\r\n${body}`,
);
const none = () => 0;
const env = Object.fromEntries(
  [
    'url',
    'status',
    'message_begin',
    'header_field',
    'header_value',
    'headers_complete',
    'body',
    'message_complete',
  ].map((name) => [`wasm_on_${name}`, none]),
);

function perParseUs(liftoffOnly) {
  if (liftoffOnly) setFlagsFromString('--liftoff-only');
  const module = new WebAssembly.Module(bytes);
  if (liftoffOnly) setFlagsFromString('--no-liftoff-only');
  const llhttp = new WebAssembly.Instance(module, { env }).exports;
  const parser = llhttp.llhttp_alloc(2); // a response parser
  const at = llhttp.malloc(answer.length);
  new Uint8Array(llhttp.memory.buffer, at, answer.length).set(answer);
  const parse = (n) => {
    for (let i = 0; i < n; i++)
      if (llhttp.llhttp_execute(parser, at, answer.length) !== 0) throw new Error('parse error');
  };
  parse(50_000); // enough for V8 to tier up, if it will
  const until = Date.now() + 300; // and for its background compile to land
  while (Date.now() < until);
  const count = 200_000;
  const cpu = process.cpuUsage();
  parse(count);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / count;
}

writeSync(3, JSON.stringify({ us: perParseUs(mode === 'liftoff'), bytes: answer.length }));
