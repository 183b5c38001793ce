// The network cut out (per-event CPU): every POST answers at once with the gateway's answer
// recorded before the run, given in BENCH_TOP_ANSWER.
import type { GatewayReply } from '../../shared/top/transport.js';

const answer: GatewayReply = { status: 200, body: process.env.BENCH_TOP_ANSWER ?? '' };

export const postForm = (): Promise<GatewayReply> => Promise.resolve(answer);
export const prepareTransport = (): void => {};
export const closePools = (): Promise<void> => Promise.resolve();
