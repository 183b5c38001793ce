import { describe, expect, it } from 'vitest';
import { Budget } from '../shared/budget.js';

describe('the time budget of an invocation', () => {
  it('cuts each wait to the time left before its end, and never below 0', () => {
    const budget = new Budget(Date.now() + 1_800);
    expect(budget.wait(1_000)).toBe(1_000);
    expect(budget.wait(5_000)).toBeLessThanOrEqual(1_800);
    expect(budget.wait(5_000)).toBeGreaterThan(1_700);
    expect(new Budget(Date.now() - 1).wait(1_000)).toBe(0);
    expect(new Budget(1_000).left(400)).toBe(600);
  });

  it('stops waiting for shared work when the time is up, and takes its result when it comes first', async () => {
    const slow = new Promise<string>((resolve) => setTimeout(() => resolve('done'), 1_000));
    const started = Date.now();
    expect(await new Budget(Date.now() + 50).within(slow, () => 'late')).toBe('late');
    expect(Date.now() - started).toBeLessThan(500);
    expect(await new Budget(Date.now() + 5_000).within(Promise.resolve('done'), () => 'late')).toBe('done');
    await expect(
      new Budget(Date.now()).within(slow, () => {
        throw new Error('no time');
      }),
    ).rejects.toThrow('no time');
  });
});
