import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { MoodboxBus } from '../events.js';
import { EventBus } from '../../kernel/event-bus.js';
import { StoreError } from '../store/store-error.js';
import { MOOD_FLUSH_MS, MOOD_FLUSH_ROWS, MoodRecorder } from './mood-recorder.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import type { RoomMood, RoomMoodLabel } from '../../kernel/room-mood.js';
import { stopService } from '../../kernel/lifecycle.js';

const silent = { info: () => {}, warn: () => {}, error: () => {} };
let dir: string;
let store: SqliteStore | undefined;
afterEach(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

function setup() {
  dir = mkdtempSync(join(tmpdir(), 'moodbox-mood-log-'));
  const clock = new FakeClock(0);
  const path = join(dir, 'moodbox.db');
  store = openSqliteStore({ clock, log: silent }, { path });
  const errors: string[] = [];
  const failures: Array<{ event: string; owner: string | undefined }> = [];
  const bus: MoodboxBus = new EventBus((_, event, owner) => void failures.push({ event, owner }));
  // Commits, as another connection sees them: `PRAGMA data_version` moves once per commit of someone else.
  const reader = new Database(path, { readonly: true });
  let version = Number(reader.pragma('data_version', { simple: true }));
  const commits = (): number => {
    const now = Number(reader.pragma('data_version', { simple: true }));
    const n = now === version ? 0 : 1;
    version = now;
    return n;
  };
  const rows = (): number => (reader.prepare('SELECT count(*) AS n FROM mood_log').get() as { n: number }).n;
  const recorder = new MoodRecorder({ clock, log: { error: (_: object, msg: string) => void errors.push(msg) }, bus, stats: store.stats });
  const change = (label: RoomMoodLabel, at: number) => {
    clock.advance(at - clock.now());
    bus.emit('roomMoodChanged', { mood: { label, scores: {}, faces: 2, confidence: 0.666, since: at }, previous: null });
  };
  return { clock, store, bus, recorder, change, commits, rows, errors, reader, failures };
}

describe('MoodRecorder', () => {
  it('writes the mood changes of a minute in one transaction, not one each', async () => {
    const h = setup();
    await h.recorder.start();
    for (let i = 1; i <= 20; i++) h.change(i % 2 === 0 ? 'happy' : 'neutral', i * 2500);
    expect(h.rows()).toBe(0);
    h.clock.advance(MOOD_FLUSH_MS - h.clock.now());
    expect(h.rows()).toBe(20);
    expect(h.commits()).toBe(1);
    expect(h.store?.stats.moodLog(0, MOOD_FLUSH_MS)[0]).toEqual({ at: 2500, mood: 'neutral', confidence: 0.67, faces: 2 });
    await h.recorder.stop();
    h.reader.close();
  });

  it('writes nothing heard after it stopped, and a listener of its that fails is reported under its name', async () => {
    const h = setup();
    await h.recorder.start();
    h.bus.emit('roomMoodChanged', { mood: undefined as unknown as RoomMood, previous: null });
    expect(h.failures).toEqual([{ event: 'roomMoodChanged', owner: 'MoodRecorder' }]);
    await stopService(h.recorder, [h.bus]);
    h.change('happy', 1000);
    h.clock.advance(MOOD_FLUSH_MS * 2);
    expect(h.rows()).toBe(0);
    expect(h.bus.listenerCount('roomMoodChanged')).toBe(0);
    h.reader.close();
  });

  it('writes as soon as a hundred changes wait, and what waits on stop', async () => {
    const h = setup();
    await h.recorder.start();
    for (let i = 1; i <= MOOD_FLUSH_ROWS; i++) h.change('happy', i * 100);
    expect(h.rows()).toBe(MOOD_FLUSH_ROWS);
    h.change('sad', 20_000);
    await h.recorder.stop();
    expect(h.rows()).toBe(MOOD_FLUSH_ROWS + 1);
    h.reader.close();
  });

  it('keeps a batch it cannot write (a full disk) for the next try, and says so', async () => {
    const h = setup();
    let isFull = true;
    const recorder = new MoodRecorder({
      clock: h.clock,
      log: { error: (_: object, msg: string) => void h.errors.push(msg) },
      bus: h.bus,
      stats: {
        logMoods: (entries) => {
          if (isFull) throw new StoreError('MB_ERR_STORE_WRITE', 'cannot write to the database: the disk is full (SQLITE_FULL)');
          h.store?.stats.logMoods(entries);
        },
      },
    });
    await recorder.start();
    h.change('happy', 1000);
    h.clock.advance(MOOD_FLUSH_MS);
    expect(h.errors).toEqual(['cannot write the mood log; kept for the next try']);
    expect(recorder.health()).toMatchObject({
      status: 'degraded',
      detail: expect.stringMatching(/1 changes wait\): .*disk is full/) as unknown,
    });
    h.change('sad', 70_000);
    isFull = false;
    h.clock.advance(MOOD_FLUSH_MS);
    expect(h.store?.stats.moodLog(0, 200_000).map((e) => e.mood)).toEqual(['happy', 'sad']);
    expect(recorder.health().status).toBe('ready');
    await recorder.stop();
    h.reader.close();
  });
});
