import type { EventBus } from '../kernel/event-bus.js';
import type { PlayerStall } from '../player/player.js';
import type { PickReason } from '../player/recommender.js';
import type { Emotion, RoomMood, RoomMoodLabel } from '../kernel/room-mood.js';
import type { Said } from '../kernel/said.js';
import type { DayPlan } from './config/schema-day-plans.js';

/** The person signed in at the kiosk. */
export interface KioskUser {
  id: number;
  name: string;
}

/** The camera as its service reports it: `off` by the admin's rules, `unavailable` while it is retried. */
export type CameraStatus = 'off' | 'starting' | 'on' | 'unavailable';

/** What the last finished library scan found. */
export interface LibraryScanSummary {
  /** Epoch ms. */
  readonly at: number;
  readonly files: number;
  readonly added: number;
  readonly updated: number;
  readonly missing: number;
  /** The first unreadable files (skipped); `failedCount` counts them all. */
  readonly failed: Array<{ path: string; error: string }>;
  readonly failedCount: number;
  /** Folders that could not be scanned at all. */
  readonly problems: string[];
}

/** The library and its scan, as the library service holds them. */
export interface LibraryScanState {
  readonly scanning: boolean;
  /** Files looked at so far in this scan, and audio files found. */
  readonly done: number;
  readonly total: number;
  /** Tracks in the library. */
  readonly tracks: number;
  readonly lastScan: LibraryScanSummary | null;
  /** The analysis of the local files (after a scan, and at start for what is left). */
  readonly analysis: LibraryAnalysisState;
}

/** How far the analysis of the library is: files done (analysed or failed) of those to do in this run. */
export interface LibraryAnalysisState {
  readonly running: boolean;
  readonly done: number;
  readonly total: number;
  /** Of `done`, files that could not be analysed (each logged with its reason). */
  readonly failed: number;
}

/** What is playing and what comes next, as the music director decided it. */
export interface Playback {
  /** `stalled`: a song is to play, unpaused, but no audio reaches the listener (`stalled` says why). */
  readonly status: 'stopped' | 'playing' | 'paused' | 'stalled';
  /** Why no audio flows, while `status` is `stalled`; absent otherwise. */
  readonly stalled?: PlayerStall;
  readonly trackId: number | null;
  readonly nextTrackId: number | null;
  /** ms into the current track. */
  readonly positionMs: number;
  /** 0–100: the volume the music is heading for (during a fade, where the fade ends; while paused, the volume it comes back at). */
  readonly volume: number;
  /** What the station playing now says it plays (its ICY title), or null. */
  readonly streamTitle?: string | null;
  /** Why the song playing plays, as the history keeps it (the pick's reason, `chosen by staff`, `asked for by a guest`…); absent when none is given. */
  readonly note?: string;
  /** `note` as a message of the screens' catalogues (`PICK_REASONS`, `PLAY_REASONS`), for their languages; absent when it has none. */
  readonly noteSaid?: Said;
  /** The song playing now, and the one next, were asked for by a guest from their phone. @default false */
  readonly isGuestRequest?: boolean;
  readonly isNextGuestRequest?: boolean;
}

/**
 * Every event of the app-wide bus: one map, past-tense names, plain-data payloads. Each service owns
 * the state its events announce and offers a read API for it; the screens' state is projected from
 * these events (`http/state-projector.ts`), and no service reads it back.
 */
// A type alias, not an interface: the event bus needs an index signature.
export type MoodboxEvents = {
  /** The camera turned on or off, or failed and is being retried (`detail` says why). Owner: the camera service. */
  cameraStateChanged: { readonly status: CameraStatus; readonly detail: string | null };
  /** The number of faces in view changed (newest analysed frame). Owner: the camera service. */
  facesInViewChanged: { readonly faces: number };
  /**
   * The face in front (the largest, most centred) started or stopped being read through the
   * signed-in person's own calibration (newest analysed frame). Owner: the camera service.
   */
  personalReadingChanged: { readonly isPersonal: boolean };
  /**
   * How the faces in view look changed (newest analysed frame): how many show each emotion, as
   * they vote on the room mood (smoothed over each face's track); `unsure` counts faces not yet
   * read surely. Owner: the camera service.
   */
  facesReadChanged: { readonly byEmotion: Readonly<Record<string, number>> };
  /**
   * Most faces in view became too dark or grainy to read, or readable again (newest analysed
   * frame): while `tooDark`, the room mood holds as it was. Owner: the camera service.
   */
  roomLightChanged: { readonly tooDark: boolean };
  /** A camera frame was analysed: its faces and the time spent (ms) finding and reading them. Owner: the camera service. */
  frameAnalysed: { readonly faces: number; readonly detectMs: number; readonly classifyMs: number; readonly totalMs: number };
  /**
   * The room mood changed (after smoothing, hysteresis and dwell), or became unknown (`mood` null):
   * the camera stopped seeing (off, starting, lost), and nothing is known of the room until a fresh
   * settled reading. Owner: the camera service.
   */
  roomMoodChanged: { readonly mood: RoomMood | null; readonly previous: RoomMoodLabel | null };
  /** A library scan started, progressed or finished. Owner: the library service. */
  libraryScanChanged: LibraryScanState;
  /**
   * The tracks changed (a scan found changes, an admin edited mood tags, the analysis changed moods,
   * the stations changed): picks come from the new library. Owner: the library service.
   */
  libraryChanged: { readonly tracks: number; readonly why: 'scan' | 'edit' | 'stations' | 'analysis' };
  /**
   * Songs or artists were blocked or unblocked, or the rule for explicit songs changed: picks, the
   * queue and the guests' requests follow. Owner: the blocked music.
   */
  blocksChanged: { readonly at: number };
  /**
   * The stations changed: one was added or removed, failed or is tried again, plays again, or whether
   * YouTube may play changed. The library service follows with `libraryChanged`. Owner: the stations.
   */
  stationsChanged: { readonly at: number };
  /** Someone signed in at the kiosk (PIN or card). Owner: kiosk presence. */
  personSignedIn: { readonly user: KioskUser };
  /** The kiosk went back to guest mode. */
  personSignedOut: { readonly user: KioskUser; readonly reason: 'button' | 'card' | 'inactivity' | 'replaced' | 'deleted' | 'disabled' };
  /** A card nobody is linked to was read at the kiosk. */
  unknownCardRead: { readonly at: number };
  /** The card reader was plugged in, unplugged or failed (`connected` only while one can read a card). Owner: kiosk presence. */
  cardReaderChanged: { readonly status: 'connected' | 'absent' | 'faulted' };
  /** What plays, its position, pause and volume changed. Owner: the music director. */
  playbackChanged: Playback;
  /** The suggestions for the room changed, best first. Owner: the music director. */
  suggestionsChanged: {
    readonly trackIds: readonly number[];
    /** Why each was picked (the recommender's reason, and whose taste it comes from), in the same order as `trackIds`. */
    readonly reasons?: readonly PickReason[];
  };
  /**
   * What guests' phones see of the guests' part changed: a request was made, cancelled, judged,
   * played or cleared, a vote or a like was cast (`open`: requests in the queue now). Owner: the guest service.
   */
  guestRequestsChanged: { readonly open: number; readonly awaitingStaff: number };
  /** Staff hold the music to a mood (an emotion) until `until` (epoch ms) instead of the camera's; `music` is the library mood it plays most, by the emotion → mood table. Owner: the music director. */
  moodHeld: { readonly label: Emotion; readonly until: number; readonly music: string };
  /** The held mood ended (staff released it, or its time was up): the music follows the camera again. Owner: the music director. */
  moodReleased: { readonly why: 'staff' | 'expired' };
  /**
   * The day plan in force changed (a block of `player.dayPlans` began or ended, or the blocks were
   * edited), and at start: the block, or null when none is. Its lean and energy cap apply from the
   * next song, its volume cap at once. Owner: the music director.
   */
  dayPlanChanged: { readonly plan: DayPlan | null };
  /** Settings were saved from the admin panel (dotted paths of what changed). Owner: the live configuration. */
  settingsChanged: { readonly changed: readonly string[] };
  /** Someone allowed to (a fleet operator) asked the daemon to restart; the composition root stops it with the restart exit code. */
  restartRequested: { readonly by: string };
  /** Staff readied a backup to replace the database (`by`: the audit's actor, `from`: the backup's name); the next start puts it in place. Owner: the backups. */
  restoreStaged: { readonly by: string; readonly from: string };
};

export type MoodboxBus = EventBus<MoodboxEvents>;
