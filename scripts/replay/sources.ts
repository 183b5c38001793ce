import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { deadLetterSchema } from '../../shared/dead-letter/message.js';
import { plainOrBase64 } from '../../shared/triggers/message-body.js';

/** One event to replay: which function, its body, and how to take it off its source once done. */
export interface ReplayItem {
  id: string;
  function: string;
  body: string;
  /** Present when the source is a queue: removes the message. */
  remove?: () => Promise<void>;
  /** The text as found, for the file of what remains. */
  raw: string;
}

/**
 * A parkflow dead letter names its function; anything else is taken as the event body itself (what
 * a platform's own redrive moves to a dead-letter queue), sent to `fallbackFunction`.
 */
function readItem(raw: string, id: string, fallbackFunction: string | undefined): ReplayItem {
  const text = plainOrBase64(raw);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const letter = z.safeParse(deadLetterSchema, parsed);
  if (letter.success) return { id: letter.data.record_id, function: letter.data.function, body: letter.data.body, raw };
  if (!fallbackFunction) {
    throw new Error(`${id} is not a parkflow dead letter; pass --function <name> to replay raw event bodies.`);
  }
  return { id, function: fallbackFunction, body: text, raw };
}

/** A file of dead letters: one JSON value a line, or one JSON array. */
export function fileItems(path: string, fallbackFunction: string | undefined): ReplayItem[] {
  const text = readFileSync(path, 'utf8');
  if (text.trimStart().startsWith('[')) {
    const values = JSON.parse(text) as unknown[];
    return values.map((v, i) =>
      readItem(typeof v === 'string' ? v : JSON.stringify(v), `${path}[${i}]`, fallbackFunction),
    );
  }
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), i }))
    .filter(({ line }) => line !== '')
    .map(({ line, i }) => readItem(line, `${path}:${i + 1}`, fallbackFunction));
}

/** Every message now in an SQS queue (received in batches of 10 until none is left); each is deleted once replayed. */
export async function sqsItems(queueUrl: string, fallbackFunction: string | undefined): Promise<ReplayItem[]> {
  const sdk = await import('@aws-sdk/client-sqs');
  const client = new sdk.SQSClient({});
  const items: ReplayItem[] = [];
  for (;;) {
    const got = await client.send(
      new sdk.ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        // Long enough to replay them all before any shows up again.
        VisibilityTimeout: 900,
      }),
    );
    const messages = got.Messages ?? [];
    if (messages.length === 0) return items;
    for (const m of messages) {
      const item = readItem(m.Body ?? '', m.MessageId ?? 'message', fallbackFunction);
      item.remove = async () => {
        await client.send(new sdk.DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
      };
      items.push(item);
    }
  }
}
