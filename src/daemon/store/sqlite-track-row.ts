import type { Track } from './store.js';

/** A row of `tracks` as SQLite gives it. */
export interface TrackRow {
  id: number;
  source: string;
  uri: string;
  title: string;
  artist: string;
  album: string;
  year: number | null;
  genre: string;
  language: string;
  duration_ms: number | null;
  replaygain_db: number | null;
  cover: string | null;
  file_size: number | null;
  file_mtime_ms: number | null;
  missing: number;
  same_as: number | null;
  added_at: number;
  updated_at: number;
}

export const toTrack = (r: TrackRow): Track => ({
  id: r.id,
  source: r.source,
  uri: r.uri,
  title: r.title,
  artist: r.artist,
  album: r.album,
  year: r.year,
  genre: r.genre,
  language: r.language,
  durationMs: r.duration_ms,
  replayGainDb: r.replaygain_db,
  cover: r.cover,
  fileSize: r.file_size,
  fileMtimeMs: r.file_mtime_ms,
  missing: r.missing === 1,
  addedAt: r.added_at,
  updatedAt: r.updated_at,
});
