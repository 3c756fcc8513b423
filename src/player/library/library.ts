/**
 * The library's ports. The daemon's store satisfies them structurally; the player never imports it.
 * Times are ms since the Unix epoch; sizes are bytes.
 */

/**
 * Where a mood tag came from: set by the admin, imported from a sidecar file, suggested by a rule
 * (genre, BPM or mood tag), or placed from what the analysis heard in the file (`audio`).
 */
export type MoodOrigin = 'admin' | 'sidecar' | 'rule' | 'audio';

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
  /** What the file's tags say of its lyrics: explicit (true), clean (false), or nothing (null, left out). */
  explicit?: boolean | null;
  /** The MusicBrainz recording id of its tags, when tagged: copies of one recording are one song. */
  recordingMbid?: string | null;
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

/** What the analysis measured in one version of a file: its place on the valence/arousal plane ([−1, 1]) and the features. */
export interface TrackAudio {
  arousal: number;
  valence: number;
  /** Beats per minute; null when no steady pulse was found. */
  tempoBpm: number | null;
  /** Integrated loudness (EBU R128, LUFS). */
  loudnessLufs: number | null;
  /** Every feature measured, by name (`durationS`, `pulseClarity`, `spectralCentroidHz`, …). */
  features: Readonly<Record<string, number | string | null>>;
  /** The audio print (`encodePrint`) copies of one recording share; null or left out when none was made. */
  print?: Uint8Array | null;
}

/** Why a file could not be analysed: the analysis's reasons, or `crashed` when the analysing process died on it twice. */
export interface AnalysisFailureInfo {
  reason: string;
  message: string;
}

/** One track's analysis as stored: made from one version of the file by one version of the analysis. */
export interface StoredAnalysis {
  trackId: number;
  /** The file's size (bytes) and mtime (ms) it was made from. */
  fileSize: number | null;
  fileMtimeMs: number | null;
  /** `ANALYSIS_VERSION` of the analysis that made it. */
  version: number;
  /** ms since the Unix epoch. */
  analysedAt: number;
  /** Exactly one of `audio` and `error` is set. */
  audio: TrackAudio | null;
  error: AnalysisFailureInfo | null;
}

/** A local file the analysis has not done yet (in this version of the file and of the analysis). */
export interface PendingAnalysis {
  id: number;
  uri: string;
  genre: string;
  fileSize: number | null;
  fileMtimeMs: number | null;
}

/** The analyses table, as the library uses it. */
export interface LibraryAnalyses {
  /**
   * Local tracks not missing whose analysis is absent or stale: made from another size or mtime of
   * the file, or by another `version`. With `force`, every local track not missing. By id.
   */
  pending(version: number, options?: { force?: boolean }): PendingAnalysis[];
  get(trackId: number): StoredAnalysis | undefined;
  /** Replaces the track's analysis. */
  save(analysis: StoredAnalysis): void;
  /**
   * The library's songs (local, present, one file a recording) and how many of them this `version`
   * of the analysis has heard, or tried and failed on, from the files as they are now.
   */
  coverage(version: number): { songs: number; heard: number; failed: number };
}

/** The store as the library uses it. */
export interface LibraryStore {
  readonly tracks: LibraryTracks;
  /** Runs `fn` in one transaction: all of its writes land, or none. */
  transaction<T>(fn: () => T): T;
}
