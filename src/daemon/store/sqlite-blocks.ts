import type Database from 'better-sqlite3';
import { lazy } from './sqlite-guard.js';

/** A song or an artist the owner blocked (migration 019). */
export type BlockedEntry =
  | { id: number; kind: 'song'; trackId: number; title: string; artist: string; createdAt: number; createdBy: string }
  | { id: number; kind: 'artist'; artist: string; createdAt: number; createdBy: string };

export interface BlockRepository {
  /** Every block, artists first (by name), then songs (by artist and title). */
  list(): BlockedEntry[];
  get(id: number): BlockedEntry | undefined;
  /** Blocks a song; the block already there when it is blocked. */
  addSong(trackId: number, at: number, by: string): { entry: BlockedEntry; isNew: boolean };
  /** Blocks an artist by name (compared as `artistKey` gives); the block already there when it is blocked. */
  addArtist(artist: string, at: number, by: string): { entry: BlockedEntry; isNew: boolean };
  /** Lifts a block; false when there is none of this id. */
  remove(id: number): boolean;
  /** The ids of the tracks whose tags mark them explicit. */
  explicitTrackIds(): Set<number>;
}

/** How artists are compared: trimmed, inner spaces folded, lower case. */
export function artistKey(artist: string): string {
  return artist.trim().replace(/\s+/g, ' ').toLowerCase();
}

interface BlockRow {
  id: number;
  track_id: number | null;
  artist: string | null;
  created_at: number;
  created_by: string;
  title: string | null;
  track_artist: string | null;
}

const SELECT = `SELECT b.id, b.track_id, b.artist, b.created_at, b.created_by, t.title, t.artist AS track_artist
  FROM blocked_music b LEFT JOIN tracks t ON t.id = b.track_id`;

const toEntry = (r: BlockRow): BlockedEntry =>
  r.track_id === null
    ? { id: r.id, kind: 'artist', artist: r.artist ?? '', createdAt: r.created_at, createdBy: r.created_by }
    : {
        id: r.id,
        kind: 'song',
        trackId: r.track_id,
        title: r.title ?? '',
        artist: r.track_artist ?? '',
        createdAt: r.created_at,
        createdBy: r.created_by,
      };

/** The blocked songs and artists. `guard` turns SQLite write failures into the store's errors. */
export function blocksRepo(db: Database.Database, deps: { guard: <T>(fn: () => T) => T }): BlockRepository {
  const { guard } = deps;
  // Prepared on first use: a database opened at an older schema version (tests of migrations) has no such table.
  const byId = lazy(() => db.prepare<[number], BlockRow>(`${SELECT} WHERE b.id = ?`));
  const byTrack = lazy(() => db.prepare<[number], BlockRow>(`${SELECT} WHERE b.track_id = ?`));
  const byArtist = lazy(() => db.prepare<[string], BlockRow>(`${SELECT} WHERE b.artist_key = ?`));
  const all = lazy(() =>
    db.prepare<[], BlockRow>(`${SELECT} ORDER BY b.track_id IS NOT NULL, coalesce(b.artist_key, lower(t.artist)), lower(t.title), b.id`),
  );
  const insertSong = lazy(() => db.prepare('INSERT INTO blocked_music (track_id, created_at, created_by) VALUES (?, ?, ?)'));
  const insertArtist = lazy(() => db.prepare('INSERT INTO blocked_music (artist, artist_key, created_at, created_by) VALUES (?, ?, ?, ?)'));
  const explicit = lazy(() => db.prepare<[], { id: number }>('SELECT id FROM tracks WHERE explicit = 1'));
  const add = (existing: () => BlockRow | undefined, insert: () => void): { entry: BlockedEntry; isNew: boolean } =>
    guard(() =>
      db.transaction(() => {
        const found = existing();
        if (found !== undefined) return { entry: toEntry(found), isNew: false };
        insert();
        return { entry: toEntry(existing() as BlockRow), isNew: true };
      })(),
    );
  return {
    list: () => all().all().map(toEntry),
    get: (id) => {
      const row = byId().get(id);
      return row === undefined ? undefined : toEntry(row);
    },
    addSong: (trackId, at, by) =>
      add(
        () => byTrack().get(trackId),
        () => insertSong().run(trackId, at, by),
      ),
    addArtist: (artist, at, by) => {
      const key = artistKey(artist);
      return add(
        () => byArtist().get(key),
        () => insertArtist().run(artist.trim().replace(/\s+/g, ' '), key, at, by),
      );
    },
    remove: (id) => guard(() => db.prepare('DELETE FROM blocked_music WHERE id = ?').run(id).changes > 0),
    explicitTrackIds: () =>
      new Set(
        explicit()
          .all()
          .map((r) => r.id),
      ),
  };
}
