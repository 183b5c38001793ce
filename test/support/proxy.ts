// A TCP proxy on loopback for fault tests: it passes bytes to a real server (redis-server, the sandbox)
// late, one at a time, not at all, or stops taking connections, as a slow or failing network does.
import { createServer, type Socket, connect as tcpConnect } from 'node:net';

export interface FaultProxy {
  port: number;
  /** Every byte, both ways, arrives `ms` late; bytes already under way still arrive after a close. */
  delay(ms: number): void;
  /** The server's bytes reach the client one at a time, `ms` apart. */
  trickle(ms: number): void;
  /** Nothing passes either way (a black hole): what is held is lost if either side closes meanwhile. */
  stall(): void;
  /** Bytes pass at once again; anything held by a stall goes on now. */
  heal(): void;
  /**
   * New connections are refused; open ones close once the answer they wait for is through, and a
   * new request on one of them is not passed on.
   */
  refuse(): Promise<void>;
  /** Takes connections again, on the same port. */
  accept(): Promise<void>;
  close(): Promise<void>;
}

type Mode = { kind: 'pass' } | { kind: 'delay'; ms: number } | { kind: 'trickle'; ms: number } | { kind: 'stall' };

/** Quiet this long after the server's last byte, a draining connection has had its answer. */
const ANSWERED_QUIET_MS = 30;

/** One direction of a connection, which writes in order at the times the mode gives. */
class Lane {
  #due = 0;
  #held: Buffer[] = [];
  constructor(
    readonly to: Socket,
    readonly mode: () => Mode,
    readonly trickles: boolean,
  ) {}

  push(chunk: Buffer): void {
    const mode = this.mode();
    if (mode.kind === 'stall') {
      this.#held.push(chunk);
      return;
    }
    if (mode.kind === 'trickle' && this.trickles) {
      for (const byte of chunk) this.#at(this.#next(mode.ms), () => this.to.write(Buffer.of(byte)));
      return;
    }
    const ms = mode.kind === 'delay' ? mode.ms : 0;
    if (ms === 0 && this.#due <= Date.now()) this.to.write(chunk);
    else this.#at(Math.max(this.#due, Date.now() + ms), () => this.to.write(chunk));
  }

  /** The other side ended: end this one once what is under way is through. A stall loses what it holds. */
  end(): void {
    this.#held = [];
    this.#at(this.#due, () => this.to.end());
  }

  release(): void {
    for (const chunk of this.#held.splice(0)) this.push(chunk);
  }

  #next(gap: number): number {
    this.#due = Math.max(this.#due, Date.now()) + gap;
    return this.#due;
  }

  #at(due: number, write: () => void): void {
    this.#due = Math.max(this.#due, due);
    const wait = due - Date.now();
    if (wait <= 0) write();
    else setTimeout(() => this.to.destroyed || write(), wait);
  }
}

export async function startProxy(target: { host?: string; port: number }): Promise<FaultProxy> {
  let mode: Mode = { kind: 'pass' };
  let draining = false;
  const open = new Set<{ client: Socket; upstream: Socket; lanes: Lane[]; drain(): void }>();

  const server = createServer((client) => {
    const upstream = tcpConnect({ host: target.host ?? '127.0.0.1', port: target.port });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const up = new Lane(upstream, () => mode, false);
    const down = new Lane(client, () => mode, true);
    // Whether the client waits for an answer: it spoke last.
    let asked = false;
    let quiet: NodeJS.Timeout | undefined;
    const conn = {
      client,
      upstream,
      lanes: [up, down],
      drain: () => {
        if (asked) return;
        clearTimeout(quiet);
        quiet = setTimeout(() => {
          client.destroy();
          upstream.destroy();
        }, ANSWERED_QUIET_MS);
      },
    };
    open.add(conn);
    client.on('data', (chunk: Buffer) => {
      // Draining: a new request on a kept-alive connection is not taken; the client sees it close.
      if (draining && !asked) {
        client.destroy();
        upstream.destroy();
        return;
      }
      asked = true;
      clearTimeout(quiet);
      up.push(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      asked = false;
      down.push(chunk);
      if (draining) conn.drain();
    });
    // A close ends the other side once what is under way is through (a delay keeps it under way).
    client
      .on('error', () => {})
      .on('close', () => {
        clearTimeout(quiet);
        open.delete(conn);
        up.end();
      });
    upstream.on('error', () => {}).on('close', () => down.end());
  });

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  const port = await listen(0);

  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });

  return {
    port,
    delay: (ms) => {
      mode = { kind: 'delay', ms };
    },
    trickle: (ms) => {
      mode = { kind: 'trickle', ms };
    },
    stall: () => {
      mode = { kind: 'stall' };
    },
    heal: () => {
      mode = { kind: 'pass' };
      for (const conn of open) for (const lane of conn.lanes) lane.release();
    },
    refuse: async () => {
      draining = true;
      const closed = stopListening();
      for (const conn of open) conn.drain();
      // server.close() waits for open connections; they close as their answers go through.
      await new Promise((resolve) => setTimeout(resolve, ANSWERED_QUIET_MS));
      void closed;
    },
    accept: async () => {
      draining = false;
      await listen(port);
    },
    close: async () => {
      for (const conn of open) {
        conn.client.destroy();
        conn.upstream.destroy();
      }
      open.clear();
      await stopListening();
    },
  };
}
