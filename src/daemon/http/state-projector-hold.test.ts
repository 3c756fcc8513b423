import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { MoodboxBus } from '../events.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { roomMoodOf } from '../../kernel/room-mood.js';
import { StateHub } from './state-hub.js';
import { initialScreenState, StateProjector } from './state-projector.js';

const open: Array<{ projector: StateProjector; store: SqliteStore }> = [];
afterEach(async () => {
  for (const { projector, store } of open.splice(0)) {
    await projector.stop();
    store.close();
  }
});

describe('StateProjector and a mood held by staff (issue 16)', () => {
  it('shows the held mood beside the room’s, keeps it through room changes, and clears it when released', async () => {
    const clock = new FakeClock();
    const store = openSqliteStore({ clock, log: pino({ level: 'silent' }) }, { path: ':memory:' });
    const bus: MoodboxBus = new EventBus(throwingReporter);
    const hub = new StateHub(initialScreenState({ version: '1.2.3', demo: false }), { log: { error() {} } });
    const projector = new StateProjector({ bus, hub, clock, store, services: () => [] });
    await projector.start();
    open.push({ projector, store });
    const mood = () => hub.snapshot().data.mood;

    bus.emit('moodHeld', { label: 'happy', until: 5000, music: 'upbeat' });
    expect(mood().held).toEqual({ label: 'happy', until: 5000, music: 'upbeat' });
    bus.emit('roomMoodChanged', { mood: roomMoodOf('sad', 1000), previous: null });
    expect(mood()).toMatchObject({ current: 'sad', held: { label: 'happy', until: 5000, music: 'upbeat' } });
    bus.emit('moodReleased', { why: 'expired' });
    expect(mood()).toMatchObject({ current: 'sad', held: null });
  });
});
