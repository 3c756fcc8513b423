import { afterEach, describe, expect, it } from 'vitest';
import { staffDirector } from '../testing/staff-director.js';
import { until } from '../testing/daemon-process.js';

// The owner blocks songs and artists from the admin panel (issue 40): a real director on real mpv
// (no audio out), a real SQLite file, the admin routes.

const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Three calm tones and two mellow ones, each by its own artist; calm plays at start. A minute each: none ends by itself during a test, even on a busy machine. */
async function setup() {
  const songs = ['calm', 'calm', 'calm', 'mellow', 'mellow'].map((mood, i) => ({
    mood,
    title: `${mood} ${i}`,
    artist: `Artist ${i}`,
    hz: 300 + 40 * i,
    seconds: 60,
  }));
  const box = await staffDirector({ songs, blocks: true });
  cleanups.push(() => box.close());
  return box;
}

describe('the owner blocks songs and artists', { timeout: 60_000 }, () => {
  it('takes a blocked artist out of the queue and a blocked song off the speakers at once, refuses them to staff, and lets them play again once lifted', async () => {
    const { call, player, store, ids, playing } = await setup();
    const [mellowA, mellowB] = [ids[3] ?? 0, ids[4] ?? 0];
    await call('POST', '/api/admin/player/queue', { trackId: mellowA });
    await call('POST', '/api/admin/player/queue', { trackId: mellowB });
    expect(player.state().upcoming.map((i) => i.track.id)).toEqual([mellowB, mellowA]);

    // An artist, typed in another case: their song leaves the queue; the other staff pick stays.
    const artist = await call('POST', '/api/admin/blocks', { artist: 'ARTIST 3' });
    expect(artist.statusCode).toBe(201);
    expect(artist.json()).toMatchObject({ kind: 'artist', artist: 'ARTIST 3', createdBy: expect.stringMatching(/^admin:\d+$/) as unknown });
    await until(() => (player.state().upcoming.some((i) => i.track.id === mellowA) ? undefined : true));
    expect(player.state().upcoming.map((i) => i.track.id)).toEqual([mellowB]);

    // The song playing: the song shown next plays at once (here the one staff queued), not the blocked one.
    const before = playing();
    expect(before?.track.id).not.toBe(mellowB);
    const song = await call('POST', '/api/admin/blocks', { trackId: before?.track.id });
    expect(song.json()).toMatchObject({ kind: 'song', trackId: before?.track.id, title: before?.track.title });
    const after = await until(() => (playing()?.key !== before?.key ? playing() : undefined));
    expect(after?.track.id).not.toBe(before?.track.id);
    expect(after?.track.id).toBe(mellowB);

    // Staff are told why they cannot play them.
    const refused = await call('POST', '/api/admin/player/play-now', { trackId: mellowA });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: { code: 'MB_ERR_MUSIC_BLOCKED', message: expect.stringContaining('its artist is blocked on this box') as unknown },
    });
    // Refused means nothing happened: the song was not started, nor recorded, nor audited.
    expect(playing()?.track.id).not.toBe(mellowA);
    expect(store.plays.list({}).items.map((p) => p.trackId)).not.toContain(mellowA);
    expect(store.audit.list({ action: 'player.play-now' }).total).toBe(0);
    const list = await call('GET', '/api/admin/blocks');
    expect(list.json()).toMatchObject({
      items: [
        { kind: 'artist', artist: 'ARTIST 3' },
        { kind: 'song', trackId: before?.track.id },
      ],
      explicit: 'play',
      explicitSkipped: 0,
    });

    // Lifted: staff may play the song again.
    const lifted = await call('DELETE', `/api/admin/blocks/${artist.json<{ id: number }>().id}`);
    expect(lifted.statusCode).toBe(200);
    const played = await call('POST', '/api/admin/player/play-now', { trackId: mellowA });
    expect(played.statusCode).toBe(200);
    expect(playing()?.track.id).toBe(mellowA);
    const actions = store.audit
      .list({})
      .items.map((e) => e.action)
      .filter((a) => a.startsWith('music.'))
      .reverse();
    expect(actions).toEqual(['music.block', 'music.block', 'music.unblock']);
  });

  it('picks the song next again at once when the one shown next is blocked, the music’s own pick or staff’s', async () => {
    const { call, player, ids, playing } = await setup();
    const nextOther = (blocked: number) => () => {
      const next = player.state().upcoming[0];
      return next !== undefined && next.track.id !== blocked ? next : undefined;
    };
    const own = await until(() => player.state().upcoming[0]);
    expect((await call('POST', '/api/admin/blocks', { trackId: own.track.id })).statusCode).toBe(201);
    const picked = await until(nextOther(own.track.id), 5000, () => 'Expected another song next, got none');
    expect(picked.reason).toBe('mood');
    expect(picked.track.id).not.toBe(playing()?.track.id);

    // A song staff put next, then blocked: it leaves, and the music's own pick takes its place.
    const chosen = ids.find((id) => ![playing()?.track.id, own.track.id, picked.track.id].includes(id)) ?? 0;
    await call('POST', '/api/admin/player/queue', { trackId: chosen });
    expect(player.state().upcoming.map((i) => i.track.id)).toEqual([chosen]);
    await call('POST', '/api/admin/blocks', { trackId: chosen });
    const again = await until(nextOther(chosen), 5000, () => 'Expected another song next, got none');
    expect(again.reason).toBe('mood');
    expect(player.state().upcoming.map((i) => i.track.id)).not.toContain(chosen);
  });

  it('imports a block list, names the field of a bad one, and refuses anyone but an admin', async () => {
    const { call, server, store } = await setup();
    const imported = await call('POST', '/api/admin/blocks/import', { csv: 'artist,title\nArtist 1,calm 1\nArtist 4,\nNobody,Nothing\n' });
    expect(imported.json()).toEqual({ songs: 1, artists: 1, unmatched: [{ line: 4, key: 'Nobody – Nothing' }], invalid: [] });
    const bad = await call('POST', '/api/admin/blocks/import', { csv: 'title\nsomething\n' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: { code: 'MB_ERR_HTTP_BAD_REQUEST', message: expect.stringMatching(/^body\.csv: .*`artist` column/) as unknown },
    });
    // An artist hiding a direction override or NUL is refused, naming the field, as a person's name is (issue 59).
    for (const artist of ['Artist 2\u202E', 'Artist\u0000 2']) {
      const hidden = await call('POST', '/api/admin/blocks', { artist });
      expect(hidden.statusCode).toBe(400);
      expect(hidden.json()).toMatchObject({
        error: {
          code: 'MB_ERR_HTTP_BAD_REQUEST',
          message: expect.stringMatching(/^body\.artist: .*direction-changing characters, got U\+/) as unknown,
        },
      });
    }
    const gone = await call('DELETE', '/api/admin/blocks/9999');
    expect(gone.statusCode).toBe(404);

    const anonymous = await server.app.inject({ method: 'POST', url: '/api/admin/blocks', payload: { artist: 'Artist 2' } });
    expect([401, 403]).toContain(anonymous.statusCode);
    expect(store.blocks.list().map((b) => b.kind)).toEqual(['artist', 'song']);
  });
});
