import type { LibraryAnalyses, MoodOrigin, ScannedTrack } from '../../player/library/library.js';
import type { RecordingFile } from '../../player/library/recordings.js';
import type { PlayReason } from '../../player/play-queue.js';
import type { TasteModel } from '../../player/taste/logistic.js';
import type { CalibrationSample, PersonalHead } from '../../vision/personal-calibration.js';
import type { BlockRepository } from './sqlite-blocks.js';
import type { MaintenanceRepository } from './store-maintenance.js';
import type { StatsRepository } from './store-stats.js';

/**
 * The store's ports: repository functions, never SQL, for the rest of the daemon.
 * Times are milliseconds since the Unix epoch, taken from the injected `Clock`.
 */

/**
 * What an account may do: `admin`, everything (the owner); `staff`, the music's controls and what a
 * shift needs in the panel, and the kiosk as a member; `member`, the kiosk only.
 */
export type Role = 'admin' | 'staff' | 'member';
export type { PlayReason };
export type PlayOutcome = 'completed' | 'skipped' | 'switched' | 'failed' | 'interrupted';
export type FeedbackKind = 'like' | 'skip';
export type SessionKind = 'kiosk' | 'admin';

export interface UserPreferences {
  languages?: string[];
  artists?: string[];
  avoidMoods?: string[];
  /** The language the screens speak to this person (the admin panel): a two-letter code; absent: their browser's. */
  screenLanguage?: string;
}

export interface User {
  id: number;
  name: string;
  role: Role;
  /** The stored PIN hash; never leaves the daemon. */
  pinHash: string | null;
  mustChangePin: boolean;
  disabled: boolean;
  preferences: UserPreferences;
  createdAt: number;
  updatedAt: number;
}

export interface Card {
  cardId: string;
  userId: number;
  label: string;
  createdAt: number;
}

export interface Session {
  tokenHash: string;
  userId: number;
  kind: SessionKind;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

/** A track as the library scanner reads it, and as the store keeps it. */
export type TrackInput = ScannedTrack;

export interface Track extends Required<
  Omit<TrackInput, 'year' | 'durationMs' | 'replayGainDb' | 'cover' | 'fileSize' | 'fileMtimeMs' | 'explicit' | 'recordingMbid'>
> {
  id: number;
  year: number | null;
  durationMs: number | null;
  replayGainDb: number | null;
  cover: string | null;
  fileSize: number | null;
  fileMtimeMs: number | null;
  missing: boolean;
  addedAt: number;
  updatedAt: number;
}

export interface TrackMood {
  mood: string;
  /** In (0, 1]. */
  weight: number;
  origin: MoodOrigin;
}

/** Where the analysis placed a track, for the recommender: null when it has no analysis (or it failed). */
export interface TrackAudioPoint {
  valence: number;
  arousal: number;
  /** Integrated loudness (LUFS); null when not measured. */
  loudnessLufs: number | null;
}

export interface Play {
  id: number;
  trackId: number | null;
  userId: number | null;
  reason: PlayReason;
  mood: string | null;
  startedAt: number;
  endedAt: number | null;
  outcome: PlayOutcome | null;
}

/** How the audit log names a person once deleted: `person #7 (deleted)`. */
export function deletedPerson(id: number): string {
  return `person #${id} (deleted)`;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface UserRepository {
  create(input: { name: string; role: Role; pinHash?: string | null; mustChangePin?: boolean }): User;
  get(id: number): User | undefined;
  byName(name: string): User | undefined;
  list(): User[];
  update(id: number, patch: Partial<Pick<User, 'name' | 'role' | 'pinHash' | 'mustChangePin' | 'disabled' | 'preferences'>>): User;
  /**
   * Deletes the user; their plays are kept without the user (`anonymize`) or removed (`remove`).
   * In the same transaction, every audit line about them (its `subjectId`, or, for lines written
   * before it was kept, a `target` with their name in any case) names them `deletedPerson(id)`
   * from then on, without a card's digits; `audit`, when given, is appended with that target. The
   * write-ahead log is emptied after it, so their name is not left in the files.
   */
  delete(id: number, history: 'anonymize' | 'remove', audit?: Omit<AuditEntry, 'id' | 'target'>): void;
  count(): number;
}

export interface CardRepository {
  link(input: { cardId: string; userId: number; label?: string }): Card;
  unlink(cardId: string): boolean;
  get(cardId: string): Card | undefined;
  forUser(userId: number): Card[];
}

export interface SessionRepository {
  create(session: Session): Session;
  get(tokenHash: string): Session | undefined;
  touch(tokenHash: string, lastSeenAt: number, expiresAt: number): void;
  delete(tokenHash: string): void;
  deleteForUser(userId: number, kind?: SessionKind): number;
  /** Removes sessions that expired before `now`; returns how many. */
  deleteExpired(now: number): number;
}

export interface TrackRepository {
  /** Inserts or updates by (source, uri); clears `missing`. */
  upsert(input: TrackInput): Track;
  get(id: number): Track | undefined;
  byUri(uri: string, source?: string): Track | undefined;
  /** The songs: of the copies of one recording, only the file that plays (every file with `includeCopies`). */
  list(options?: {
    mood?: string;
    search?: string;
    includeMissing?: boolean;
    includeCopies?: boolean;
    limit?: number;
    offset?: number;
  }): Page<Track>;
  markMissing(ids: readonly number[]): void;
  moods(trackId: number): TrackMood[];
  /** Replaces every mood of the track. */
  setMoods(trackId: number, moods: readonly TrackMood[]): void;
  /** How many songs the library holds (copies of one recording count once). */
  count(): number;
  /** Every local file present, as the grouping into recordings needs it. */
  recordingFiles(): RecordingFile[];
  /** Writes which file plays for each file's recording (`groupRecordings`); returns how many files changed. */
  applyRecordings(playing: ReadonlyMap<number, number | null>): number;
  /** Every file present of the recording `trackId` is a file of, the one that plays first. */
  filesOf(trackId: number): Track[];
  /** How many files present each of `trackIds` (files that play) has: 1 for a song with no copy. */
  fileCounts(trackIds: readonly number[]): Map<number, number>;
  /** Each copy's file that plays (copy id → id), for what names a song by any of its files. */
  playingFiles(): Map<number, number>;
  /** The owner's pick of the file that plays for its recording; the next grouping follows it. */
  prefer(trackId: number): void;
  /** Every track of `source` (default `local`) with what a rescan compares: size (bytes) and mtime (ms). Missing ones included. */
  files(source?: string): TrackFile[];
  /** Every track present (not missing), of every source, with its source: what a restore's review checks. */
  present(): Array<{ id: number; source: string; uri: string }>;
  /** Tracks whose artist and title match, ignoring case; missing ones left out. */
  byArtistTitle(artist: string, title: string): Track[];
  /** Every song that is not missing (the file that plays for a recording), with its moods and where the analysis placed it: what the recommender indexes at load. */
  allWithMoods(): Array<Track & { moods: TrackMood[]; audio: TrackAudioPoint | null }>;
}

/** The analyses of local files: see `LibraryAnalyses`. */
export type AnalysisRepository = LibraryAnalyses;

export interface TrackFile {
  id: number;
  uri: string;
  fileSize: number | null;
  fileMtimeMs: number | null;
  missing: boolean;
}

export interface PlayRepository {
  start(input: { trackId: number; userId?: number | null; reason: PlayReason; mood?: string | null; startedAt: number }): Play;
  finish(id: number, outcome: PlayOutcome, endedAt: number): void;
  /** Marks plays left open by a crash as interrupted; returns how many. */
  closeDangling(endedAt: number): number;
  get(id: number): Play | undefined;
  list(filter?: {
    userId?: number;
    mood?: string;
    reason?: PlayReason;
    from?: number;
    to?: number;
    limit?: number;
    offset?: number;
  }): Page<Play>;
  recordFeedback(input: { userId: number; trackId: number; kind: FeedbackKind; at: number }): void;
  /** Forgets a person's likes (or skips) of one track, e.g. an unlike; returns how many were removed. */
  removeFeedback(input: { userId: number; trackId: number; kind: FeedbackKind }): number;
  /** A guest's phone liked `trackId` as it played (the song and the time are kept, never the phone). */
  recordGuestLike(input: { trackId: number; at: number }): void;
  /** Removes every play and like/skip of a person; returns how many plays. */
  removeForUser(userId: number): number;
  /** Stores why a play was picked, in words (`fits calm`). */
  annotate(id: number, note: string): void;
  /** The note stored with `annotate`; empty when none. */
  note(id: number): string;
  /** A person's likes and skips, newest first. */
  feedbackFor(userId: number, options?: { limit?: number }): Array<{ trackId: number; kind: FeedbackKind; at: number }>;
}

/** A web radio or other stream: a library entry of source `stream` (no duration), with its last play's outcome. */
export interface Station {
  trackId: number;
  url: string;
  name: string;
  genre: string;
  /** Added from the admin panel, or listed in a stations file of a music folder. */
  origin: 'admin' | 'sidecar';
  /** The stations file that lists it, or null. */
  file: string | null;
  /** When it last could not be played (ms), and why; null once it played again. */
  failedAt: number | null;
  error: string | null;
  /** When it last played (ms), or null. */
  playedAt: number | null;
  moods: TrackMood[];
  addedAt: number;
}

export interface StationRepository {
  /** Adds a station, or updates the one with this URL (its track keeps its id and history). */
  save(input: {
    url: string;
    name: string;
    genre?: string;
    moods: readonly TrackMood[];
    origin: Station['origin'];
    file?: string | null;
  }): Station;
  get(trackId: number): Station | undefined;
  byUrl(url: string): Station | undefined;
  /** Every station, by name; those dropped from their stations file left out. */
  list(): Station[];
  /** Removes the station and its library entry (plays keep their row without it); false when there was none. */
  remove(trackId: number): boolean;
  markFailed(trackId: number, error: string, at: number): void;
  /** It played: clears the failure. */
  markPlayed(trackId: number, at: number): void;
  /** Stations of `file` not among `keep` leave the library (marked missing); returns how many. */
  dropFromFile(file: string, keep: readonly number[]): number;
}

/** Secrets such as Spotify tokens, apart from settings. Values MUST never be logged. */
export interface SecretRepository {
  get(key: string): string | undefined;
  /** `at`: ms since the Unix epoch. */
  set(key: string, value: string, at: number): void;
  delete(key: string): void;
}

/** A settings row no reader gets: larger than `MAX_SETTING_BYTES`, or not JSON (a key that reaches a prototype among the reasons). */
export interface UnreadableSetting {
  key: string;
  /** Its size as stored (bytes). */
  bytes: number;
  why: string;
}

/** The largest settings row read (bytes of its JSON); every saved setting together fits in a few KiB. */
export const MAX_SETTING_BYTES = 256 * 1024;

export interface SettingsRepository {
  /** The value saved at `key`, or undefined; a row `review` would take out reads as undefined. */
  get(key: string): unknown;
  set(key: string, value: unknown, at: number): void;
  all(): Record<string, unknown>;
  /**
   * Takes out every row no reader may get (`UnreadableSetting`), without reading a large one into
   * memory, and returns them: run at each start, before anything reads the settings, since a
   * restored backup or an older version may have written anything there.
   */
  review(): UnreadableSetting[];
}

export interface AuditRepository {
  /**
   * Appends a line. `subjectId` MUST be given when the line is about a person (their account's id;
   * `target` then holds their name): deleting them takes their name out of it. Returns the line's id.
   */
  append(entry: Omit<AuditEntry, 'id' | 'detail'> & { detail?: Record<string, unknown>; subjectId?: number | undefined }): number;
  /**
   * Replaces the detail of line `id`: a line written before the change it records (so that a full
   * disk refuses the change before anything is made) is completed with what only the change told.
   */
  amend(id: number, detail: Record<string, unknown>): void;
  /** Takes line `id` back: it was written before a change that was then refused or failed, and the log keeps only what happened. */
  withdraw(id: number): void;
  list(options?: { limit?: number; offset?: number; action?: string }): Page<AuditEntry>;
}

/** Whose learned taste: the room's (everyone's plays), or one person's. */
export type TasteOwner = 'room' | { userId: number };

/** The recommender's learned tastes (`player/taste`): logistic weights by feature name. */
export interface TasteRepository {
  get(owner: TasteOwner): (TasteModel & { updatedAt: number }) | undefined;
  /** Replaces the owner's model; `at`: ms since the Unix epoch. */
  save(owner: TasteOwner, model: TasteModel, at: number): void;
  /** Forgets the owner's model (a person's also goes with the person); false when there was none. */
  remove(owner: TasteOwner): boolean;
}

/** A person's expression calibration: the numbers read from their face and the head fitted on them. */
export interface StoredCalibration {
  readonly userId: number;
  /** The emotion model the samples were read with. */
  readonly modelSha256: string;
  readonly samples: readonly CalibrationSample[];
  readonly head: PersonalHead;
  /** ms since the Unix epoch. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface CalibrationRepository {
  get(userId: number): StoredCalibration | undefined;
  /** Replaces the person's calibration; `at`: ms since the Unix epoch. */
  save(calibration: Omit<StoredCalibration, 'createdAt' | 'updatedAt'>, at: number): void;
  /** Deletes it (it also goes with the person); false when there was none. */
  remove(userId: number): boolean;
}

export interface Store {
  readonly users: UserRepository;
  readonly cards: CardRepository;
  readonly sessions: SessionRepository;
  readonly tracks: TrackRepository;
  readonly plays: PlayRepository;
  readonly settings: SettingsRepository;
  readonly stats: StatsRepository;
  readonly audit: AuditRepository;
  readonly secrets: SecretRepository;
  readonly stations: StationRepository;
  /** The songs and artists the owner blocked (migration 019). */
  readonly blocks: BlockRepository;
  readonly taste: TasteRepository;
  readonly calibrations: CalibrationRepository;
  /** What the analysis heard in each local file (migration 007). */
  readonly analyses: AnalysisRepository;
  /** Retention, vacuum and the disk report. */
  readonly maintenance: MaintenanceRepository;
  /** Runs `fn` in one transaction: all of its writes land, or none. */
  transaction<T>(fn: () => T): T;
  /** The schema version now in the database. */
  schemaVersion(): number;
  /** Cheap liveness check for `/api/health`. */
  ping(): boolean;
  /** Why writes fail for want of room now (a full disk, the database's size limit), or null while there is room. */
  spaceProblem(): string | null;
  close(): void;
}
