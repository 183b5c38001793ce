// `npm start`: the four functions on serverless-offline, the TOP sandbox and the console, on this machine.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { curlFor, FUNCTION_NAMES } from './samples.js';
import { startStack } from './stack.js';

const ENV_FILE = join(import.meta.dirname, '..', '..', '.env');
// Values already in the environment win over the file's.
if (existsSync(ENV_FILE)) process.loadEnvFile(ENV_FILE);

function port(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new Error(`${name} must be a port number (0 for any free one)`);
  return n;
}

const stack = await startStack({
  port: port('PORT', 3000),
  consolePort: port('CONSOLE_PORT', 3001),
  sandboxPort: port('SANDBOX_PORT', 3002),
  onOutput: (line) => console.log(line),
});

const masked = `${stack.appKey.slice(0, 2)}****${stack.appKey.slice(-2)}`;
const top = stack.ownKeys
  ? `TOP          ${stack.gatewayUrl}  (your app ${masked}, from the environment or .env)`
  : `TOP sandbox  ${stack.gatewayUrl}  (test app ${stack.appKey}; admin API ${stack.sandbox.origin}/_admin)`;
console.log(`
parkflow is running locally: serverless.yml on serverless-offline, stage local.

  functions    ${stack.functionsUrl}  (POST /${FUNCTION_NAMES.join(', /')})
  console      ${stack.consoleUrl}
  ${top}

Send an event (or: npm run send -- arrive, and --invalid for a broken one):
${FUNCTION_NAMES.map((name) => `  ${curlFor(stack.functionsUrl, name)}`).join('\n')}

Ctrl-C stops it.
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stack.close().then(() => process.exit(0));
  });
}
