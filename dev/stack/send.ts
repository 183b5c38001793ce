// `npm run send -- <function> [--invalid]`: posts a sample event to the running stack (npm start)
// and prints the function's answer; exits 1 when the function answers 4xx or 5xx. PORT is the
// functions' port, as for npm start. With --queue, batches of samples go the queue path instead
// (queue-send.ts), to LAMBDA_PORT.
import { parseArgs } from 'node:util';
import { networkFailure, runCommand, UsageError } from '../../scripts/cli.js';
import { FUNCTION_NAMES, isFunctionName } from '../../shared/registry.js';
import { parseSecrets } from '../../shared/webhook/secrets.js';
import { signWebhook } from '../../shared/webhook/signature.js';
import { sendToQueue } from './queue-send.js';
import { sample } from './samples.js';

const USAGE = `usage: npm run send -- <${FUNCTION_NAMES.join('|')}> [--invalid]
       npm run send -- <function> --queue [--count N] [--invalid K] [--fifo] [--platform aws|fc]`;

const count = (flag: string, text: string | undefined, min: number): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > 1000) throw new UsageError(`${flag} takes a whole number, ${min} to 1000`);
  return n;
};

function parse(argv: string[]) {
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    allowPositionals: true,
    tokens: true,
    options: {
      invalid: { type: 'boolean', default: false },
      queue: { type: 'boolean', default: false },
      fifo: { type: 'boolean', default: false },
      count: { type: 'string' },
      platform: { type: 'string', default: 'aws' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  // `--invalid K` on the queue path: the number after the flag.
  const at = tokens.findIndex((t) => t.kind === 'option' && t.name === 'invalid');
  const next = tokens[at + 1];
  const invalidCount = at >= 0 && next?.kind === 'positional' && /^\d+$/.test(next.value) ? next.value : undefined;
  const [name, ...rest] = positionals.filter((p) => p !== invalidCount);
  if (!isFunctionName(name) || rest.length > 0) throw new UsageError(USAGE.replace('\n       ', ' | '));
  const queued = values.queue || values.fifo || values.count !== undefined || values.platform !== 'aws';
  if (queued && !values.queue) throw new UsageError('--count, --fifo and --platform go with --queue');
  if (invalidCount !== undefined && !values.queue) throw new UsageError('--invalid K goes with --queue');
  const platform: 'aws' | 'fc' = values.platform === 'fc' ? 'fc' : 'aws';
  if (values.platform !== platform) throw new UsageError('--platform is aws or fc');
  if (values.fifo && values.platform === 'fc') throw new UsageError('--fifo is for SQS (--platform aws)');
  const total = values.count === undefined ? 10 : count('--count', values.count, 1);
  const invalid = invalidCount === undefined ? (values.invalid ? 1 : 0) : count('--invalid', invalidCount, 0);
  if (invalid > total) throw new UsageError(`--invalid ${invalid} is more than --count ${total}`);
  return { name, queue: values.queue, fifo: values.fifo, platform, count: total, invalid };
}

/** The Standard Webhooks headers, when the functions check signatures (WEBHOOK_SECRETS in this environment too). */
function signatureFor(body: string): Record<string, string> {
  if (!process.env.WEBHOOK_SECRETS) return {};
  const keys = parseSecrets(process.env.WEBHOOK_SECRETS);
  if (typeof keys === 'string') throw new UsageError(`WEBHOOK_SECRETS: ${keys}`);
  return signWebhook(keys, Buffer.from(body));
}

/** A network failure as the fix: start the stack, or point the setting at it. */
function stackDown(err: unknown, url: string, setting: string): unknown {
  const network = networkFailure(err);
  if (!network) return err;
  return new Error(
    `nothing answers at ${url}: ${network}. Is the stack running? Start it with npm start, or set ${setting} to its port.`,
  );
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
  const { name } = args;
  if (args.queue) {
    const lambdaUrl = `http://127.0.0.1:${process.env.LAMBDA_PORT || 3003}`;
    return sendToQueue({ ...args, lambdaUrl }, (line) => console.log(line)).catch((err) => {
      throw stackDown(err, lambdaUrl, 'LAMBDA_PORT');
    });
  }
  const url = `http://127.0.0.1:${process.env.PORT || 3000}/${name}`;
  const body = JSON.stringify(sample(name, { invalid: args.invalid > 0 }));
  const headers = { 'content-type': 'application/json', ...signatureFor(body) };
  console.log(`POST ${url}\n${body}\n`);
  const res = await fetch(url, { method: 'POST', headers, body }).catch((err) => {
    throw stackDown(err, url, 'PORT');
  });
  console.log(`${res.status} ${res.statusText}\n${pretty(await res.text())}`);
  return res.ok ? 0 : 1;
});
