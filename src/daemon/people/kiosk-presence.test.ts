import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { MoodboxBus } from '../events.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { FakeRfidReader } from '../testing/fake-rfid-reader.js';
import { AuthService } from './auth-service.js';
import { KioskPresence, type KioskUser } from './kiosk-presence.js';
import { SignInThrottle } from './throttle.js';
import { actors } from '../store/audit.js';

async function setup() {
  const clock = new FakeClock();
  const log = pino({ level: 'silent' });
  const store = openSqliteStore({ clock, log }, { path: ':memory:' });
  const auth = new AuthService(
    { store, clock, log, throttle: new SignInThrottle({ clock }) },
    { kioskIdleTimeoutMs: 120_000, adminSessionMs: 3_600_000 },
  );
  const ada = await auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, actors.cli);
  const bob = await auth.createUser({ name: 'Bob', role: 'member', secret: '2468' }, actors.cli);
  store.cards.link({ cardId: '0004417733', userId: ada.id });
  store.cards.link({ cardId: '0009999999', userId: bob.id });
  const changes: Array<KioskUser | null> = [];
  const bus: MoodboxBus = new EventBus(throwingReporter);
  bus.on('personSignedIn', ({ user }) => changes.push(user), 'test');
  bus.on('personSignedOut', () => changes.push(null), 'test');
  const presence = new KioskPresence({ auth, clock, log, bus });
  await presence.start();
  return { clock, auth, presence, changes };
}

describe('KioskPresence', () => {
  it('signs in by card, and the same card again signs out', async () => {
    const { presence, changes } = await setup();
    expect(presence.card('0004417733', 'reader')).toBe('signed-in');
    expect(presence.user?.name).toBe('Ada');
    expect(presence.card('0004417733', 'reader')).toBe('signed-out');
    expect(presence.user).toBeNull();
    expect(changes.map((u) => u?.name ?? null)).toEqual(['Ada', null]);
  });

  it('lets another person take over, and ends the first session', async () => {
    const { presence, auth } = await setup();
    const first = await auth.signInWithSecret({ name: 'Ada', secret: '4711', device: 'kiosk', kind: 'kiosk' });
    presence.signedIn(first);
    expect(presence.card('0009999999', 'reader')).toBe('signed-in');
    expect(presence.user?.name).toBe('Bob');
    expect(auth.authenticate(first.token, 'kiosk')).toBeUndefined();
  });

  it('says so for an unknown card', async () => {
    const { presence } = await setup();
    expect(presence.card('0000000001', 'reader')).toBe('unknown');
    expect(presence.user).toBeNull();
  });

  it('returns to guest mode after two idle minutes', async () => {
    const { presence, clock, changes } = await setup();
    presence.card('0004417733', 'reader');
    clock.advance(119_000);
    expect(presence.user?.name).toBe('Ada');
    clock.advance(6_000);
    expect(presence.user).toBeNull();
    expect(changes.at(-1)).toBeNull();
  });

  it('hands the next card to an admin linking it instead of signing anyone in', async () => {
    const { presence, clock } = await setup();
    const captured = presence.captureNextCard(20_000);
    expect(presence.card('0001112223', 'reader')).toBe('captured');
    expect(await captured).toBe('0001112223');
    expect(presence.user).toBeNull();
    const timedOut = presence.captureNextCard(20_000);
    clock.advance(20_000);
    expect(await timedOut).toBeUndefined();
  });

  it('announces when a card reader is plugged in or unplugged, once per change (issue 28)', async () => {
    const { auth, clock } = await setup();
    const bus: MoodboxBus = new EventBus(throwingReporter);
    const seen: string[] = [];
    bus.on('cardReaderChanged', ({ status }) => seen.push(status), 'test');
    const cards = new FakeRfidReader();
    const presence = new KioskPresence({ auth, clock, log: pino({ level: 'silent' }), bus, cards });
    await presence.start();
    cards.unplug();
    cards.plugIn();
    cards.plugIn();
    cards.unplug();
    await presence.stop();
    expect(seen).toEqual(['connected', 'absent']);
  });
});
