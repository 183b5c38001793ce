// Setup file: the functions' JSON log lines (one per event, from the bundles and handlers that tests
// load in-process) are held per test and printed only when that test fails. Everything else passes.
// Tests that read the lines themselves (support/output.ts) spy on the streams on top of this.
import { beforeEach } from 'vitest';

/** The functions write each log line as one JSON object and a newline, in one write. */
const isLogLine = (chunk: unknown): chunk is string =>
  typeof chunk === 'string' && chunk.startsWith('{') && chunk.endsWith('}\n');

type Write = NodeJS.WriteStream['write'];
let held: string[] = [];

function holdLogLines(stream: NodeJS.WriteStream): Write {
  const write = stream.write.bind(stream) as Write;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (!isLogLine(chunk)) return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    held.push(chunk);
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    if (done) process.nextTick(done);
    return true;
  }) as Write;
  return write;
}

holdLogLines(process.stdout);
const writeErr = holdLogLines(process.stderr);

beforeEach(({ onTestFinished }) => {
  onTestFinished(({ task }) => {
    if (task.result?.state === 'fail' && held.length > 0)
      writeErr(`\nThe functions' log lines during "${task.name}":\n${held.join('')}\n`);
    held = [];
  });
});
