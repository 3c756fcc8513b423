import { describe, expect, it } from 'vitest';
import { FakePlayer } from '../../player/testing/fake-player.js';
import type { MoodboxBus } from '../events.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { FakeClock } from '../testing/fake-clock.js';
import { MoodboxMetrics } from './moodbox-metrics.js';

const entry = (id: number, reason: 'mood' | 'skip' | 'staff') => ({
  track: { id, uri: `/music/${id}.ogg` },
  reason,
  mood: 'calm',
  note: '',
});

/** The value of a counter without labels in Prometheus's text format. */
const counter = (text: string, name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

describe('MoodboxMetrics', () => {
  it('counts a song changed for the room as a switch, and every song a person cut as a skip', async () => {
    const player = new FakePlayer({ clock: new FakeClock() });
    const bus: MoodboxBus = new EventBus(throwingReporter);
    const metrics = new MoodboxMetrics({ bus, player, sourceOf: () => 'local' });
    await metrics.start();
    await player.play([entry(1, 'mood'), entry(2, 'mood')]);
    await player.next(); // a skip to the song the screens show as next: it starts for the room's mood
    await player.play([entry(3, 'staff')]); // staff's "play now" cuts song 2 (issue 62)
    await player.play([entry(4, 'mood')], { replacedAs: 'switched' });
    await player.play([entry(5, 'skip')]);
    const { body } = await metrics.render();
    await metrics.stop();
    await player.stop();
    expect(counter(body, 'moodbox_switches_total')).toBe(1);
    expect(counter(body, 'moodbox_skips_total')).toBe(3);
  });

  it("serves no gauge named like a counter, as promtool's lint asks, and Node's active handles still (issue 38)", async () => {
    const metrics = new MoodboxMetrics({
      bus: new EventBus(throwingReporter),
      player: new FakePlayer({ clock: new FakeClock() }),
      sourceOf: () => 'local',
    });
    const { body } = await metrics.render();
    const types = new Map([...body.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
    expect([...types].filter(([name, type]) => name?.endsWith('_total') && type !== 'counter')).toEqual([]);
    expect(types.get('nodejs_active_handles')).toBe('gauge');
  });

  // Issue 80: the LAN's scrape counted the faces in view, which the screens' guest view never shows.
  it('counts the faces in view for the `all` view only, and serves every other metric to both', async () => {
    const bus: MoodboxBus = new EventBus(throwingReporter);
    const metrics = new MoodboxMetrics({ bus, player: new FakePlayer({ clock: new FakeClock() }), sourceOf: () => 'local' });
    await metrics.start();
    bus.emit('facesInViewChanged', { faces: 4 });
    const all = (await metrics.render('all')).body;
    const guest = (await metrics.render('guest')).body;
    expect(counter(all, 'moodbox_faces')).toBe(4);
    expect(counter((await metrics.render()).body, 'moodbox_faces')).toBe(4);
    expect(guest).not.toContain('moodbox_faces');
    const families = (text: string): string[] => [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] ?? '');
    expect(families(all).filter((name) => !families(guest).includes(name))).toEqual(['moodbox_faces']);
    await metrics.stop();
  });

  it('says while no audio reaches the listener, and counts each time it stopped by cause (issue 62)', async () => {
    const player = new FakePlayer({ clock: new FakeClock() });
    const metrics = new MoodboxMetrics({ bus: new EventBus(throwingReporter), player, sourceOf: () => 'local' });
    await metrics.start();
    expect(counter((await metrics.render()).body, 'moodbox_player_stalled')).toBe(0);
    const stall = { cause: 'output' as const, detail: 'the audio output is not playing' };
    player.events.emit('stalledChanged', { stalled: stall });
    player.events.emit('stalledChanged', { stalled: { ...stall, detail: 'still not' } });
    const { body } = await metrics.render();
    expect(counter(body, 'moodbox_player_stalled')).toBe(1);
    expect(body).toMatch(/^moodbox_player_stalls_total\{cause="output"\} 1$/m);
    player.events.emit('stalledChanged', { stalled: null });
    expect(counter((await metrics.render()).body, 'moodbox_player_stalled')).toBe(0);
    await metrics.stop();
  });

  it('tells an empty room from a camera switched off, where both read 0 faces (issue 62)', async () => {
    const bus: MoodboxBus = new EventBus(throwingReporter);
    const metrics = new MoodboxMetrics({ bus, player: new FakePlayer({ clock: new FakeClock() }), sourceOf: () => 'local' });
    await metrics.start();
    const cameraIn = async (): Promise<string[]> =>
      [...(await metrics.render()).body.matchAll(/^moodbox_camera_state\{state="(\w+)"\} 1$/gm)].map((m) => m[1] ?? '');
    expect(await cameraIn()).toEqual(['off']);
    bus.emit('cameraStateChanged', { status: 'on', detail: null });
    bus.emit('facesInViewChanged', { faces: 0 });
    expect(await cameraIn()).toEqual(['on']);
    bus.emit('cameraStateChanged', { status: 'off', detail: 'camera hours 08:00-18:00' });
    expect(await cameraIn()).toEqual(['off']);
    expect((await metrics.render()).body).toMatch(/^moodbox_camera_state\{state="on"\} 0$/m);
    await metrics.stop();
  });
});
