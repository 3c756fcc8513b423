import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../kernel/clock.js';
// Tests only: the daemon's store is what the recorder writes in production.
import { openSqliteStore, type SqliteStore } from '../daemon/store/sqlite-store.js';
import { FakeClock } from '../daemon/testing/fake-clock.js';
import type { QueueEntry } from './play-queue.js';
import { PlayRecorder, type PlayHistory } from './play-recorder.js';
import type { PlayOutcome, PlayReason } from './player.js';
import { FakePlayer } from './testing/fake-player.js';
import { MemoryPlayHistory } from './testing/player-contract.js';

const START = Date.UTC(2026, 5, 1, 12, 0);
const open: Array<{ recorder: PlayRecorder; player: FakePlayer; store?: SqliteStore }> = [];

afterEach(async () => {
  for (const { recorder, player, store } of open.splice(0)) {
    await player.stop();
    await recorder.stop();
    store?.close();
  }
});

/** A history whose writes fail, as on a full disk, for the methods in `failing`. */
class FillingHistory implements PlayHistory {
  readonly memory = new MemoryPlayHistory();
  readonly failing = new Set<keyof PlayHistory>();
  start(input: { trackId: number; reason: PlayReason; mood?: string | null }): { id: number } {
    this.#check('start');
    return this.memory.start(input);
  }
  finish(id: number, outcome: PlayOutcome): void {
    this.#check('finish');
    this.memory.finish(id, outcome);
  }
  annotate(id: number, note: string): void {
    this.#check('annotate');
    this.memory.annotate(id, note);
  }
  fill(): void {
    for (const method of ['start', 'finish', 'annotate'] as const) this.failing.add(method);
  }
  #check(method: keyof PlayHistory): void {
    if (this.failing.has(method)) throw new Error('cannot write to the database: the disk is full');
  }
}

/** A FakePlayer whose tracks end only when told (`endCurrent`, `next`), recorded into `history`. */
async function recorded(history: PlayHistory = new MemoryPlayHistory()) {
  const player = new FakePlayer({ clock: systemClock }, { trackMs: 3_600_000 });
  const errors: Array<[string, string | undefined]> = [];
  const recorder = new PlayRecorder({
    player,
    history,
    clock: { now: () => 1000 },
    log: { error: (obj, msg) => errors.push([msg, (obj as { err?: Error }).err?.message]) },
  });
  open.push({ recorder, player });
  await recorder.start();
  return { player, recorder, errors };
}

/** A FakePlayer whose tracks last 60 s on a fake clock, recorded into a real in-memory SQLite store. */
async function recordedInStore() {
  const clock = new FakeClock(START);
  const store = openSqliteStore({ clock, log: { info() {}, warn() {} } }, { path: ':memory:' });
  const player = new FakePlayer({ clock }, { trackMs: 60_000 });
  const recorder = new PlayRecorder({ player, history: store.plays, clock, log: { error() {} } });
  open.push({ recorder, player, store });
  await recorder.start();
  const ada = store.users.create({ name: 'Ada', role: 'member' });
  const entry = (n: number, reason: PlayReason, more: Partial<QueueEntry> = {}): QueueEntry => {
    const track = store.tracks.upsert({ uri: `/music/${n}.flac`, title: `track ${n}`, artist: `band ${n}` });
    return { track: { id: track.id, uri: track.uri }, reason, ...more };
  };
  return { clock, store, player, recorder, ada, entry };
}

const entries = (...ids: number[]): QueueEntry[] =>
  ids.map((id) => ({ track: { id, uri: `/music/${id}.flac` }, reason: 'mood', note: 'fits' }));

describe('PlayRecorder', () => {
  it("records every play of a player, with its note and how it ended, and writes nothing of the player's own", async () => {
    const history = new MemoryPlayHistory();
    const { player } = await recorded(history);
    await player.play([...entries(1, 2), { track: { id: 3, uri: '/music/3.flac' }, reason: 'tap', mood: 'calm' }]);
    player.endCurrent();
    await player.next();
    expect(history.plays).toEqual([
      { id: 1, trackId: 1, reason: 'mood', mood: null, outcome: 'completed', note: 'fits' },
      { id: 2, trackId: 2, reason: 'mood', mood: null, outcome: 'skipped', note: 'fits' },
      // An empty note is not written.
      { id: 3, trackId: 3, reason: 'tap', mood: 'calm' },
    ]);
  });

  it('finishes a play the player left open as interrupted when it stops, and hears nothing after', async () => {
    const history = new MemoryPlayHistory();
    const { player, recorder } = await recorded(history);
    await player.play(entries(1, 2, 3));
    await recorder.stop();
    expect(history.plays.map((p) => [p.trackId, p.outcome])).toEqual([[1, 'interrupted']]);
    // Track 1 ends and track 2 starts unheard.
    player.endCurrent();
    expect(history.plays).toHaveLength(1);
    // Started again (twice: still one subscription), it records the next play whole, and only that.
    await recorder.start();
    await recorder.start();
    player.endCurrent();
    player.endCurrent();
    expect(history.plays.map((p) => [p.trackId, p.outcome])).toEqual([
      [1, 'interrupted'],
      [3, 'completed'],
    ]);
  });

  it('never stops the music when the history cannot be written: logs it, reports itself degraded, and recovers', async () => {
    const history = new FillingHistory();
    const { player, recorder, errors } = await recorded(history);
    expect(recorder.health()).toEqual({ status: 'ready' });
    await player.play(entries(1, 2, 3, 4));
    history.fill();
    player.endCurrent();
    player.endCurrent();
    expect(player.state().current?.track.id).toBe(3);
    expect(errors).toEqual([
      ['cannot record the end of the play', 'cannot write to the database: the disk is full'],
      ['cannot record the play', 'cannot write to the database: the disk is full'],
      ['cannot record the play', 'cannot write to the database: the disk is full'],
    ]);
    expect(recorder.health()).toEqual({
      status: 'degraded',
      detail: 'the play history cannot be written: cannot write to the database: the disk is full',
    });
    history.failing.clear();
    player.endCurrent();
    expect(recorder.health()).toEqual({ status: 'ready' });
    expect(history.memory.plays.map((p) => [p.trackId, p.outcome, p.note])).toEqual([
      [1, undefined, 'fits'],
      [4, undefined, 'fits'],
    ]);
  });

  it('keeps the play open when only its note cannot be written', async () => {
    const history = new FillingHistory();
    const { player, errors } = await recorded(history);
    history.failing.add('annotate');
    await player.play(entries(1));
    history.failing.clear();
    player.endCurrent();
    expect(errors).toEqual([['cannot record why the play was picked', 'cannot write to the database: the disk is full']]);
    expect(history.memory.plays.map((p) => [p.trackId, p.outcome])).toEqual([[1, 'completed']]);
  });
});

describe('the play history of a player, written by a PlayRecorder to the SQLite store', () => {
  it('holds each play: track, person, reason, mood, times, note and outcome', async () => {
    const { clock, store, player, ada, entry } = await recordedInStore();
    await player.play([
      entry(1, 'tap', { userId: ada.id, mood: 'happy', note: 'Ada picked it' }),
      entry(2, 'mood', { mood: 'calm', note: 'fits calm' }),
      entry(3, 'like'),
    ]);
    clock.advance(60_000);
    clock.advance(10_000);
    await player.next();
    const plays = store.plays.list({}).items.sort((a, b) => a.id - b.id);
    expect(plays).toMatchObject([
      { trackId: 1, userId: ada.id, reason: 'tap', mood: 'happy', startedAt: START, endedAt: START + 60_000, outcome: 'completed' },
      { trackId: 2, userId: null, reason: 'mood', mood: 'calm', startedAt: START + 60_000, endedAt: START + 70_000, outcome: 'skipped' },
      { trackId: 3, userId: null, reason: 'like', mood: null, startedAt: START + 70_000, endedAt: null, outcome: null },
    ]);
    expect(plays.map((p) => store.plays.note(p.id))).toEqual(['Ada picked it', 'fits calm', '']);
  });

  it('holds a track that could not be played as failed, and the next one as it went', async () => {
    const { clock, store, player, entry } = await recordedInStore();
    player.markBroken('/music/1.flac');
    await player.play([entry(1, 'mood'), entry(2, 'mood')]);
    clock.advance(0);
    clock.advance(60_000);
    expect(
      store.plays
        .list({})
        .items.map((p) => [p.trackId, p.outcome])
        .sort(),
    ).toEqual([
      [1, 'failed'],
      [2, 'completed'],
    ]);
  });

  it('holds the play still open when the recorder stops as interrupted, at that time', async () => {
    const { clock, store, player, recorder, entry } = await recordedInStore();
    await player.play([entry(1, 'mood'), entry(2, 'mood')]);
    clock.advance(5_000);
    await recorder.stop();
    expect(store.plays.list({}).items.map((p) => [p.trackId, p.outcome, p.endedAt])).toEqual([[1, 'interrupted', START + 5_000]]);
  });
});
