import { RespClient } from '../idempotency/resp.js';
import type { LimitBackend, TakeRequest, Turn } from './backend.js';

// Redis's own clock (TIME) is every instance's clock: instances' clocks may disagree by more than a turn.
// `c` calls Redis, `n` is now in ms, `b` when the ban ends; numbers are stored as Lua prints them (to 0.1 ms).
const NOW = "local c=redis.call local t=c('TIME') local n=t[1]*1000+t[2]/1000";

/**
 * KEYS: rate, ban, probe. ARGV: interval ms (0: no rate), tolerance ms, max wait ms, token. A probe
 * may stay out for the caller's time left (the max wait and 200 ms) before another call probes. The rate's step is nextTurn's (backend.ts), in one atomic script.
 * Answers {what, ms}: 0 go after ms, 1 go as the probe, 2 banned (1 s while the probe is out),
 * 3 rate limited (retry after ms).
 */
const TAKE = `${NOW}
local b=tonumber(c('GET',KEYS[2]))
if b then
if b>n then return {2,math.ceil(b-n)} end
if c('SET',KEYS[3],ARGV[4],'NX','PX',math.ceil(ARGV[3]+200)) then return {1,0} end
return {2,1000}
end
local i=ARGV[1]+0
if i==0 then return {0,0} end
local d=math.max(tonumber(c('GET',KEYS[1])) or n,n)
local w=math.ceil(math.max(0,d-ARGV[2]-n))
if w>ARGV[3]+0 then return {3,w} end
c('SET',KEYS[1],d+i,'PX',math.ceil(d+i-n)+1000)
return {0,w}`;

/**
 * KEYS: ban, probe. ARGV: seconds. A later end already recorded stands; the probe starts afresh.
 * Once the ban has ended its record waits 10 minutes for the probe; after that calls go freely.
 */
const BAN = `${NOW}
local b=math.max(n+ARGV[1]*1000,tonumber(c('GET',KEYS[1])) or 0)
c('SET',KEYS[1],b,'PX',math.ceil(b-n)+600000)
c('DEL',KEYS[2])`;

/** KEYS: ban, probe. ARGV: token. Only the probe's own end lifts the ban. */
const LIFT = "if redis.call('GET',KEYS[2])==ARGV[1] then redis.call('DEL',KEYS[1],KEYS[2]) end";

/**
 * The app's rate and ban, shared by every instance of every function through Redis. The keys
 * share one hash tag, so the scripts also run on a Redis cluster.
 */
export class RedisLimit implements LimitBackend {
  #client: RespClient;
  #keys: [rate: string, ban: string, probe: string];

  constructor(url: string, appKey: string) {
    this.#client = new RespClient(url);
    const tag = `{parkflow:limit:${appKey}}`;
    this.#keys = [`${tag}:rate`, `${tag}:ban`, `${tag}:probe`];
  }

  async take({ rate, maxWaitMs, token }: TakeRequest, waitMs: number): Promise<Turn> {
    const interval = rate ? 1000 / rate.perSecond : 0;
    const tolerance = rate ? (rate.burst - 1) * interval : 0;
    const reply = await this.#client.command(
      ['EVAL', TAKE, '3', ...this.#keys, String(interval), String(tolerance), String(maxWaitMs), token],
      waitMs,
    );
    const [what, ms = 0] = reply as number[];
    if (what === 1) return { go: true, waitMs: 0, probe: true };
    if (what === 0) return { go: true, waitMs: ms };
    return { go: false, reason: what === 2 ? 'banned' : 'rate_limited', retryAfterMs: ms };
  }

  /** One script on the ban and probe keys. */
  async #onBan(script: string, arg: string, waitMs: number): Promise<void> {
    const [, ban, probe] = this.#keys;
    await this.#client.command(['EVAL', script, '2', ban, probe, arg], waitMs);
  }

  ban(seconds: number, waitMs: number): Promise<void> {
    return this.#onBan(BAN, String(seconds), waitMs);
  }

  lift(token: string, waitMs: number): Promise<void> {
    return this.#onBan(LIFT, token, waitMs);
  }

  async close(): Promise<void> {
    this.#client.close();
  }
}
