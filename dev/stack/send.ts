// `npm run send -- <function> [--invalid]`: posts a sample event to the running stack (npm start)
// and prints the function's answer. PORT is the functions' port, as for npm start.
import { parseSecrets } from '../../shared/webhook/secrets.js';
import { signWebhook } from '../../shared/webhook/signature.js';
import { FUNCTION_NAMES, isFunctionName, sample } from './samples.js';

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--'));
const invalid = args.includes('--invalid');
if (!isFunctionName(name) || args.some((a) => a.startsWith('--') && a !== '--invalid')) {
  console.error(`usage: npm run send -- <${FUNCTION_NAMES.join('|')}> [--invalid]`);
  process.exit(2);
}

const url = `http://127.0.0.1:${process.env.PORT || 3000}/${name}`;
const body = JSON.stringify(sample(name, { invalid }));
// Signed as a sender must when the functions check signatures (WEBHOOK_SECRETS in this environment too).
const keys = process.env.WEBHOOK_SECRETS ? parseSecrets(process.env.WEBHOOK_SECRETS) : [];
if (typeof keys === 'string') {
  console.error(`WEBHOOK_SECRETS: ${keys}`);
  process.exit(2);
}
const signature = keys.length > 0 ? signWebhook(keys, Buffer.from(body)) : {};
console.log(`POST ${url}\n${body}\n`);
try {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signature }, body });
  const text = await res.text();
  let shown = text;
  try {
    shown = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not JSON: print it as it came.
  }
  console.log(`${res.status} ${res.statusText}\n${shown}`);
} catch (err) {
  console.error(
    `Nothing answered at ${url} (${(err as Error).cause ?? err}). Is the stack running? Start it with npm start.`,
  );
  process.exit(1);
}
