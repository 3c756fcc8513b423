/**
 * The wire format between the daemon and its UIs: the state snapshot and the WebSocket messages.
 * The UI imports these types only (`import type`), never code.
 */

export type ServiceStatus = 'stopped' | 'starting' | 'ready' | 'degraded' | 'failed' | 'stopping';

export interface ServiceHealthView {
  name: string;
  status: ServiceStatus;
  detail?: string;
}

export interface TrackView {
  id: number;
  title: string;
  artist: string;
  album: string;
  durationMs: number | null;
  /** URL of the cover image, or null. */
  coverUrl: string | null;
  moods: string[];
}

export interface CameraState {
  /** `off`: turned off by an admin or outside its hours; `unavailable`: it failed and is being retried. */
  status: 'off' | 'starting' | 'on' | 'unavailable';
  detail: string | null;
}

export interface MoodState {
  /** The room mood, `nobody` when no face has been seen for a while, null before the first reading. */
  current: string | null;
  /** 0–1. */
  confidence: number;
  /** Epoch ms of the last change, or null. */
  since: number | null;
  /** A short line for the kiosk: why Moodbox thinks so. */
  why: string | null;
  faces: number;
}

export interface PlayerState {
  status: 'stopped' | 'playing' | 'paused';
  nowPlaying: TrackView | null;
  positionMs: number;
  next: TrackView | null;
  /** 0–100. */
  volume: number;
}

export interface SessionState {
  user: { id: number; name: string } | null;
  /** A short message for the kiosk after a card read, e.g. that the card is unknown; null when there is none. */
  notice: string | null;
}

export interface LibraryState {
  /** True while the music folders are being scanned. */
  scanning: boolean;
  /** Files looked at so far in this scan, and audio files found. */
  done: number;
  total: number;
  /** Tracks in the library. */
  tracks: number;
  /** What the last finished scan found, or null before the first. */
  lastScan: {
    /** Epoch ms. */
    at: number;
    files: number;
    added: number;
    updated: number;
    missing: number;
    /** The first unreadable files (skipped); `failedCount` counts them all. */
    failed: Array<{ path: string; error: string }>;
    failedCount: number;
    /** Folders that could not be scanned at all. */
    problems: string[];
  } | null;
}

export interface StateSnapshot {
  version: string;
  /** True while the daemon runs on its bundled demo camera and library. */
  demo: boolean;
  camera: CameraState;
  mood: MoodState;
  player: PlayerState;
  suggestions: TrackView[];
  session: SessionState;
  services: ServiceHealthView[];
  library: LibraryState;
}

export type StateArea = 'camera' | 'mood' | 'player' | 'suggestions' | 'session' | 'services' | 'library';

/** Sent by the daemon: the whole snapshot on connect, then one message per changed area. */
export type ServerMessage =
  | { type: 'state/snapshot'; seq: number; data: StateSnapshot }
  | { [A in StateArea]: { type: `${A}/changed`; seq: number; data: StateSnapshot[A] } }[StateArea]
  | ReplyMessage;

/** The daemon's answer to a client request that carried a `transaction`. */
export type ReplyMessage =
  | { type: string; transaction: string; status: 'ok'; data: unknown }
  | { type: string; transaction: string; status: 'error'; error: { code: string; message: string } };

/** Sent by a UI. */
export interface ClientMessage {
  type: string;
  transaction?: string;
  data?: unknown;
  /**
   * The kiosk session token of the person signed in at the kiosk (from `POST /api/session/pin`),
   * for requests that act for them: `player/like`, `player/skip`, `session/sign-out`, and
   * `player/play` while someone is signed in. The kiosk's own screen may leave it out.
   */
  token?: string;
}

/** The body of every HTTP error response. */
export interface ErrorBody {
  error: { code: string; message: string };
}
