import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Daemon, TEST_CONFIG, WAIT, a11yProblems, assertBuilt, launchBrowser, startDaemon, tempDir } from './harness.js';

// Issue 82: a phone's "not this" from an address another phone had voted from said "You voted"
// while the counter stayed put. It says the vote is noted but does not count yet, and why.

describe('a vote from a phone behind the same address', { timeout: 180_000 }, () => {
  const data = tempDir('mb-guest-vote-not-counted-');
  let daemon: Daemon;
  const phones: Browser[] = [];

  beforeAll(async () => {
    assertBuilt();
    daemon = await startDaemon(data.path, { config: { ...TEST_CONFIG, guests: { requests: 'on' } } });
    for (let i = 0; i < 2; i++) phones.push(await launchBrowser({ width: 390, height: 844 }, [], { hasTouch: true }));
  }, 120_000);

  afterAll(async () => {
    for (const phone of phones) await phone.close();
    await daemon?.stop();
    data.remove();
  });

  it('says a "not this" that does not count yet does not, and why', async () => {
    const [first, second] = phones.map((p) => p.page);
    if (first === undefined || second === undefined) throw new Error('two phones');
    const notThis = (page: typeof first) => page.getByRole('region', { name: 'Now playing' }).locator('[data-action="not-this"]');
    for (const page of [first, second]) {
      await page.goto(`${daemon.url}/guest`);
      await notThis(page).waitFor(WAIT);
    }
    const title = (await first.locator('section.now .title').textContent())?.trim() ?? '';

    await notThis(first).tap();
    await first
      .locator('.message')
      .filter({ hasText: `You voted “not this” on “${title}”.` })
      .waitFor(WAIT);
    await notThis(second).locator('.count').filter({ hasText: /^1\// }).waitFor(WAIT);

    // The second phone, new on the same address: noted, not counted, and told so.
    await notThis(second).tap();
    const message = second.locator('.message');
    await message.waitFor(WAIT);
    expect(await message.textContent()).toContain(`Your “not this” on “${title}” is noted but does not count yet`);
    expect(await message.textContent()).not.toContain('You voted');
    expect(await notThis(second).locator('.count').textContent()).toMatch(/^1\//);
    expect(await a11yProblems(second)).toEqual([]);
  });
});
