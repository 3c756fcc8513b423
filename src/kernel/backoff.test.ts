import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles the wait per failure in a row, up to the most', () => {
    const backoff = new Backoff({ firstMs: 500, maxMs: 3000 });
    expect(Array.from({ length: 6 }, () => backoff.fail())).toEqual([500, 1000, 2000, 3000, 3000, 3000]);
    expect(backoff.failures).toBe(6);
  });

  it('tells the wait the next failure brings without counting one', () => {
    const backoff = new Backoff({ firstMs: 1000, maxMs: 60_000 });
    expect([backoff.delayMs, backoff.delayMs]).toEqual([1000, 1000]);
    backoff.fail();
    expect([backoff.delayMs, backoff.failures]).toEqual([2000, 1]);
  });

  it('starts again from the first wait after a reset', () => {
    const backoff = new Backoff({ firstMs: 250, maxMs: 10_000 });
    for (let i = 0; i < 4; i++) backoff.fail();
    backoff.reset();
    expect([backoff.failures, backoff.fail(), backoff.fail()]).toEqual([0, 250, 500]);
  });

  it('stays at the most however many failures, without overflowing', () => {
    const backoff = new Backoff({ firstMs: 1, maxMs: 30_000 });
    for (let i = 0; i < 5000; i++) backoff.fail();
    expect(backoff.fail()).toBe(30_000);
  });

  it('waits the most from the start when the first wait is the most', () => {
    const backoff = new Backoff({ firstMs: 400, maxMs: 400 });
    expect([backoff.fail(), backoff.fail()]).toEqual([400, 400]);
  });

  it('refuses a first wait of 0 or one above the most', () => {
    expect(() => new Backoff({ firstMs: 0, maxMs: 100 })).toThrow(RangeError);
    expect(() => new Backoff({ firstMs: 200, maxMs: 100 })).toThrow('Expected `firstMs` > 0 and `maxMs` >= it, got `200` and `100`');
    expect(() => new Backoff({ firstMs: Number.NaN, maxMs: 100 })).toThrow(RangeError);
  });
});
