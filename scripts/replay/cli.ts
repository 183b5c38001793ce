import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SANDBOX_APP_KEY, SANDBOX_APP_SECRET } from '../../dev/sandbox/types.js';
import { withTopSecret } from '../../shared/cloud/top-secret.js';
import { ConfigError, loadConfig } from '../../shared/config.js';
import { openStore } from '../../shared/idempotency/open-store.js';
import { openLimiter } from '../../shared/limit/open.js';
import { settled } from '../../shared/outcome.js';
import { closePools } from '../../shared/top/transport.js';
import { commandResult, UsageError } from '../cli.js';
import { progressBar } from './progress.js';
import { type Replayed, replay } from './replay.js';
import { fileItems, type ReplayItem, sqsItems } from './sources.js';

const USAGE = `Usage: npm run replay -- <file | SQS queue URL> [--function <name>] [--local]

Re-sends dead-lettered events through the same pipeline as the functions (validation,
idempotency, TOP). <file> holds one dead letter (or raw event body) a line, or a JSON array;
an SQS queue URL is drained, and each message replayed successfully is deleted from it.
--function names the function for raw event bodies (arrive, leave, pay, payinfo-sync).
Settings come from the environment, as in the functions (TOP_*, IDEMPOTENCY_REDIS_URL);
--local replays to the sandbox of the running npm start instead (SANDBOX_PORT, default 3002).`;

function summarise(replayed: Replayed[]): string {
  const counts = new Map<string, number>();
  for (const { result } of replayed) {
    const o = result.outcome;
    const key = o.kind === 'delivered' && o.duplicate ? 'delivered before (not sent again)' : o.kind;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const lines = [`Replayed ${replayed.length} event(s):`, ...[...counts].map(([k, n]) => `  ${k}: ${n}`)];
  for (const { item, result } of replayed.filter((r) => !settled(r.result))) {
    const o = result.outcome;
    const why =
      'message' in o ? o.message : o.kind === 'rejected' || o.kind === 'transient' ? o.failure.message : o.kind;
    lines.push(`  not done: ${item.function} ${item.id}: ${o.kind}: ${why}`);
  }
  return lines.join('\n');
}

/** The settings of the functions under npm start: its sandbox's test app, after checking the sandbox answers. */
async function localSettings() {
  const origin = `http://127.0.0.1:${process.env.SANDBOX_PORT || 3002}`;
  try {
    await fetch(`${origin}/_admin/faults`);
  } catch {
    throw new UsageError(
      `nothing answers at ${origin}: start the stack with npm start, or set SANDBOX_PORT to its port`,
    );
  }
  return loadConfig({
    ...process.env,
    TOP_APP_KEY: SANDBOX_APP_KEY,
    TOP_APP_SECRET: SANDBOX_APP_SECRET,
    TOP_GATEWAY_URL: `${origin}/router/rest`,
  });
}

async function configured() {
  try {
    return loadConfig(await withTopSecret(process.env));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new UsageError(
      `${err.message} Set them in the environment, or pass --local to replay to npm start's sandbox.`,
    );
  }
}

export const main = (argv: string[]) => commandResult(() => replayCommand(argv));

async function replayCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { function: { type: 'string' }, help: { type: 'boolean' }, local: { type: 'boolean' } },
  });
  const [source] = positionals;
  if (values.help || !source) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const settings = values.local ? await localSettings() : await configured();
  const store = openStore(settings);
  const limiter = openLimiter(settings, store);
  const fromQueue = /^https?:\/\//.test(source);
  const items: ReplayItem[] = fromQueue ? await sqsItems(source, values.function) : fileItems(source, values.function);
  const bar = progressBar(items.length);
  bar.update(0, 'starting');
  try {
    const replayed = await replay(items, settings, store, limiter, (done) => bar.update(done, 'replayed'));
    console.error(summarise(replayed));
    const remaining = replayed.filter((r) => !settled(r.result));
    if (!fromQueue && remaining.length > 0) {
      const file = `${source}.remaining.jsonl`;
      writeFileSync(file, `${remaining.map((r) => r.item.raw).join('\n')}\n`);
      console.error(`The ${remaining.length} not done are in ${file}.`);
    }
    return remaining.length === 0 ? 0 : 1;
  } finally {
    await store.close();
    await limiter.backend.close();
    await closePools();
  }
}
