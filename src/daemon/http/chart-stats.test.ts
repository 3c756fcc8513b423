import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChartStats } from './contract.js';
import type { MoodboxServer } from './build-server.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer } from '../testing/server.js';
import { actors } from '../store/audit.js';

// The dashboard charts of issue 16 (item 10), counted by the daemon over a real SQLite file.

const MIN = 60_000;
/** 09:30 UTC, 10:30 in a viewer one hour east of UTC: the range crosses a local hour. */
const FROM = Date.UTC(2026, 10, 20, 9, 30);
const TO = FROM + 60 * MIN;

let dir: string;
let store: SqliteStore;
let app: MoodboxServer;
let cookie: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mb-chart-stats-'));
  const clock = new FakeClock(TO);
  store = openSqliteStore({ clock, log: pino({ level: 'silent' }) }, { path: join(dir, 'moodbox.db') });
  const built = await buildTestServer({ clock, store });
  app = built.app;
  await built.auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, actors.cli);
  const res = await app.inject({
    method: 'POST',
    url: '/api/admin/session',
    payload: { name: 'Boss', passphrase: 'correct horse battery' },
  });
  cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  seed();
});

afterEach(async () => {
  await app.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The room: calm from before the range, happy from 4 min, empty from 25 min, sad from 40 min.
 * Plays: Morning Walk 3 (one skipped), Rain 3 (two skipped by people, one switched for the room), Night Drive 1 (still playing).
 */
function seed(): void {
  const mood = (at: number, m: string, faces = 1): void => store.stats.logMood({ at, mood: m, confidence: 0.8, faces });
  mood(FROM - 30 * MIN, 'calm');
  mood(FROM + 4 * MIN, 'happy', 2);
  mood(FROM + 25 * MIN, 'nobody', 0);
  mood(FROM + 40 * MIN, 'sad');
  mood(TO + 5 * MIN, 'angry');

  const walk = store.tracks.upsert({ uri: '/m/walk.flac', title: 'Morning Walk', artist: 'Ada' });
  const rain = store.tracks.upsert({ uri: '/m/rain.flac', title: 'Rain', artist: 'Bo' });
  const drive = store.tracks.upsert({ uri: '/m/drive.flac', title: 'Night Drive', artist: 'Cy' });
  const play = (trackId: number, atMin: number, m: string | null, outcome?: 'completed' | 'skipped' | 'switched'): void => {
    const p = store.plays.start({ trackId, reason: 'mood', mood: m, startedAt: FROM + atMin * MIN });
    if (outcome !== undefined) store.plays.finish(p.id, outcome, FROM + (atMin + 1) * MIN);
  };
  play(walk.id, -1, 'upbeat', 'completed'); // before the range
  play(walk.id, 1, 'upbeat', 'completed');
  play(walk.id, 12, 'upbeat', 'skipped');
  play(rain.id, 20, 'calm', 'skipped');
  play(drive.id, 30, null);
  play(walk.id, 45, 'mellow', 'completed');
  play(rain.id, 50, 'mellow', 'skipped');
  play(rain.id, 55, 'mellow', 'switched');

  const guest = store.users.create({ name: 'Guest', role: 'member' });
  store.plays.recordFeedback({ userId: guest.id, trackId: walk.id, kind: 'like', at: FROM + 2 * MIN });
  store.plays.recordFeedback({ userId: guest.id, trackId: walk.id, kind: 'like', at: FROM - 10 * MIN }); // before the range
  store.plays.recordFeedback({ userId: guest.id, trackId: rain.id, kind: 'like', at: FROM + 21 * MIN });
  // Guests' phones: two likes of Night Drive and one of Rain in the range, one of Night Drive before it.
  store.plays.recordGuestLike({ trackId: drive.id, at: FROM + 31 * MIN });
  store.plays.recordGuestLike({ trackId: drive.id, at: FROM + 32 * MIN });
  store.plays.recordGuestLike({ trackId: rain.id, at: FROM + 51 * MIN });
  store.plays.recordGuestLike({ trackId: drive.id, at: FROM - 5 * MIN });
}

async function charts(query: string): Promise<{ status: number; body: ChartStats & { error?: { message: string } } }> {
  const res = await app.inject({ url: `/api/admin/stats/charts?${query}`, headers: { cookie } });
  return { status: res.statusCode, body: res.json() };
}

describe('GET /api/admin/stats/charts', () => {
  it('gives each 10-minute bucket the mood that held longest in it, so an hour of readings is a band, not a dot', async () => {
    const { status, body } = await charts(`from=${FROM}&to=${TO}&bucketMs=${10 * MIN}`);
    expect(status).toBe(200);
    expect(body.moodTimeline).toEqual([
      { at: FROM, mood: 'happy', ms: { calm: 4 * MIN, happy: 6 * MIN } },
      { at: FROM + 10 * MIN, mood: 'happy', ms: { happy: 10 * MIN } },
      // A tie goes to the mood first in the alphabet.
      { at: FROM + 20 * MIN, mood: 'happy', ms: { happy: 5 * MIN, nobody: 5 * MIN } },
      { at: FROM + 30 * MIN, mood: 'nobody', ms: { nobody: 10 * MIN } },
      { at: FROM + 40 * MIN, mood: 'sad', ms: { sad: 10 * MIN } },
      { at: FROM + 50 * MIN, mood: 'sad', ms: { sad: 10 * MIN } },
    ]);
    expect(body.moodTotals).toEqual([
      { mood: 'happy', ms: 21 * MIN },
      { mood: 'sad', ms: 20 * MIN },
      { mood: 'nobody', ms: 15 * MIN },
      { mood: 'calm', ms: 4 * MIN },
    ]);
  });

  it('leaves buckets before the first reading empty', async () => {
    const { body } = await charts(`from=${FROM - 60 * MIN}&to=${FROM - 30 * MIN}&bucketMs=${10 * MIN}`);
    expect(body.moodTimeline.map((b) => b.mood)).toEqual([null, null, null]);
    expect(body.moodTotals).toEqual([]);
  });

  it('counts plays per mood per bucket, busy hours in the viewer’s time, and the top tracks with skip rate and likes', async () => {
    const { body } = await charts(`from=${FROM}&to=${TO}&bucketMs=${10 * MIN}&playsBucketMs=${30 * MIN}&utcOffsetMin=60&top=5`);
    expect(body.playsOverTime).toEqual([
      { at: FROM, plays: { calm: 1, upbeat: 2 } },
      { at: FROM + 30 * MIN, plays: { mellow: 3, unknown: 1 } },
    ]);
    expect(body.busyHours).toHaveLength(24);
    // 10:30–11:30 local: calm 4 + happy 21 minutes in hour 10, sad 20 minutes in hour 11; nobody counts as no one.
    expect(body.busyHours.filter((h) => h.plays > 0 || h.peopleMin > 0)).toEqual([
      { hour: 10, plays: 3, peopleMin: 25 },
      { hour: 11, plays: 4, peopleMin: 20 },
    ]);
    expect(body.topTracks).toEqual([
      {
        trackId: expect.any(Number),
        title: 'Morning Walk',
        artist: 'Ada',
        plays: 3,
        completed: 2,
        skipped: 1,
        switched: 0,
        likes: 1,
        skipRate: 0.333,
      },
      // A song changed for the room is no skip: Rain's rate is its two skips by people out of two. A
      // guest's like from a phone counts as a person's does.
      { trackId: expect.any(Number), title: 'Rain', artist: 'Bo', plays: 3, completed: 0, skipped: 2, switched: 1, likes: 2, skipRate: 1 },
      {
        trackId: expect.any(Number),
        title: 'Night Drive',
        artist: 'Cy',
        plays: 1,
        completed: 0,
        skipped: 0,
        switched: 0,
        likes: 2,
        skipRate: null,
      },
    ]);
    const top1 = await charts(`from=${FROM}&to=${TO}&bucketMs=${10 * MIN}&top=1`);
    expect(top1.body.topTracks.map((t) => t.title)).toEqual(['Morning Walk']);
  });

  it('names the field when the range or the buckets are wrong', async () => {
    const backwards = await charts(`from=${TO}&to=${FROM}&bucketMs=${MIN}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.error?.message).toMatch(/`to` to be after `from`/);
    const tooMany = await charts(`from=${FROM}&to=${TO}&bucketMs=1000`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error?.message).toMatch(/`bucketMs` to split the range into at most 1000 buckets, got `1000` \(3600 buckets\)/);
    const missing = await charts(`from=${FROM}&to=${TO}`);
    expect(missing.status).toBe(400);
    expect(missing.body.error?.message).toMatch(/bucketMs/);
  });

  it('is for the admin only', async () => {
    const res = await app.inject({ url: `/api/admin/stats/charts?from=${FROM}&to=${TO}&bucketMs=${MIN}` });
    expect(res.statusCode).toBe(401);
  });
});
