// How every command-line tool of the project fails: one line on stderr that says what is wrong and what to
// set or pass instead, and a non-zero exit code. The stack trace only when DEBUG is set.

/** A mistake in how the command was called or set up; its message names the fix. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH']);

interface SystemError {
  code?: string;
  path?: string;
  address?: string;
  hostname?: string;
  port?: number;
  cause?: unknown;
}

/** A network failure (the error itself or the cause a failed fetch carries), as `cannot reach host:port (CODE)`. */
export function networkFailure(err: unknown): string | undefined {
  for (let e = err as SystemError | undefined; e && typeof e === 'object'; e = e.cause as SystemError | undefined) {
    if (e.code && NETWORK_CODES.has(e.code)) {
      const where = [e.hostname ?? e.address, e.port].filter((part) => part !== undefined).join(':');
      return `cannot reach ${where || 'the server'} (${e.code})`;
    }
  }
  return undefined;
}

/** One line for an error: Node's system errors in plain words, anything else by the first line of its message. */
function describeError(err: unknown): string {
  const e = (err ?? {}) as SystemError & { message?: string };
  if (e.code === 'ENOENT' && e.path) return `${e.path}: no such file`;
  if (e.code === 'EACCES' && e.path) return `${e.path}: permission denied`;
  if (e.code === 'EISDIR') return `${e.path ?? 'the path'} is a folder, not a file`;
  if (e.code?.startsWith('ERR_PARSE_ARGS_')) return `${e.message?.split('. ')[0]}; --help lists the options.`;
  return networkFailure(err) ?? (e.message ?? String(err)).split('\n')[0] ?? String(err);
}

/** The exit code for an error: 2 for a usage mistake, 1 for anything else. */
const exitCodeOf = (err: unknown) =>
  err instanceof UsageError || (err as SystemError)?.code?.startsWith('ERR_PARSE_ARGS_') ? 2 : 1;

type Body = () => Promise<number | undefined> | number | undefined;

/** A command's exit code: its body's answer, or the error's, which is printed as one line. */
export async function commandResult(body: Body): Promise<number> {
  try {
    return (await body()) ?? 0;
  } catch (err) {
    report(err);
    return exitCodeOf(err);
  }
}

const report = (err: unknown) => console.error(process.env.DEBUG ? err : `error: ${describeError(err)}`);

/** For a command that goes on running once started: reports the error and ends the process. */
export function exitWith(err: unknown): never {
  report(err);
  process.exit(exitCodeOf(err));
}

/** Runs a command's body and sets the process's exit code from it. */
export async function runCommand(body: Body): Promise<void> {
  process.exitCode = await commandResult(body);
}
