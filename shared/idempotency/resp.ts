import { connect as connectTcp, type Socket } from 'node:net';

/**
 * A minimal Redis client (RESP2 over one connection, commands pipelined in order) for the few
 * commands the idempotency store needs. A full client library would add ~150 KB to every bundle.
 */
export type Reply = string | number | null | Reply[];

/** An error reply from the server (`-ERR …`, `-NOAUTH …`). */
export class RedisReplyError extends Error {
  override name = 'RedisReplyError';
}

/** The connection failed, closed or did not answer in time. */
export class RedisConnectionError extends Error {
  override name = 'RedisConnectionError';
}

type Parsed = { value: Reply | RedisReplyError; next: number } | undefined;

/** Reads one reply at `at`, or undefined when the buffer does not hold all of it yet. */
function parseReply(buf: Buffer, at: number): Parsed {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const line = buf.toString('utf8', at + 1, eol);
  const next = eol + 2;
  switch (String.fromCharCode(buf[at] ?? 0)) {
    case '+':
      return { value: line, next };
    case '-':
      return { value: new RedisReplyError(line), next };
    case ':':
      return { value: Number(line), next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, next };
      if (buf.length < next + length + 2) return undefined;
      return { value: buf.toString('utf8', next, next + length), next: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next };
      const items: Reply[] = [];
      let pos = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, pos);
        if (!item) return undefined;
        if (item.value instanceof RedisReplyError) return { value: item.value, next: item.next };
        items.push(item.value);
        pos = item.next;
      }
      return { value: items, next: pos };
    }
    default:
      throw new RedisConnectionError(`not a RESP reply (type byte ${buf[at]})`);
  }
}

function encodeCommand(args: string[]): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return Buffer.from(parts.join(''));
}

interface Pending {
  resolve(value: Reply): void;
  reject(error: Error): void;
}

/** Why a connection failed, in the operator's words where the code is a common one. */
function connectionFault(err: NodeJS.ErrnoException): string {
  if (err.code === 'ECONNREFUSED') return 'connection refused';
  if (err.code === 'ECONNRESET') return 'connection reset';
  return err.message;
}

export class RespClient {
  #url: URL;
  #socket: Socket | undefined;
  #pending: Pending[] = [];
  #buffer: Buffer = Buffer.alloc(0);

  /** `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. */
  constructor(url: string) {
    this.#url = new URL(url);
  }

  /**
   * Sends a command and waits at most `waitMs` for its reply (connecting first if need be); rejects
   * with RedisReplyError for an error reply, RedisConnectionError otherwise.
   */
  command(args: string[], waitMs: number): Promise<Reply> {
    if (!(waitMs > 0)) return Promise.reject(new RedisConnectionError('no time was left to wait for Redis'));
    const socket = this.#socket ?? this.#connect();
    return new Promise((resolve, reject) => {
      // Replies come in order, so a lost one makes every later one unreadable: drop the connection.
      const timer = setTimeout(
        () => this.#drop(new RedisConnectionError(`Redis timed out: no answer within ${waitMs} ms`), socket),
        waitMs,
      );
      this.#pending.push({
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      socket.write(encodeCommand(args));
    });
  }

  close(): void {
    this.#drop(new RedisConnectionError('the client was closed'));
  }

  /**
   * Sends a command ahead of the caller's on a new connection; an error reply drops the connection
   * with `refused` as the reason, so the caller's command fails with it (and not with a NOAUTH).
   * No timer of its own: the caller's command behind it bounds the wait.
   */
  #prelude(socket: Socket, args: string[], refused: (reply: RedisReplyError) => string): void {
    this.#pending.push({
      resolve: () => {},
      reject: (error) =>
        this.#drop(error instanceof RedisReplyError ? new RedisConnectionError(refused(error)) : error, socket),
    });
    socket.write(encodeCommand(args));
  }

  #connect(): Socket {
    const port = Number(this.#url.port || 6379);
    const host = this.#url.hostname.replace(/^\[|\]$/g, '');
    // node:tls is loaded only for rediss://: it costs milliseconds of every cold start otherwise.
    const socket =
      this.#url.protocol === 'rediss:'
        ? process.getBuiltinModule('node:tls').connect({ host, port, servername: host })
        : connectTcp({ host, port });
    socket.setNoDelay(true);
    // An idle connection must not keep a process (a test, the replay command) alive.
    socket.unref();
    socket.on('data', (chunk: Buffer) => this.#read(socket, chunk));
    socket.on('error', (err) =>
      this.#drop(new RedisConnectionError(`Redis connection failed: ${connectionFault(err)}`), socket),
    );
    socket.on('close', () => this.#drop(new RedisConnectionError('Redis closed the connection'), socket));
    this.#socket = socket;
    const password = decodeURIComponent(this.#url.password);
    const user = decodeURIComponent(this.#url.username);
    // Only the reply's code is kept: the rest of an AUTH reply is no business of a log line.
    if (password) {
      this.#prelude(
        socket,
        user ? ['AUTH', user, password] : ['AUTH', password],
        (reply) => `Redis refused the password (${reply.message.split(' ', 1)[0]})`,
      );
    }
    const db = this.#url.pathname.slice(1);
    if (db) this.#prelude(socket, ['SELECT', db], (reply) => `Redis refused database ${db} (${reply.message})`);
    return socket;
  }

  #read(socket: Socket, chunk: Buffer): void {
    if (socket !== this.#socket) return;
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    let at = 0;
    for (;;) {
      let reply: Parsed;
      try {
        reply = parseReply(this.#buffer, at);
      } catch (err) {
        this.#drop(err as Error);
        return;
      }
      if (!reply) break;
      at = reply.next;
      const pending = this.#pending.shift();
      if (reply.value instanceof RedisReplyError) pending?.reject(reply.value);
      else pending?.resolve(reply.value);
      // A refused AUTH or SELECT has dropped the connection, and every command behind it.
      if (socket !== this.#socket) return;
    }
    this.#buffer = this.#buffer.subarray(at);
  }

  /** Ends the connection and fails whatever waits on it; the next command connects afresh. */
  #drop(error: Error, socket: Socket | undefined = this.#socket): void {
    if (!socket || socket !== this.#socket) return;
    this.#socket = undefined;
    this.#buffer = Buffer.alloc(0);
    socket.destroy();
    for (const pending of this.#pending.splice(0)) pending.reject(error);
  }
}
