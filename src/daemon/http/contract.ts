/**
 * The wire format between the daemon and its UIs: the state snapshot, the WebSocket messages (the
 * kiosk's and the guest page's) and, from `contract-http.ts`, the payloads of the HTTP API. The UI
 * imports these types only (`import type`), never code, and from this file only. Types with a
 * route schema are derived from it (`Static<typeof …>`), so the two cannot drift apart.
 */
import type { Static } from 'typebox';
import type { CalibrationExpressionSchema, CalibrationViewSchema } from './schemas/calibration.js';
import type { CLIENT_REQUEST_SPECS } from './schemas/client-requests.js';
import type { DayPlan } from '../config/schema-day-plans.js';
import type { GuestRequestSchema, GuestSearchSchema, GuestStateSchema, GuestTrackSchema, GuestUpNextSchema } from './schemas/guest.js';
import type { RoomMoodLabel } from '../../kernel/room-mood.js';
import type { Said } from '../../kernel/said.js';

export type * from './contract-http.js';

export type ServiceStatus = 'stopped' | 'starting' | 'ready' | 'degraded' | 'failed' | 'stopping';

export interface ServiceHealthView {
  name: string;
  status: ServiceStatus;
  detail?: string;
  /** `detail` as data, for the admin panel to say in its reader's language (`common.said.health.*`). */
  said?: Said;
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
  /** Why it was picked (the recommender's reason, e.g. "fits calm"); for the song playing, why it plays (`chosen by staff`…). */
  why?: string;
  /**
   * `why` as data, for the screens to say in the reader's language (`common.said.pick.*`,
   * `learned.*`, `play.*`); absent or null where `why` is absent or has no message.
   */
  whySaid?: Said | null;
  /**
   * Suggestions only: true when it was picked from the signed-in person's own taste (their likes,
   * artists, language or learned taste), false when from the room's (the mood, its learned taste).
   */
  isPersonalPick?: boolean;
  /**
   * The kind of reason; `fallback`: few tracks fit the mood, and this is one of the closest;
   * `guest`: asked for by a guest from their phone (now playing and next too).
   */
  whyKind?: 'mood' | 'lift' | 'liked' | 'learned' | 'artist' | 'language' | 'fallback' | 'guest';
}

export interface CameraState {
  /** `off`: turned off by an admin or outside its hours; `unavailable`: it failed and is being retried. */
  status: 'off' | 'starting' | 'on' | 'unavailable';
  detail: string | null;
  /** `detail` as data, for the admin panel to say in its reader's language; absent where the line is for a technician. */
  said?: Said;
  /** Present while the camera reads the bundled demo clip: a recording, not the room, and said so. */
  clip?: true;
}

/**
 * A sentence of the daemon's as data, for the screens to say in the reader's language: the id of
 * a message of their catalogues (`common.said.<id>`, docs/languages.md) and the values it fills
 * in, where `{ said: id }` is a word of the catalogue itself (`look.happy`). The English sentence
 * stays beside it, for what reads the API.
 */
export type { Said } from '../../kernel/said.js';

export interface MoodState {
  /** The room mood, `nobody` when no face has been seen for a while, null before the first reading. */
  current: RoomMoodLabel | null;
  /** 0–1. */
  confidence: number;
  /** Epoch ms of the last change, or null. */
  since: number | null;
  /** A short line for the kiosk: why Moodbox thinks so. */
  why: string | null;
  /** `why` as data, for the kiosk's language; absent where `why` has none. */
  whySaid?: Said | null;
  faces: number;
  /**
   * The faces in view by the emotion each shows as it votes on the room mood (smoothed), most
   * first; `unsure` counts faces not yet read surely. Absent before the first analysed frame.
   */
  byEmotion?: Record<string, number>;
  /**
   * The mood staff hold the music to instead of the camera's, and until when (epoch ms); null or
   * absent while the music follows the camera.
   */
  held?: { label: Exclude<RoomMoodLabel, 'nobody'>; until: number; music: string } | null;
  /**
   * True while the face in front (the largest, most centred) is read through the signed-in
   * person's own calibration; false or absent while it is read by the generic model.
   */
  isPersonal?: boolean;
  /**
   * True while most faces in view are too dark or grainy to read: the room mood holds as it was
   * (the music neither turns calm nor sad because the lights went down); false or absent otherwise.
   */
  tooDark?: boolean;
}

export interface PlayerState {
  /** `stalled`: a song is to play, unpaused, but no audio reaches the listener (the speakers cannot be reached, the player restarts). */
  status: 'stopped' | 'playing' | 'paused' | 'stalled';
  /** Why no audio flows, while `status` is `stalled` (`output`: the speakers or the Snapcast server; `player`: the player restarts); absent otherwise. */
  stalled?: { cause: 'output' | 'player'; detail: string };
  nowPlaying: TrackView | null;
  positionMs: number;
  next: TrackView | null;
  /** 0–100. */
  volume: number;
  /** What the station playing now says it plays (its ICY title), shown as the song; null or absent for a file. */
  streamTitle?: string | null;
}

export interface SessionState {
  user: { id: number; name: string } | null;
  /** A short message for the kiosk after a card read, e.g. that the card is unknown; null when there is none. */
  notice: string | null;
  /** True while a card reader is plugged in and reading: only then does the sign-in panel ask for a card. */
  hasCardReader?: boolean;
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
  /** The analysis of the local files: files done (analysed or not analysable) of those to do in this run. */
  analysis: { running: boolean; done: number; total: number; failed: number };
}

export interface StateSnapshot {
  version: string;
  /** True while the daemon runs on its bundled demo camera and library. */
  demo: boolean;
  /** The venue's language for the kiosk (`site.language`, a two-letter code), or null: the kiosk browser's own. */
  language: string | null;
  /**
   * The box's time zone (IANA, `Europe/Lisbon`): its hours (quiet hours, day plans, camera hours)
   * are kept in it, and the screens show times of day in it, naming it where the reader's differs.
   */
  timeZone: string;
  camera: CameraState;
  mood: MoodState;
  player: PlayerState;
  suggestions: TrackView[];
  session: SessionState;
  services: ServiceHealthView[];
  library: LibraryState;
  guests: GuestsState;
  /** The day plan in force (a block of `player.dayPlans`: its name, hours, mood lean, energy and volume caps), or null. */
  dayPlan: DayPlan | null;
  /** True during the quiet hours (`player.quietHours`): the music is silent, and the kiosk's screen goes dark until it is touched. */
  quietHours: boolean;
  /**
   * While it is the quiet hours: when they end, as the box's clock says it (`HH:MM`, their `to`);
   * null or absent otherwise.
   */
  quietUntil?: string | null;
}

/** A block of the day (`player.dayPlans`): its name, hours, the mood the music leans toward ('' for none), its energy and volume caps (0–100). */
export type { DayPlan };

/** The guests' part as every screen may see it: counts and a time, never who asked or voted. */
export interface GuestsState {
  /** Guests' requests in the queue: those that play between the mood's picks and those waiting for the room. */
  open: number;
  /** Of those, the requests waiting for the staff's yes (`guests.approval` is `staff`): the admin panel's badge. */
  awaitingStaff: number;
  /** When guests last asked, voted or liked, or their queue changed (epoch ms); null before any of it. */
  changedAt: number | null;
  /**
   * How the kiosk shows the guest page's QR code while music plays and nobody is signed in there
   * (`guests.kioskQr`): a card beside the music, or large for the tables. Absent: `card`.
   */
  kioskQr?: KioskQrMode;
}

/** How the kiosk shows the guest page's QR code (`guests.kioskQr`). */
export type KioskQrMode = 'card' | 'large';

export type StateArea =
  | 'language'
  | 'camera'
  | 'mood'
  | 'player'
  | 'suggestions'
  | 'session'
  | 'services'
  | 'library'
  | 'guests'
  | 'dayPlan'
  | 'quietHours'
  | 'quietUntil';

/** Sent by the daemon: the whole snapshot on connect, then one message per changed area. */
export type ServerMessage =
  | { type: 'state/snapshot'; seq: number; data: StateSnapshot }
  | { [A in StateArea]: { type: `${A}/changed`; seq: number; data: StateSnapshot[A] } }[StateArea]
  | LinkAlive
  | ReplyMessage;

/**
 * Sent on every screen's socket (`/ws`, `/ws/guest`) every `everyMs` (`ws.pingIntervalMs`), with the
 * ping: a screen that hears nothing for three periods knows the daemon has stopped answering (a hung
 * process keeps its sockets open) and shows the link as lost. Carries no `seq`: it changes no state.
 */
export interface LinkAlive {
  type: 'link/alive';
  everyMs: number;
}

/** The daemon's answer to a client request that carried a `transaction`. */
export type ReplyMessage =
  | { type: string; transaction: string; status: 'ok'; data: unknown }
  | { type: string; transaction: string; status: 'error'; error: { code: string; message: string; said?: Said } };

type RequestData<K extends keyof typeof CLIENT_REQUEST_SPECS> = Static<(typeof CLIENT_REQUEST_SPECS)[K]['data']>;

/**
 * Every request a UI may send on `/ws`: what it sends as `data` (checked against its schema in
 * `schemas/client-requests.ts` before any handler runs) and what the reply carries as `data`.
 */
export interface ClientRequests {
  /** The state snapshot now, as sent on connect; the only request a socket without an Origin may send. */
  'state/get': { data: RequestData<'state/get'>; reply: StateSnapshot };
  /** The kiosk's sign-out button. */
  'session/sign-out': { data: RequestData<'session/sign-out'>; reply: { user: null } };
  /** A tap on a suggestion: plays that track now, for the person signed in or for the room. */
  'player/play': { data: RequestData<'player/play'>; reply: PlayerReply<number> };
  /** The signed-in person likes a track. */
  'player/like': { data: RequestData<'player/like'>; reply: PlayerReply<number> };
  /** The signed-in person skips the current track; the reply names the track skipped, or null when nothing played. */
  'player/skip': { data: RequestData<'player/skip'>; reply: PlayerReply<number | null> };
  /** The signed-in person takes their like of a track back. */
  'player/unlike': { data: RequestData<'player/unlike'>; reply: PlayerReply<number> };
  /** What the kiosk offers before anyone signs in. */
  'session/options': { data: RequestData<'session/options'>; reply: KioskOptions };
  /** Names of people who signed in at the kiosk recently that begin with `prefix`; none while `sessions.suggestNames` is off. */
  'session/names': { data: RequestData<'session/names'>; reply: { names: string[] } };
  /** "Tap to stay": the signed-in person's idle sign-out starts again; the reply says in how long it comes. */
  'session/stay': { data: RequestData<'session/stay'>; reply: { expiresInMs: number } };
  /** The kiosk screen on the box sleeps or woke: whether the box's display is lit now (`isApplied` false from a screen elsewhere). */
  'screen/sleep': { data: RequestData<'screen/sleep'>; reply: { isScreenOn: boolean; isApplied: boolean } };
  /** The signed-in person's likes and preferences, and what they may choose from. */
  'me/profile': { data: RequestData<'me/profile'>; reply: MyProfile };
  /** The signed-in person's recent plays, newest first. */
  'me/history': { data: RequestData<'me/history'>; reply: Page<MyPlay> };
  /** Sets the signed-in person's preferences; the reply is all of them. */
  'me/preferences': { data: RequestData<'me/preferences'>; reply: MyPreferences };
  /** The signed-in person's expression calibration: in use or not, and why. */
  'me/calibration': { data: RequestData<'me/calibration'>; reply: CalibrationView };
  /** Starts (or redoes) recording their expressions. */
  'me/calibration/start': { data: RequestData<'me/calibration/start'>; reply: CalibrationView };
  /** Records the face in view as `expression`; `MB_ERR_CAMERA_NO_FACE` while no face is in view. */
  'me/calibration/sample': { data: RequestData<'me/calibration/sample'>; reply: CalibrationView };
  /** Fits and stores their calibration from the recording. */
  'me/calibration/finish': { data: RequestData<'me/calibration/finish'>; reply: CalibrationView };
  /** Drops the recording in progress; what is stored stays. */
  'me/calibration/cancel': { data: RequestData<'me/calibration/cancel'>; reply: CalibrationView };
  /** Deletes their stored calibration. */
  'me/calibration/delete': { data: RequestData<'me/calibration/delete'>; reply: CalibrationView };
}

/** What the kiosk offers before anyone signs in (`session/options`). */
export interface KioskOptions {
  /** People may create their own account at the kiosk (`POST /api/users`). */
  selfRegistration: boolean;
  /** A signed-in person is signed out after this many seconds without a tap. */
  idleTimeoutS: number;
  /** The kiosk may suggest names of people who signed in there recently (`session/names`). */
  suggestNames: boolean;
  /**
   * The guest page's address as phones in the room reach it (`server.publicUrl`, else the LAN
   * address the server listens on, or `moodbox.local`), for the kiosk's QR code; null while guests
   * are off or the server cannot be reached from the LAN.
   */
  guestUrl: string | null;
}

/** A person's preferences, as the recommender takes them. */
export interface MyPreferences {
  /** ISO 639 codes of the languages they like to hear. */
  languages: string[];
  /** Artists they like. */
  artists: string[];
  /** Moods whose music they would rather not hear. */
  avoidMoods: string[];
}

/** The signed-in person's own page at the kiosk (`me/profile`). */
export interface MyProfile {
  user: { id: number; name: string };
  /** The tracks they like, newest like first. */
  likedTrackIds: number[];
  preferences: MyPreferences;
  /** What the library offers to choose preferences from, sorted. */
  choices: MyPreferences;
  /** A signed-in person is signed out after this many seconds without a tap. */
  idleTimeoutS: number;
}

/** One of the signed-in person's plays (`me/history`), with the track's title. */
export interface MyPlay {
  id: number;
  trackId: number | null;
  /** Null when the track left the library. */
  title: string | null;
  artist: string | null;
  coverUrl: string | null;
  /** Epoch ms. */
  startedAt: number;
  /** The room mood it was picked for, when it was. */
  mood: string | null;
  /** They like the track now. */
  liked: boolean;
}

/** The answer to a player request. */
export interface PlayerReply<TrackId> {
  trackId: TrackId;
  /** A line the kiosk shows instead of its own ("Playing …"), when the daemon has one. */
  message?: string;
}

export type ClientRequestType = keyof ClientRequests;

/** Sent by a UI: one of `ClientRequests`. */
export type ClientMessage = {
  [K in ClientRequestType]: {
    type: K;
    transaction?: string;
    /** Left out for requests without data. */
    data?: ClientRequests[K]['data'];
    /**
     * The kiosk session token of the person signed in at the kiosk (from `POST /api/session/pin`),
     * for requests that act for them: `player/like`, `player/skip`, `session/sign-out`, `me/*`,
     * and `player/play` while someone is signed in. The kiosk's own screen may leave it out.
     */
    token?: string;
  };
}[ClientRequestType];

/** One page of a longer list. */
export interface Page<T> {
  items: T[];
  /** How many there are in all. */
  total: number;
}

/** The signed-in person's expression calibration (`me/calibration` and the requests beside it). */
export type CalibrationView = Static<typeof CalibrationViewSchema>;
/** An expression a guided calibration asks for (`me/calibration/sample`). */
export type CalibrationExpression = Static<typeof CalibrationExpressionSchema>;

/** The guest page (`/guest`, `/api/guest/*`, `/ws/guest`): see `schemas/guest.ts`. */
export type GuestState = Static<typeof GuestStateSchema>;
export type GuestTrack = Static<typeof GuestTrackSchema>;
export type GuestUpNext = Static<typeof GuestUpNextSchema>;
export type GuestRequest = Static<typeof GuestRequestSchema>;
export type GuestSearch = Static<typeof GuestSearchSchema>;
/**
 * What every phone's view shares: `GuestState` without `me`, and without any phone's own marks
 * (`isLikedByMe` false, `votes.mine` null). `/ws/guest` pushes it as one text, the same for every phone.
 */
export type GuestRoom = Omit<GuestState, 'me'>;
/** One phone's own part of its view: its requests and what it has left, whether it likes the song playing, its votes that count. */
export interface GuestMine {
  me: GuestState['me'];
  isNowLikedByMe: boolean;
  /** On the song playing (`now`) or on a song up next (its `key`). */
  votes: Array<{ on: 'now' | number; vote: 'up' | 'down' }>;
}
/**
 * Pushed on `/ws/guest`, on connect and whenever it changes: the room's view (`guest/room`, shared by
 * every phone) and this phone's own part (`guest/mine`); the phone's view is the one with the other's
 * marks on it, as `GET /api/guest/state` answers it.
 */
export type GuestServerMessage = { type: 'guest/room'; data: GuestRoom } | { type: 'guest/mine'; data: GuestMine } | LinkAlive;
