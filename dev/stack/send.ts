// `npm run send -- <function> [--invalid]`: posts a sample event to the running stack (npm start)
// and prints the function's answer; exits 1 when the function answers 4xx or 5xx. PORT is the
// functions' port, as for npm start.
import { parseArgs } from 'node:util';
import { networkFailure, runCommand, UsageError } from '../../scripts/cli.js';
import { parseSecrets } from '../../shared/webhook/secrets.js';
import { signWebhook } from '../../shared/webhook/signature.js';
import { FUNCTION_NAMES, isFunctionName, sample } from './samples.js';

const USAGE = `usage: npm run send -- <${FUNCTION_NAMES.join('|')}> [--invalid]`;

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { invalid: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
  });
  const [name, ...rest] = positionals;
  if (values.help) return undefined;
  if (!isFunctionName(name) || rest.length > 0) throw new UsageError(USAGE);
  return { name, invalid: values.invalid };
}

/** The Standard Webhooks headers, when the functions check signatures (WEBHOOK_SECRETS in this environment too). */
function signatureFor(body: string): Record<string, string> {
  if (!process.env.WEBHOOK_SECRETS) return {};
  const keys = parseSecrets(process.env.WEBHOOK_SECRETS);
  if (typeof keys === 'string') throw new UsageError(`WEBHOOK_SECRETS: ${keys}`);
  return signWebhook(keys, Buffer.from(body));
}

/** Posts, or says how to start the stack when nothing answers. */
export async function reach(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    throw new Error(
      `nothing answers at ${url}: ${networkFailure(err) ?? err}. Is the stack running? Start it with npm start, or set PORT to its port.`,
    );
  }
}

const pretty = (text: string) => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text; // not JSON: as it came
  }
};

await runCommand(async () => {
  const args = parse(process.argv.slice(2));
  if (!args) {
    console.log(USAGE);
    return 0;
  }
  const { name, invalid } = args;
  const url = `http://127.0.0.1:${process.env.PORT || 3000}/${name}`;
  const body = JSON.stringify(sample(name, { invalid }));
  const headers = { 'content-type': 'application/json', ...signatureFor(body) };
  console.log(`POST ${url}\n${body}\n`);
  const res = await reach(url, { method: 'POST', headers, body });
  console.log(`${res.status} ${res.statusText}\n${pretty(await res.text())}`);
  return res.ok ? 0 : 1;
});
