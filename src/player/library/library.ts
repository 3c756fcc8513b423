/**
 * The library's ports. The daemon's store satisfies them structurally; the player never imports it.
 * Times are ms since the Unix epoch; sizes are bytes.
 */

/** Where a mood tag came from: set by the admin, imported from a sidecar file, or suggested by a rule. */
export type MoodOrigin = 'admin' | 'sidecar' | 'rule';

export interface MoodTag {
  mood: string;
  /** In (0, 1]. */
  weight: number;
  origin: MoodOrigin;
}

/** What the scanner writes for one file. */
export interface ScannedTrack {
  source?: string;
  /** The absolute path. */
  uri: string;
  title?: string;
  artist?: string;
  album?: string;
  year?: number | null;
  genre?: string;
  language?: string;
  durationMs?: number | null;
  replayGainDb?: number | null;
  /** The cover's file name in the covers folder (`<sha256>.<ext>`), or null. */
  cover?: string | null;
  fileSize?: number | null;
  fileMtimeMs?: number | null;
}

/** A track as stored. */
export interface LibraryTrack {
  id: number;
  uri: string;
  title: string;
  artist: string;
  album: string;
  genre: string;
  language: string;
  durationMs: number | null;
  replayGainDb: number | null;
  cover: string | null;
  missing: boolean;
}

/** What a rescan compares with the disk. */
export interface KnownFile {
  id: number;
  uri: string;
  fileSize: number | null;
  fileMtimeMs: number | null;
  missing: boolean;
}

/** The tracks table, as the library uses it. */
export interface LibraryTracks {
  /** Inserts or updates by (source, uri) and clears `missing`; returns the stored track. */
  upsert(input: ScannedTrack): LibraryTrack;
  get(id: number): LibraryTrack | undefined;
  byUri(uri: string, source?: string): LibraryTrack | undefined;
  /** Tracks whose artist and title match, ignoring case. */
  byArtistTitle(artist: string, title: string): LibraryTrack[];
  /** Every local file known, missing ones included. */
  files(source?: string): KnownFile[];
  /** Marks tracks whose file is gone; they are kept (history points at them) but never played. */
  markMissing(ids: readonly number[]): void;
  /** The track's moods, strongest first. */
  moods(trackId: number): MoodTag[];
  /** Replaces every mood of the track. */
  setMoods(trackId: number, moods: readonly MoodTag[]): void;
}

/** The store as the library uses it. */
export interface LibraryStore {
  readonly tracks: LibraryTracks;
  /** Runs `fn` in one transaction: all of its writes land, or none. */
  transaction<T>(fn: () => T): T;
}
