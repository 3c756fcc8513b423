import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer } from '../testing/server.js';
import { KIOSK_SCREEN, LAN_PAGE, socket, until } from '../testing/ws-socket.js';
import { isQuietHours } from '../music/limits-policy.js';
import {
  QUIET_HOURS_CHECK_MS,
  runtimeFileScreen,
  ScreenPower,
  SCREEN_FILE,
  SCREEN_WRITE_GAP_MS,
  type ScreenSwitch,
} from '../ops/screen-power.js';

const QUIET = { player: { quietHours: { from: '22:00', to: '07:00' } } };
const dirs: string[] = [];
const closers: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * The real server with the display as the box has it: a runtime folder whose `screen` file the
 * backlight helper watches. The clock at 23:00 local time, in the quiet hours of 22:00–07:00.
 */
async function box(options: { hour?: number; screen?: ScreenSwitch } = {}) {
  const runtime = mkdtempSync(join(tmpdir(), 'moodbox-run-'));
  dirs.push(runtime);
  const clock = new FakeClock(new Date(2026, 0, 9, options.hour ?? 23, 0).getTime());
  // Each write of the file, as the backlight's path unit sees them.
  const writes: boolean[] = [];
  const file = runtimeFileScreen({ RUNTIME_DIRECTORY: runtime })!;
  const screen = new ScreenPower({
    screen: options.screen ?? { set: (isOn) => (writes.push(isOn), file.set(isOn)) },
    log: pino({ level: 'silent' }),
    clock,
    // As the daemon asks it: the settings in force (those the server starts with) at the clock's time.
    isQuietHours: () => isQuietHours(QUIET.player, clock.now()),
  });
  const server = await buildTestServer({ clock, config: QUIET, screen });
  closers.push(() => server.app.close());
  const wish = (): string | null => {
    try {
      return readFileSync(join(runtime, SCREEN_FILE), 'utf8');
    } catch {
      return null;
    }
  };
  return { server, screen, wish, clock, writes };
}

describe('the display sleeps with the kiosk screen on the box in the quiet hours', () => {
  it('goes dark when the kiosk screen sleeps, and lights up again at a touch', async () => {
    const { server, wish, clock } = await box();
    const kiosk = await socket(server.app, KIOSK_SCREEN);
    expect(wish()).toBeNull();

    expect(await kiosk.ask('screen/sleep', { isAsleep: true })).toMatchObject({
      status: 'ok',
      data: { isScreenOn: false, isApplied: true },
    });
    await until(() => wish() === 'off\n');

    expect(await kiosk.ask('screen/sleep', { isAsleep: false })).toMatchObject({ data: { isScreenOn: true } });
    // Written once the gap since the last write has passed (the backlight's helper may not start too often).
    clock.advance(SCREEN_WRITE_GAP_MS);
    await until(() => wish() === 'on\n');
  });

  it('stays lit while another kiosk screen on the box is awake', async () => {
    const { server, wish } = await box();
    const first = await socket(server.app, KIOSK_SCREEN);
    const second = await socket(server.app, KIOSK_SCREEN);
    await second.ask('screen/sleep', { isAsleep: false });
    expect(await first.ask('screen/sleep', { isAsleep: true })).toMatchObject({ data: { isScreenOn: true } });
    expect(await second.ask('screen/sleep', { isAsleep: true })).toMatchObject({ data: { isScreenOn: false } });
    await until(() => wish() === 'off\n');
  });

  it('a page on another device (a tablet on the LAN) never darkens the box', async () => {
    const { server, screen, wish } = await box();
    const tablet = await socket(server.app, LAN_PAGE);
    expect(await tablet.ask('screen/sleep', { isAsleep: true })).toMatchObject({
      status: 'ok',
      data: { isScreenOn: true, isApplied: false },
    });
    expect(screen.isOn).toBe(true);
    expect(wish()).toBeNull();
  });

  it('lights up when the sleeping kiosk screen goes away (a browser that crashed never leaves it dark)', async () => {
    const { server, wish, clock } = await box();
    const kiosk = await socket(server.app, KIOSK_SCREEN);
    await kiosk.ask('screen/sleep', { isAsleep: true });
    await until(() => wish() === 'off\n');
    kiosk.ws.terminate();
    clock.advance(SCREEN_WRITE_GAP_MS);
    await until(() => wish() === 'on\n');
  });

  it('lights up when the daemon stops', async () => {
    const { server, wish } = await box();
    const kiosk = await socket(server.app, KIOSK_SCREEN);
    await kiosk.ask('screen/sleep', { isAsleep: true });
    await until(() => wish() === 'off\n');
    await server.app.close();
    expect(wish()).toBe('on\n');
  });

  it('lights up when the quiet hours end, even if the kiosk screen never says it woke', async () => {
    const { server, wish, clock } = await box({ hour: 6 });
    const kiosk = await socket(server.app, KIOSK_SCREEN);
    await kiosk.ask('screen/sleep', { isAsleep: true });
    await until(() => wish() === 'off\n');
    // 06:59: still quiet; 07:00, the quiet hours' end, within a minute.
    clock.advance(59 * 60_000);
    expect(wish()).toBe('off\n');
    clock.advance(QUIET_HOURS_CHECK_MS);
    await until(() => wish() === 'on\n');
  });

  it('stays lit outside the quiet hours, whatever a page says', async () => {
    const { server, wish } = await box({ hour: 15 });
    const kiosk = await socket(server.app, KIOSK_SCREEN);
    expect(await kiosk.ask('screen/sleep', { isAsleep: true })).toMatchObject({ data: { isScreenOn: true, isApplied: true } });
    expect(wish()).toBeNull();
  });

  it('a display that cannot be told changes nothing else: the kiosk is answered, and the next change tries again', async () => {
    const asked: boolean[] = [];
    let isBroken = true;
    const flaky: ScreenSwitch = {
      set: async (isOn) => {
        asked.push(isOn);
        if (isBroken) throw new Error('EACCES: permission denied');
      },
    };
    const { server, clock } = await box({ screen: flaky });
    const kiosk = await socket(server.app, KIOSK_SCREEN);
    expect(await kiosk.ask('screen/sleep', { isAsleep: true })).toMatchObject({ status: 'ok' });
    isBroken = false;
    await kiosk.ask('screen/sleep', { isAsleep: false });
    clock.advance(SCREEN_WRITE_GAP_MS);
    await until(() => asked.length === 2);
    expect(asked).toEqual([false, true]);
  });

  // Issue 80: 40 toggles in 2 s wrote the file 40 times, and systemd starts the backlight's helper at
  // most 5 times in 10 s (its default start limit): the path unit would have failed.
  it('writes the file at most once every few seconds however fast the kiosk toggles, ending in the last state asked for', async () => {
    const { server, wish, clock, writes } = await box();
    const kiosk = await socket(server.app, KIOSK_SCREEN);
    for (let i = 0; i < 40; i++) {
      await kiosk.ask('screen/sleep', { isAsleep: i % 2 === 0 });
      clock.advance(50);
    }
    // The first change is written at once; what follows within the gap waits for it, and only the last counts.
    await until(() => wish() === 'off\n');
    expect(writes).toEqual([false]);
    clock.advance(SCREEN_WRITE_GAP_MS);
    await until(() => wish() === 'on\n');
    // Dark and lit again before the gap ends: the file already says so, and nothing more is written.
    await kiosk.ask('screen/sleep', { isAsleep: true });
    await kiosk.ask('screen/sleep', { isAsleep: false });
    clock.advance(SCREEN_WRITE_GAP_MS);
    // One more round trip, for a write the put-off timer might have started to show.
    await kiosk.ask('screen/sleep', { isAsleep: false });
    expect(writes).toEqual([false, true]);
    expect(wish()).toBe('on\n');
  });
});
