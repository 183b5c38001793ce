// `npm run sign -- <file or JSON>`: signs an event as a webhook sender must (Standard Webhooks), and
// prints the three headers and a curl that posts it. `npm run sign -- --new-secret` makes a secret.
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { newSecret, parseSecrets } from '../shared/webhook/secrets.js';
import { signWebhook } from '../shared/webhook/signature.js';
import { runCommand, UsageError } from './cli.js';

const USAGE = `usage: npm run sign -- <file | JSON> [--secret whsec_…] [--url URL]
       npm run sign -- --new-secret

Signs with --secret, or else with every secret in WEBHOOK_SECRETS. The curl posts to --url, or to "$URL".`;

function fail(message: string): never {
  throw new UsageError(`${message} (npm run sign -- --help for usage)`);
}

/** The event: a file's bytes, or the argument itself when it is JSON text. */
function eventOf(input: string): { body: Buffer; fromFile: boolean } {
  if (existsSync(input)) return { body: readFileSync(input), fromFile: true };
  try {
    JSON.parse(input);
  } catch {
    fail(`${input} is neither a file nor JSON text`);
  }
  return { body: Buffer.from(input), fromFile: false };
}

await runCommand(() => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      secret: { type: 'string' },
      url: { type: 'string' },
      'new-secret': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values['new-secret']) {
    console.log(newSecret());
    return 0;
  }

  const [input] = positionals;
  if (input === undefined || positionals.length > 1) fail('Give one event: a file, or the JSON text itself.');
  const { body, fromFile } = eventOf(input);

  const secrets = values.secret ?? process.env.WEBHOOK_SECRETS;
  if (!secrets) fail('No secret: pass --secret whsec_… or set WEBHOOK_SECRETS.');
  const keys = parseSecrets(secrets);
  if (typeof keys === 'string') fail(`The secret cannot be used: ${keys}.`);

  const headers = signWebhook(keys, body);
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  const curl = [
    `curl -X POST ${values.url ? quote(values.url) : '"$URL"'}`,
    `-H 'content-type: application/json'`,
    ...lines.map((line) => `-H ${quote(line)}`),
    `--data-binary ${fromFile ? quote(`@${input}`) : quote(input)}`,
  ].join(' \\\n  ');
  console.log(`${lines.join('\n')}\n\n${curl}`);
  return 0;
});
