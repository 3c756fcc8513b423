import type { TrackView } from './contract.js';
import type { StoreReads, Track } from '../store/store-reads.js';

/** The URL a track's cover is served at (`GET /api/covers/:file`), or null when it has none. */
export function coverUrlOf(cover: string | null): string | null {
  return cover === null ? null : `/api/covers/${encodeURIComponent(cover)}`;
}

/** A track as the screens show it. */
export function trackView(track: Track, store: Pick<StoreReads, 'tracks'>): TrackView {
  return {
    id: track.id,
    title: track.title,
    artist: track.artist,
    album: track.album,
    durationMs: track.durationMs,
    coverUrl: coverUrlOf(track.cover),
    moods: store.tracks.moods(track.id).map((m) => m.mood),
  };
}
