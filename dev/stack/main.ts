// `npm start`: the four functions on serverless-offline, the TOP sandbox and the console, on this machine.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { exitWith, UsageError } from '../../scripts/cli.js';
import { FUNCTION_NAMES } from '../../shared/registry.js';
import { curlFor } from './samples.js';
import { startStack } from './stack.js';

const ENV_FILE = join(import.meta.dirname, '..', '..', '.env');
// Values already in the environment win over the file's.
if (existsSync(ENV_FILE)) process.loadEnvFile(ENV_FILE);

const PORTS = { PORT: 3000, CONSOLE_PORT: 3001, SANDBOX_PORT: 3002, LAMBDA_PORT: 3003 };
type PortName = keyof typeof PORTS;

function port(name: PortName): number {
  const text = process.env[name];
  if (text === undefined || text === '') return PORTS[name];
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new UsageError(`${name} must be a port number (0 for any free one)`);
  return n;
}

/** Says which setting to change when a port is taken (by an earlier npm start, say), before anything starts. */
async function ensureFree(name: PortName, port: number): Promise<void> {
  if (port === 0) return;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new UsageError(
              `port ${port} is in use (another npm start?): stop it, or set ${name} to a free port (0 picks one)`,
            )
          : err,
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

async function start() {
  const ports = Object.fromEntries(Object.keys(PORTS).map((name) => [name, port(name as PortName)])) as typeof PORTS;
  for (const [name, value] of Object.entries(ports)) await ensureFree(name as PortName, value);
  return startStack({
    port: ports.PORT,
    consolePort: ports.CONSOLE_PORT,
    sandboxPort: ports.SANDBOX_PORT,
    lambdaPort: ports.LAMBDA_PORT,
    onOutput: (line) => console.log(line),
  });
}

const stack = await start().catch(exitWith);

const masked = `${stack.appKey.slice(0, 2)}****${stack.appKey.slice(-2)}`;
const top = stack.ownKeys
  ? `TOP          ${stack.gatewayUrl}  (your app ${masked}, from the environment or .env)`
  : `TOP sandbox  ${stack.gatewayUrl}  (test app ${stack.appKey}; admin API ${stack.sandbox.origin}/_admin)`;
console.log(`
parkflow is running locally: serverless.yml on serverless-offline, stage local.

  functions    ${stack.functionsUrl}  (POST /${FUNCTION_NAMES.join(', /')})
  console      ${stack.consoleUrl}
  lambda API   ${stack.lambdaUrl}  (queue batches: npm run send -- arrive --queue)
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
