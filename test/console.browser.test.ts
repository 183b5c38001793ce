// The console page in a real browser (the system's Chromium or the packaged one, driven by playwright-core)
// on a running stack.
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqsEvent } from '../dev/queue-events.js';
import { lambdaName } from '../dev/stack/offline.js';
import { sample } from '../dev/stack/samples.js';
import { type Stack, startStack } from '../dev/stack/stack.js';
import { findChromium } from './support/chromium.js';

let stack: Stack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const executablePath = await findChromium();
  [stack, browser] = await Promise.all([
    startStack({ env: {} }),
    chromium.launch({
      executablePath,
      // A closed network: without these chromium waits on services it cannot reach.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    }),
  ]);
  page = await browser.newPage();
  await page.goto(stack.consoleUrl);
  await page.locator('#live', { hasText: 'live' }).waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const post = async (name: 'arrive' | 'leave' | 'pay' | 'payinfo-sync') => {
  const res = await fetch(`${stack.functionsUrl}/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(sample(name)),
  });
  return res.status;
};

describe('the console', () => {
  it('shows an event sent to a function, with its TOP call and answer, personal data masked', async () => {
    expect(await post('arrive')).toBe(200);
    const row = page.locator('details.event').first();
    await expect.poll(() => row.getAttribute('data-function')).toBe('arrive');
    expect(await row.getAttribute('data-outcome')).toBe('delivered');
    await row.locator('summary').click();
    const call = row.locator('.call');
    await expect.poll(() => call.count()).toBe(1);
    expect(await call.locator('h3').textContent()).toMatch(/attempt 1 · HTTP 200 · signature valid/);
    expect(await call.locator('table').textContent()).toContain('浙A****5');
    expect(await call.locator('.answer').textContent()).toContain('"success": true');
    const page_ = await page.content();
    expect(page_).not.toContain('浙A12345');
    expect(page_).not.toContain('15988855789');
  });

  it('flips a sandbox fault on, and the next event fails after retrying', async () => {
    await page.locator('#fault-isp').check();
    await expect.poll(() => stack.sandbox.faults().map((f) => f.kind)).toEqual(['isp']);
    expect(await post('leave')).toBe(503);
    const row = page.locator('details.event').first();
    await expect.poll(() => row.getAttribute('data-function')).toBe('leave');
    expect(await row.getAttribute('data-outcome')).toBe('transient');
    await row.locator('summary').click();
    await expect.poll(() => row.locator('.call').count()).toBe(4);
    expect(await row.locator('.attempts').textContent()).toBe('4 attempts');
    expect(await row.locator('.call h3').allTextContents()).toEqual(
      [1, 2, 3, 4].map((n) => expect.stringMatching(new RegExp(`^attempt ${n} · HTTP 200 · .* · fault isp$`))),
    );
    expect(await row.locator('.error').textContent()).toContain('isp.remote-service-timeout');

    await page.locator('#fault-isp').uncheck();
    await expect.poll(() => stack.sandbox.faults()).toEqual([]);
    expect(await post('pay')).toBe(200);
    await expect.poll(() => page.locator('details.event').first().getAttribute('data-outcome')).toBe('delivered');
  });

  it('filters by function and by outcome', async () => {
    const visible = () =>
      page.locator('details.event:visible').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-function')));
    await page.selectOption('#outcome-filter', 'transient');
    expect(await visible()).toEqual(['leave']);
    await page.selectOption('#outcome-filter', '');
    await page.selectOption('#function-filter', 'arrive');
    expect(await visible()).toEqual(['arrive']);
    await page.selectOption('#function-filter', '');
    expect(await visible()).toEqual(['pay', 'leave', 'arrive']);
  });

  it('charts events per outcome over time, drawn in the page (a screenshot has the bars)', async () => {
    const bars = page.locator('#chart rect');
    const counted = async (outcome: string) =>
      (
        await bars.evaluateAll(
          (rects, o) =>
            rects.filter((r) => r.getAttribute('data-outcome') === o).map((r) => Number(r.getAttribute('data-count'))),
          outcome,
        )
      ).reduce((a, b) => a + b, 0);
    await expect.poll(() => counted('delivered')).toBe(2);
    expect(await counted('transient')).toBe(1);
    const png = await page.locator('#chart').screenshot();
    // The screenshot's pixels, read back through a canvas: how many are each outcome's colour.
    const pixels = await page.evaluate(async (base64) => {
      const browser = globalThis as any; // runs in the page
      const image = new browser.Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = Object.assign(browser.document.createElement('canvas'), {
        width: image.width,
        height: image.height,
      });
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      const data: Uint8ClampedArray = context.getImageData(0, 0, image.width, image.height).data;
      const near = (i: number, [r, g, b]: number[]) =>
        Math.abs((data[i] as number) - (r as number)) +
          Math.abs((data[i + 1] as number) - (g as number)) +
          Math.abs((data[i + 2] as number) - (b as number)) <
        30;
      const count = { delivered: 0, transient: 0, total: data.length / 4 };
      for (let i = 0; i < data.length; i += 4) {
        if (near(i, [0x2a, 0x9d, 0x4b])) count.delivered++;
        if (near(i, [0x8e, 0x44, 0xad])) count.transient++;
      }
      return count;
    }, png.toString('base64'));
    expect(pixels.delivered).toBeGreaterThan(100);
    expect(pixels.transient).toBeGreaterThan(50);
    expect(pixels.delivered + pixels.transient).toBeLessThan(pixels.total / 2);
  });

  it('shows TOP latency p50 and p99 per function', async () => {
    const rows = page.locator('#latency .latency-row');
    await expect
      .poll(() => rows.evaluateAll((g) => g.map((r) => r.getAttribute('data-function'))))
      .toEqual(['arrive', 'leave', 'pay']);
    for (const row of await rows.all()) {
      const [p50, p99] = [Number(await row.getAttribute('data-p50')), Number(await row.getAttribute('data-p99'))];
      expect(p50).toBeGreaterThanOrEqual(0);
      expect(p99).toBeGreaterThanOrEqual(p50);
      expect(await row.textContent()).toContain(`p50 ${p50} ms · p99 ${p99} ms`);
    }
  });

  it('sends a sample, an edited event and a broken one from the form', async () => {
    await page.selectOption('#send-function', 'payinfo-sync');
    await expect.poll(() => page.inputValue('#send-body')).toContain('"order_id"');
    await page.click('#send-submit');
    await expect.poll(() => page.locator('#send-answer').textContent()).toMatch(/^200\n\{\n {2}"ok": true/);
    await expect.poll(() => page.locator('details.event').first().getAttribute('data-function')).toBe('payinfo-sync');

    await page.selectOption('#send-function', 'pay');
    await expect.poll(() => page.inputValue('#send-body')).toContain('"park_duration"');
    // Another time too: the sample's is the second the earlier pay was sent in, which would make it a duplicate.
    const edited = {
      ...JSON.parse(await page.inputValue('#send-body')),
      park_duration: 999,
      pay_time: Date.now() - 3_600_000,
    };
    await page.fill('#send-body', JSON.stringify(edited));
    await page.click('#send-submit');
    await expect.poll(() => page.locator('#send-answer').textContent()).toMatch(/^200\n/);
    expect(stack.sandbox.calls.at(-1)?.params).toMatchObject({ action: 'pay', park_duration: '999' });

    await page.click('#send-invalid');
    await expect.poll(() => page.inputValue('#send-body')).toContain('-5');
    await page.click('#send-submit');
    await expect.poll(() => page.locator('#send-answer').textContent()).toMatch(/^400\n[\s\S]*"invalid_input"/);
    await expect.poll(() => page.locator('details.event').first().getAttribute('data-outcome')).toBe('invalid');
  });

  it('filters duplicates: the same event sent twice from the form', async () => {
    await page.selectOption('#send-function', 'leave');
    await expect.poll(() => page.inputValue('#send-body')).toContain('"end_time"');
    for (let i = 0; i < 2; i++) {
      await page.click('#send-submit');
      await expect.poll(() => page.locator('details.event[data-function="leave"]').count()).toBe(2 + i);
    }
    await page.selectOption('#outcome-filter', 'duplicate');
    const visible = () =>
      page
        .locator('details.event:visible')
        .evaluateAll((rows) =>
          rows.map((r) => [r.getAttribute('data-function'), r.querySelector('.outcome')?.textContent]),
        );
    expect(await visible()).toEqual([['leave', 'duplicate']]);
    await page.selectOption('#outcome-filter', '');
  });

  it('shows queue records with their trigger and batch, and the failed ones', async () => {
    const batch = await sqsEvent(
      [{ body: sample('arrive', { now: Date.now() - 60_000 }) }, { body: sample('arrive', { invalid: true }) }],
      { queue: 'parkflow-arrive' },
    );
    const res = await fetch(`${stack.lambdaUrl}/2015-03-31/functions/${lambdaName('arrive')}/invocations`, {
      method: 'POST',
      body: JSON.stringify(batch),
    });
    const failed = batch.Records[1]?.messageId;
    expect(await res.json()).toEqual({ batchItemFailures: [{ itemIdentifier: failed }] });
    const queued = page.locator('details.event[data-batch]');
    await expect.poll(() => queued.count()).toBe(2);
    const batchId = await queued.first().getAttribute('data-batch');
    expect(await queued.locator('.trigger').allTextContents()).toEqual(['sqs', 'sqs']);
    expect(await queued.locator('.batch').allTextContents()).toEqual(Array(2).fill(` · batch ${batchId?.slice(0, 8)}`));
    expect(await page.locator('#dead-letters li').allTextContents()).toEqual([
      `arrive · sqs · batch ${batchId?.slice(0, 8)} · record ${failed} · invalid`,
    ]);
  });
  it("turns the sandbox's per-app limit on, and shows a ban while it is in force", async () => {
    await page.locator('#app-limit').check();
    await expect.poll(() => stack.sandbox.limitState().limit).toEqual({ perSecond: 5, banSeconds: 10 });
    expect(await page.locator('#ban').isHidden()).toBe(true);
    // One call a second is easier to go over than five, whatever the machine's speed.
    stack.sandbox.setLimit({ perSecond: 1, banSeconds: 10 });
    const statuses = await Promise.all([post('arrive'), post('leave'), post('pay')]);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(stack.sandbox.limitState().refused).toBeGreaterThan(0);
    const ban = page.locator('#ban');
    await ban.waitFor({ state: 'visible' });
    expect(await ban.textContent()).toMatch(/^TOP ban in force \(App Call Limited, code 7\): app \d+: \d+ s left$/);
    await page.locator('#app-limit').uncheck();
    await expect.poll(() => stack.sandbox.limitState()).toEqual({ limit: null, bans: [], refused: 0 });
    await ban.waitFor({ state: 'hidden' });
  });
});

describe('finding a Chromium', () => {
  const withChromePath = async (path: string) => {
    const before = process.env.CHROME_PATH;
    process.env.CHROME_PATH = path;
    try {
      return await findChromium().catch((err: Error) => err.message);
    } finally {
      if (before === undefined) delete process.env.CHROME_PATH;
      else process.env.CHROME_PATH = before;
    }
  };

  it('names what to install when CHROME_PATH is wrong or its browser does not start', async () => {
    expect(await withChromePath('/nonexistent/chrome')).toBe(
      'CHROME_PATH=/nonexistent/chrome does not exist: apt-get install chromium, or set CHROME_PATH to a Chromium or Chrome binary',
    );
    expect(await withChromePath('/bin/false')).toMatch(
      /^\/bin\/false does not start \(.*\): apt-get install chromium, or set CHROME_PATH to a Chromium or Chrome binary$/,
    );
  });
});
