import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../src/daemon/http/contract.js';
import { type AdminPage, WAIT, adminPage, boxOf, shot } from './harness.js';
import { MIN_TARGET_PX, MIN_TEXT_PX } from './phone-checks.js';

// Day plans from the owner's phone (issue 40): a block of the day added in Settings at 390 px, saved
// against the real daemon, and shown on the dashboard as "Now: lunch (upbeat)"; an overlapping
// block refused beside the field; the block removed again.

const PHONE = { width: 390, height: 844 } as const;

/** `date` moved by `minutes`, as HH:MM in the local time the daemon runs in (the same process environment). */
function hhmm(minutes: number): string {
  const at = new Date(Date.now() + minutes * 60_000);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

/**
 * The controls of `editor` a finger must hit that are under 44 px either way, and its visible text
 * under 14 px: each as a short description. Sliders' heights count too (they are drawn 44 px high).
 */
async function smallInside(editor: Locator): Promise<string[]> {
  return editor.evaluate(
    (host, [minTarget, minText]) => {
      const root = host.shadowRoot ?? host;
      const found: string[] = [];
      for (const el of root.querySelectorAll<HTMLElement>('button, input, select')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0) continue;
        if (box.height < minTarget || box.width < minTarget) {
          found.push(`${el.tagName.toLowerCase()} ${Math.round(box.width)}x${Math.round(box.height)}`);
        }
      }
      for (const el of root.querySelectorAll<HTMLElement>('legend, label, output, p, button, option, select, input')) {
        const size = Number.parseFloat(getComputedStyle(el).fontSize);
        if (el.getBoundingClientRect().width > 0 && size < minText) found.push(`${el.tagName.toLowerCase()} text ${size} px`);
      }
      return found;
    },
    [MIN_TARGET_PX, MIN_TEXT_PX] as const,
  );
}

describe('day plans in the admin panel on a phone', { timeout: 240_000 }, () => {
  let admin: AdminPage;
  let page: Page;
  const plans = () => page.locator('[data-setting="player.dayPlans"]');
  const state = async (): Promise<StateSnapshot> =>
    ((await (await fetch(`${admin.daemon.url}/api/state`)).json()) as { data: StateSnapshot }).data;
  const save = async (expected: string): Promise<void> => {
    await page.getByRole('button', { name: 'Save', exact: true }).tap();
    await page.locator('[data-result]').filter({ hasText: expected }).waitFor(WAIT);
  };

  beforeAll(async () => {
    admin = await adminPage({ prefix: 'mb-admin-day-plans-', view: '#settings', heading: 'Settings', viewport: PHONE, hasTouch: true });
    page = admin.page;
  }, 120_000);

  afterAll(() => admin?.close());

  it('adds a lunch block in Settings at 390 px, with the library’s moods to lean toward and every target finger-sized', async () => {
    const row = plans();
    await row.waitFor(WAIT);
    expect(await row.getAttribute('data-widget')).toBe('plans');
    await row.locator('[data-no-plans]').waitFor(WAIT);
    expect((await state()).dayPlan).toBeNull();

    await row.getByRole('button', { name: 'Add a plan' }).tap();
    const block = row.locator('fieldset[data-plan="0"]');
    await block.waitFor(WAIT);
    // A block just added is named as its card is, and whole: the form has nothing to fix before a word is typed.
    expect(await block.getByLabel('Name', { exact: true }).inputValue()).toBe('Plan 1');
    await page.locator('[data-result]').filter({ hasText: '1 unsaved change' }).waitFor(WAIT);
    expect(await row.locator('.error').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isEnabled()).toBe(true);
    await block.getByLabel('Name', { exact: true }).fill('lunch');
    await block.getByLabel('From', { exact: true }).fill(hhmm(-60));
    await block.getByLabel('To', { exact: true }).fill(hhmm(60));
    const lean = block.getByLabel('Lean toward');
    // The moods of the library are offered, and no lean.
    await expect.poll(() => lean.locator('option').allTextContents(), WAIT).toEqual(expect.arrayContaining(['No lean', 'calm', 'upbeat']));
    await lean.selectOption('upbeat');
    await block.getByLabel('Energy cap of lunch').fill('80');
    await block.getByLabel('Volume cap of lunch').fill('60');
    await block.locator('legend').filter({ hasText: 'lunch' }).waitFor(WAIT);
    expect(await block.locator('output').allTextContents()).toEqual(['up to 80', 'up to 60']);

    const editor = row.locator('mb-day-plans');
    expect(await smallInside(editor)).toEqual([]);
    // Nothing sticks out of a phone's width.
    expect((await boxOf(editor)).width).toBeLessThanOrEqual(PHONE.width);
    // As the owner sees it: the block in the middle of the phone's screen, the bars of the panel around it.
    await block.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot(page, 'admin-day-plans-editor');

    await save('Saved and in effect: Day plans set to lunch');
    await expect
      .poll(async () => (await state()).dayPlan, WAIT)
      .toMatchObject({ name: 'lunch', mood: 'upbeat', energyCap: 80, volumeCap: 60 });
  });

  it('shows the block in force on the dashboard: “Now: lunch (upbeat)”', async () => {
    await page.goto(`${admin.daemon.url}/admin#dashboard`);
    const line = page.locator('[data-day-plan]');
    await line.filter({ hasText: 'Now: lunch (upbeat)' }).waitFor(WAIT);
    expect(await page.locator('[data-day-plan-detail]').textContent()).toMatch(
      /Day plan, \d{1,2}:\d\d\s[AP]M–\d{1,2}:\d\d\s[AP]M · energy up to 80 · volume up to 60/,
    );
    const card = page.locator('section').filter({ has: line });
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'admin-day-plans-dashboard');
  });

  it('refuses a block that overlaps lunch, beside the field, and saves nothing', async () => {
    await page.goto(`${admin.daemon.url}/admin#settings`);
    const row = plans();
    await row.locator('fieldset[data-plan="0"]').waitFor(WAIT);
    await row.getByRole('button', { name: 'Add a plan' }).tap();
    const second = row.locator('fieldset[data-plan="1"]');
    await second.getByLabel('Name', { exact: true }).fill('busy');
    await second.getByLabel('From', { exact: true }).fill(hhmm(0));
    await save('Not saved.');
    await row
      .locator('.error')
      .filter({ hasText: /“busy” \(\d\d:\d\d–\d\d:\d\d\) overlaps “lunch”/ })
      .waitFor(WAIT);
    expect(await page.locator('[data-result]').textContent()).toContain('Change this setting (marked): Day plans.');
    expect((await state()).dayPlan?.name).toBe('lunch');
    await page.getByRole('button', { name: 'Discard changes' }).tap();
    await expect.poll(() => row.locator('fieldset').count(), WAIT).toBe(1);
  });

  it('removes the block: the dashboard shows no plan', async () => {
    await plans().getByRole('button', { name: 'Remove lunch' }).tap();
    await plans().locator('[data-no-plans]').waitFor(WAIT);
    await save('Saved and in effect: Day plans set to none');
    await expect.poll(async () => (await state()).dayPlan, WAIT).toBeNull();
    await page.goto(`${admin.daemon.url}/admin#dashboard`);
    await page.locator('[data-room-mood]').waitFor(WAIT);
    expect(await page.locator('[data-day-plan]').count()).toBe(0);
  });
});
