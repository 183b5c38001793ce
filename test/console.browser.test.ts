// The console page in a real browser (the system's Chromium or the packaged one, driven by playwright-core)
// on a running stack.
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
