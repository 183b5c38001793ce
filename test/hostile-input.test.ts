// Hostile input, by property: whatever arrives ends in a 4xx with a message or a clean permanent
// failure, never a crash, a 500, a hang, or a request to TOP built from invalid data.
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Sandbox } from '../dev/sandbox/index.js';
import { loadApis } from '../scripts/apis.js';
import { check, type ParkApi } from '../shared/apis/api.js';
import { parseBody } from '../shared/body.js';
import { createHandler } from '../shared/handler.js';
import { formatTopTime } from '../shared/top/time.js';
import { UnknownEventError } from '../shared/triggers/open.js';
import { RecordsNotDoneError } from '../shared/triggers/queue-answer.js';
import { coldStart, type Handler, invokeFc2Http, invokeHttp } from './support/bundles.js';
import { apigwHttp, apigwRest, awsContext, fc2Context, fc2Request, fcContext, fcHttp } from './support/events.js';
import { envFor, gateway } from './support/gateway.js';
import { type Captured, captureLogs } from './support/output.js';
import { eventBridgeEvent, fcAsync, mnsTopicJson, sqsEvent } from './support/queue-events.js';
import { SECRET, signed, WEBHOOK_ENV } from './support/webhook.js';

const APIS = await loadApis();
// Each reads its settings on its first event, after beforeAll has set the environment.
const HANDLERS = Object.fromEntries(APIS.map((api) => [api.name, createHandler(api)]));
type Name = keyof typeof HANDLERS;

// ---- JSON texts of field values: valid ones for each field, hostile ones for any ----

const json = (v: unknown) => JSON.stringify(v);
const digits = (min: number, max: number) => fc.integer({ min, max }).map(String);
const date = fc
  .integer({ min: Date.UTC(2001, 0, 1), max: Date.UTC(2099, 0, 1) })
  .chain((ms) => fc.constantFrom(String(ms), json(new Date(ms).toISOString()), json(formatTopTime(ms))));
const plate = fc.oneof(
  fc.constantFrom('浙A12345', '浙AD12345', '浙A.66666', 'WJ京12345', '粤Z1234港', '无牌车'),
  fc.stringMatching(/^[京沪浙粤][A-Z][0-9A-Z]{5}$/),
);
const VALID: Record<string, fc.Arbitrary<string>> = {
  mall_id: fc.oneof(
    digits(1, Number.MAX_SAFE_INTEGER),
    fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map((n) => json(String(n))),
  ),
  car_no: plate.map(json),
  start_time: date,
  end_time: date,
  pay_time: date,
  park_duration: digits(0, 100_000),
  car_type: fc.string({ maxLength: 64 }).map(json),
  user_nick: fc.string({ maxLength: 64 }).map(json),
  coupon_id: fc.string({ maxLength: 64 }).map(json),
  mobile: fc.stringMatching(/^1[3-9]\d{9}$/).chain((m) => fc.constantFrom(m, json(m))),
  extend: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })).map(json),
  order_id: fc.string({ minLength: 1, maxLength: 64 }).map(json),
  park_id: fc.string({ minLength: 1, maxLength: 64 }).map(json),
  order_type: fc.constantFrom('1', '2', '"1"', '"2"'),
  pay_fee: digits(0, 10_000_000),
  pay_order_id: fc.string({ minLength: 1, maxLength: 64 }).map(json),
  pay_method: fc.string({ minLength: 1, maxLength: 32 }).map(json),
};
const REQUIRED: Record<Name, string[]> = {
  arrive: ['mall_id', 'car_no', 'start_time'],
  leave: ['mall_id', 'car_no', 'end_time'],
  pay: ['mall_id', 'car_no', 'pay_time', 'park_duration'],
  'payinfo-sync': ['order_id', 'park_id', 'car_no', 'pay_time', 'order_type', 'pay_fee'],
};
const nested = (d: number, open: string, close: string, inner = '') => open.repeat(d) + inner + close.repeat(d);
const HOSTILE: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map(json),
  fc.string({ unit: 'binary' }).map(json),
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }).chain((n) => fc.constantFrom(String(n), String(-n), json(String(n)))),
  fc.constantFrom(
    '1e400',
    '-0',
    '0.5',
    '1.5988855789e10',
    '"\\ud800"',
    '"浙A1234\\udc00"',
    '"浙A\\u000012345"',
    '"\\u0000"',
  ),
  fc.integer({ min: 1_000, max: 40_000 }).map((n) => json('浙'.repeat(n))),
  fc.integer({ min: 20, max: 5_000 }).chain((d) => fc.constantFrom(nested(d, '[', ']'), nested(d, '{"a":', '}', '1'))),
);
const KEYS = [...Object.keys(VALID), 'action', '__proto__', 'constructor', 'prototype', 'toString', 'carNo', ''];
const extra = fc
  .constantFrom(...KEYS)
  .chain((key) =>
    fc.tuple(
      fc.constant(key),
      Object.hasOwn(VALID, key) ? fc.oneof(VALID[key] as fc.Arbitrary<string>, HOSTILE) : HOSTILE,
    ),
  );
const objectText = (entries: [string, string][]) => `{${entries.map(([k, v]) => `${json(k)}:${v}`).join(',')}}`;

/** A body for `name`: often valid, often with a few extra, duplicate or hostile entries, sometimes not an object at all. */
const bodyFor = (name: Name): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.tuple(
            ...(REQUIRED[name] as string[]).map((k) =>
              (VALID[k] as fc.Arbitrary<string>).map((v): [string, string] => [k, v]),
            ),
          ),
          fc.array(extra, { maxLength: 3 }),
        )
        .map(([required, extras]) => objectText([...required, ...extras])),
    },
    fc.string({ unit: 'binary' }),
    HOSTILE,
  );

const anyName = fc.constantFrom(...(Object.keys(HANDLERS) as Name[]));

// ---- the HTTP shapes a body can arrive in, with bodies that are not even UTF-8 or base64 ----

type Call = (handler: Handler) => ReturnType<typeof invokeHttp>;
const HTTP_SHAPES: ((text: string) => Call)[] = [
  (text) => (h) => invokeHttp(h, apigwHttp(text), awsContext(5_000)),
  (text) => (h) => invokeHttp(h, apigwRest(text, { base64: true }), awsContext(5_000)),
  (text) => (h) => invokeHttp(h, fcHttp(text), fcContext(5)),
  // FC 2.0's HTTP call, the body streamed in two pieces (a character may be cut between them).
  (text) => (h) => {
    const bytes = Buffer.from(text);
    const chunks = [bytes.subarray(0, bytes.length >> 1), bytes.subarray(bytes.length >> 1)].filter((c) => c.length);
    return invokeFc2Http(h, fc2Request('', { chunks }), fc2Context(5));
  },
];
const undecodable: fc.Arbitrary<Call> = fc.oneof(
  fc
    .uint8Array({ minLength: 1 })
    .map(
      (bytes) => (h: Handler) =>
        invokeHttp(
          h,
          { ...apigwHttp(''), body: Buffer.from(bytes).toString('base64'), isBase64Encoded: true },
          awsContext(),
        ),
    ),
  fc
    .string()
    .map(
      (s) => (h: Handler) => invokeHttp(h, { ...apigwHttp(''), body: `${s}!*`, isBase64Encoded: true }, awsContext()),
    ),
  fc
    .uint8Array({ minLength: 1 })
    .map((bytes) => (h: Handler) => invokeFc2Http(h, fc2Request('', { chunks: [Buffer.from(bytes)] }), fc2Context(5))),
);

let sandbox: Sandbox;
const saved: Record<string, string | undefined> = {};
beforeAll(async () => {
  sandbox = await gateway();
  const env = envFor(sandbox, { ...WEBHOOK_ENV, IDEMPOTENCY_REDIS_URL: undefined, TOP_MAX_ATTEMPTS: '1' });
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await sandbox.close();
});
afterEach(() => vi.restoreAllMocks());
let logs: Captured;
beforeEach(() => {
  sandbox.reset();
  // Hundreds of event lines; the observability tests read them.
  logs = captureLogs();
});

/** Every call TOP saw was well signed and passed the sandbox's strict checks of each field. */
const allCallsSound = () => sandbox.calls.every((c) => c.signature === 'valid' && c.status === 200);

describe('the schemas and the body reader, in-process', () => {
  it('never throw, and pass only what they can send', () => {
    fc.assert(
      fc.property(
        anyName.chain((name) => fc.tuple(fc.constant(name), bodyFor(name))),
        ([name, text]) => {
          const body = parseBody(text);
          if (!body.ok) {
            expect(body.outcome.kind).toBe('invalid');
            return;
          }
          const checked = check(APIS.find((a) => a.name === name) as ParkApi, body.value);
          if (!checked.ok) expect(checked.issues.every((i) => i.message.length > 0)).toBe(true);
          else for (const value of Object.values(checked.params)) expect(['string', 'object']).toContain(typeof value);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('every HTTP event through the pipeline, in-process, against the sandbox', () => {
  it('is a 200 that TOP accepted or a 400 that sent nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyName.chain((name) => fc.tuple(fc.constant(name), bodyFor(name), fc.constantFrom(...HTTP_SHAPES))),
        async ([name, text, shape]) => {
          const before = sandbox.calls.length;
          const res = await shape(text)(HANDLERS[name] as Handler);
          const sent = sandbox.calls.length - before;
          if (res.statusCode === 400) {
            expect(res.json.error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/\w/) });
            expect(sent).toBe(0);
          } else {
            expect(res.statusCode).toBe(200);
            expect(sent).toBe(res.json.duplicate ? 0 : 1);
          }
          expect(allCallsSound()).toBe(true);
        },
      ),
      { numRuns: 250 },
    );
  });

  it('a body that is not base64 or not UTF-8 is a 400 that names the problem', async () => {
    await fc.assert(
      fc.asyncProperty(undecodable, async (call) => {
        const res = await call(HANDLERS.arrive as Handler);
        expect(res.statusCode).toBe(400);
        expect(res.json.error.message).toMatch(/base64|UTF-8|JSON|empty|object/);
      }),
      { numRuns: 100 },
    );
    expect(sandbox.calls).toHaveLength(0);
  });
});

// ---- every trigger envelope, with any of its fields replaced by anything ----

const leafPaths = (value: unknown, prefix: string[] = []): string[][] =>
  typeof value === 'object' && value !== null
    ? [prefix, ...Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, k]))]
    : [prefix];
const withValueAt = (value: unknown, path: string[], replacement: unknown): unknown => {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string, ...string[]];
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as never) : { ...(value as object) };
  copy[head] = withValueAt(copy[head], rest, replacement);
  return copy;
};
/** Stands for an array nested `depth` deep, built only when used, so that fast-check never prints it. */
class Deep {
  constructor(readonly depth: number) {}
  build = (): unknown => JSON.parse(nested(this.depth, '[', ']'));
}
/** A template event with the value at one of its paths replaced; built in the property, so fast-check prints it small. */
class Mutated {
  constructor(
    readonly template: number,
    readonly path: number,
    readonly replacement: unknown,
  ) {}
  event(templates: unknown[]): unknown {
    const t = templates[this.template];
    const paths = leafPaths(t);
    const r = this.replacement instanceof Deep ? this.replacement.build() : this.replacement;
    return withValueAt(t, paths[this.path % paths.length] as string[], r);
  }
}
const parsed = (b: Buffer) => JSON.parse(b.toString('utf8')) as unknown;

describe('every trigger envelope, in-process', () => {
  it('answers, or fails the invocation on purpose, whatever field of the event is replaced by whatever', async () => {
    const body = { mall_id: 123, car_no: '浙A12345', start_time: '2026-11-22 10:00:00' };
    const templates: unknown[] = [
      apigwHttp(body),
      apigwRest(body),
      parsed(fcHttp(body)),
      await sqsEvent([{ body }, { body }], { fifo: true }),
      parsed(eventBridgeEvent('mns', [body, body])),
      parsed(eventBridgeEvent('kafka', [body])),
      parsed(eventBridgeEvent('rocketmq', [body])),
      parsed(mnsTopicJson(body)),
    ];
    const replacement = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.integer({ min: 1_000, max: 20_000 }).map((depth) => new Deep(depth)),
      fc.string({ unit: 'binary' }),
    );
    const event = fc.oneof(
      fc.tuple(fc.nat(templates.length - 1), fc.nat(), replacement).map(([t, i, r]) => new Mutated(t, i, r)),
      fc.anything({ maxDepth: 3 }),
      fc.uint8Array().map((b) => Buffer.from(b)),
      fc.jsonValue().map((v) => fcAsync(json(v) ?? '')),
    );
    await fc.assert(
      fc.asyncProperty(event, fc.boolean(), async (e, fcBuffer) => {
        const built = e instanceof Mutated ? e.event(templates) : e;
        let asBuffer = built;
        try {
          if (fcBuffer && !Buffer.isBuffer(built)) asBuffer = Buffer.from(json(built) ?? 'null');
        } catch {
          // Too deep for JSON.stringify: handed over as the object, as on AWS.
        }
        const outcome = await (HANDLERS.arrive as (e: unknown, c: unknown) => Promise<unknown>)(
          asBuffer,
          awsContext(5_000),
        ).then(
          (answer) => ({ answer }),
          (error: Error) => ({ error }),
        );
        if ('error' in outcome) {
          expect([RecordsNotDoneError.name, UnknownEventError.name]).toContain(outcome.error.name);
        } else if (typeof outcome.answer === 'object' && outcome.answer !== null && 'statusCode' in outcome.answer) {
          expect(outcome.answer.statusCode).toBeLessThan(500);
        }
        expect(allCallsSound()).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a message that is not UTF-8 is a permanent failure, and reaches nothing', async () => {
    const bytes = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    await expect(HANDLERS.arrive?.(bytes, fcContext())).rejects.toThrow(RecordsNotDoneError);
    const line = logs.lines('stdout').at(-1);
    expect(line).toMatchObject({ outcome: 'invalid', error: expect.stringMatching(/not UTF-8/) });
    expect(sandbox.calls).toHaveLength(0);
  });
});

describe('the decided cases', () => {
  const post = async (name: Name, text: string) => invokeHttp(HANDLERS[name] as never, apigwHttp(text), awsContext());
  const ARRIVE = '"car_no":"浙A12345","start_time":"2026-11-22 10:00:00"';
  const cases: [string, Name, string, number, RegExp?][] = [
    [
      'mall_id beyond 2^53 as a number: refused, it has lost digits',
      'arrive',
      `{"mall_id":9007199254740993,${ARRIVE}}`,
      400,
      /send it as a string of digits/,
    ],
    [
      'mall_id beyond 2^63 as digits: refused, TOP keeps a Long',
      'arrive',
      `{"mall_id":"9223372036854775808",${ARRIVE}}`,
      400,
      /at most 9223372036854775807/,
    ],
    ['mall_id 2^63-1 as digits: sent exactly', 'arrive', `{"mall_id":"9223372036854775807",${ARRIVE}}`, 200],
    ['mobile as an 11-digit number: sent as its digits', 'arrive', `{"mall_id":1,"mobile":15988855789,${ARRIVE}}`, 200],
    [
      'mobile beyond 2^53 as a number: refused, it is not 11 digits',
      'arrive',
      `{"mall_id":1,"mobile":159888557890000000000,${ARRIVE}}`,
      400,
      /11-digit/,
    ],
    [
      'park_duration beyond 2^63: refused',
      'pay',
      '{"mall_id":1,"car_no":"浙A12345","pay_time":"2026-11-22 10:00:00","park_duration":"99999999999999999999"}',
      400,
      /at most/,
    ],
    [
      'car_no twice: refused, readers disagree on which counts',
      'arrive',
      `{"mall_id":1,"car_no":"京B00000",${ARRIVE}}`,
      400,
      /car_no: is given more than once/,
    ],
    [
      'car_no twice, once escaped: refused',
      'arrive',
      `{"mall_id":1,"car\\u005fno":"京B00000",${ARRIVE}}`,
      400,
      /more than once/,
    ],
    [
      'a key twice inside extend: refused',
      'arrive',
      `{"mall_id":1,${ARRIVE},"extend":{"a":1,"a":2}}`,
      400,
      /extend\.a: is given more than once/,
    ],
    [
      'extend as text with a key twice: refused',
      'arrive',
      `{"mall_id":1,${ARRIVE},"extend":"{\\"a\\":1,\\"a\\":2}"}`,
      400,
      /extend: has "a" that is given more than once/,
    ],
    [
      'fields smuggled in __proto__: refused',
      'arrive',
      `{"__proto__":{"mall_id":1,${ARRIVE}}}`,
      400,
      /__proto__: is not a field/,
    ],
    [
      'a constructor key: refused',
      'arrive',
      `{"mall_id":1,${ARRIVE},"constructor":{"prototype":{}}}`,
      400,
      /constructor: is not a field/,
    ],
    [
      'extend nested 40 deep: refused',
      'arrive',
      `{"mall_id":1,${ARRIVE},"extend":${nested(40, '{"a":', '}', '1')}}`,
      400,
      /nested deeper than 32/,
    ],
    [
      'extend as text nested 5000 deep: refused, not a stack overflow',
      'arrive',
      `{"mall_id":1,${ARRIVE},"extend":${json(nested(5000, '{"a":', '}', '1'))}}`,
      400,
      /nested deeper than 32/,
    ],
    [
      'a lone surrogate in car_type: refused',
      'arrive',
      `{"mall_id":1,${ARRIVE},"car_type":"\\ud800"}`,
      400,
      /lone surrogate/,
    ],
  ];
  for (const [label, name, text, status, message] of cases) {
    it(label, async () => {
      const res = await post(name, text);
      expect(res.statusCode).toBe(status);
      const said = [
        res.json.error?.message,
        ...(res.json.error?.issues ?? []).map((i: any) => `${i.path}: ${i.message}`),
      ];
      if (message) expect(said.join('\n')).toMatch(message);
      expect(sandbox.calls).toHaveLength(status === 200 ? 1 : 0);
      expect(allCallsSound()).toBe(true);
    });
  }

  it('sends an 11-digit mobile number and a mall id beyond 2^53 as their exact digits', async () => {
    await post(
      'arrive',
      '{"mall_id":"9223372036854775807","mobile":15988855789,"car_no":"浙A54321","start_time":1790000000000}',
    );
    expect(sandbox.calls[0]?.params).toMatchObject({ mall_id: '9223372036854775807', mobile: '15988855789' });
  });
});

describe('through the real bundles, signed, against the sandbox', () => {
  afterAll(() => {
    coldStart('arrive', WEBHOOK_ENV);
  });

  it('a signed body is a 200 TOP accepted or a 400 that sent nothing; anything unsigned is a 401', async () => {
    const handler = coldStart(
      'arrive',
      envFor(sandbox, { ...WEBHOOK_ENV, IDEMPOTENCY_REDIS_URL: undefined, WEBHOOK_SECRETS: SECRET }),
    );
    const headers = fc.dictionary(
      fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature', 'x'),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(bodyFor('arrive'), headers, async (text, forged) => {
        const before = sandbox.calls.length;
        const res = await invokeHttp(handler, apigwHttp(text, { headers: signed(text) }), awsContext());
        expect([200, 400]).toContain(res.statusCode);
        expect(sandbox.calls.length - before).toBe(res.statusCode === 200 && !res.json.duplicate ? 1 : 0);
        const unsigned = await invokeHttp(handler, apigwHttp(text, { headers: forged }), awsContext());
        expect(unsigned.statusCode).toBe(401);
        expect(allCallsSound()).toBe(true);
      }),
      { numRuns: 40 },
    );
    expect(sandbox.calls.length).toBeGreaterThan(0);
  });
});
