import type { MoodboxBus, Playback } from '../events.js';
import type { Clock, Timer } from '../../kernel/clock.js';
import type { Service } from '../../kernel/lifecycle.js';
import type { StoreReads } from '../store/store-reads.js';
import { NOBODY, type RoomMoodLabel } from '../../kernel/room-mood.js';
import { said } from '../../kernel/said.js';
import type { KioskQrMode, Said, ServiceHealthView, StateSnapshot, TrackView } from './contract.js';
import type { StateHub } from './state-hub.js';
import { trackView } from './track-view.js';
import { PLAY_REASONS } from '../../player/pick-reasons.js';

/**
 * How long a kiosk notice (an unknown card) stays on screen (ms).
 * @default 8000
 */
const NOTICE_MS = 8000;
/** How often the services' health is read for the screens (ms). */
const HEALTH_EVERY_MS = 2000;
/** The player's position is shown to the second: finer ticks would only add messages. */
const POSITION_STEP_MS = 1000;

export interface StateProjectorDeps {
  bus: MoodboxBus;
  hub: StateHub;
  clock: Clock;
  /** Tracks, for what the screens show of them (title, cover, moods). */
  store: Pick<StoreReads, 'tracks'>;
  /** The health of every service, in start order. */
  services: () => ServiceHealthView[];
  /** The venue's language for the kiosk now (`site.language`), or null for the kiosk browser's. @default always null */
  language?: () => string | null;
  /** Whether it is the quiet hours now (`player.quietHours`). @default never */
  quietHours?: () => boolean;
  /** While it is the quiet hours, when they end (`HH:MM`, `player.quietHours.to`); else null. @default never */
  quietUntil?: () => string | null;
  /** How the kiosk shows the guests' QR code now (`guests.kioskQr`). @default not said (the kiosk's card) */
  kioskQr?: () => KioskQrMode;
  /** Whether the camera reads the bundled demo clip (`camera.source: demo`), not a room. @default never */
  cameraClip?: () => boolean;
}

/**
 * The time zone this process keeps its hours in (the `TZ` variable, else the system's
 * `/etc/localtime`), as an IANA name; `UTC` where the system names none.
 */
export function boxTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The screens' state before any service has said anything. */
export function initialScreenState(options: {
  version: string;
  demo: boolean;
  /** Why the camera is off before anything reports it (it is turned off in the configuration file); @default null */
  cameraOff?: { detail: string; said?: Said } | null;
  /** The venue's language for the kiosk; @default null (the kiosk browser's) */
  language?: string | null;
  /** The box's time zone (IANA); @default this process's (`boxTimeZone`) */
  timeZone?: string;
}): StateSnapshot {
  return {
    version: options.version,
    demo: options.demo,
    language: options.language ?? null,
    timeZone: options.timeZone ?? boxTimeZone(),
    // The camera service, when there is one, reports the camera; until then it is off.
    camera: {
      status: 'off',
      detail: options.cameraOff?.detail ?? null,
      ...(options.cameraOff?.said ? { said: options.cameraOff.said } : {}),
    },
    mood: { current: null, confidence: 0, since: null, why: null, faces: 0 },
    player: { status: 'stopped', nowPlaying: null, positionMs: 0, next: null, volume: 70 },
    suggestions: [],
    session: { user: null, notice: null },
    services: [],
    library: { scanning: false, done: 0, total: 0, tracks: 0, lastScan: null, analysis: { running: false, done: 0, total: 0, failed: 0 } },
    guests: { open: 0, awaitingStaff: 0, changedAt: null },
    dayPlan: null,
    quietHours: false,
    quietUntil: null,
  };
}

/**
 * The only writer of the screens' state: subscribes to the app's events and projects them into
 * the `StateHub` the UIs render from. It adds what only the screens need (the kiosk's "why" line,
 * how long a notice stays, what a track looks like) and nothing flows back from here into the
 * services. Start it before the services, so it hears their first events, and stop it after them.
 */
export class StateProjector implements Service {
  readonly name = 'screens';
  readonly #deps: StateProjectorDeps;
  readonly #views = new Map<number, TrackView>();
  #noticeTimer: Timer | undefined;
  #healthTimer: Timer | undefined;

  constructor(deps: StateProjectorDeps) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    const { bus, hub } = this.#deps;
    const area = <A extends keyof StateSnapshot>(name: A): StateSnapshot[A] => hub.snapshot().data[name];
    // The demo clip is never shown as a room: its state says it is the clip.
    const clip = (): { clip?: true } => (this.#deps.cameraClip?.() === true ? { clip: true } : {});
    bus.on('cameraStateChanged', ({ status, detail }) => hub.update('camera', { ...cameraLine(status, detail), ...clip() }), this);
    bus.on(
      'facesInViewChanged',
      ({ faces }) => {
        const mood = area('mood');
        hub.update('mood', {
          ...mood,
          faces,
          why: why(mood.current, faces, mood.tooDark === true),
          whySaid: whySaid(mood.current, faces, mood.tooDark === true),
          ...(faces === 0 ? { byEmotion: {} } : {}),
        });
      },
      this,
    );
    bus.on('facesReadChanged', ({ byEmotion }) => hub.update('mood', { ...area('mood'), byEmotion: { ...byEmotion } }), this);
    bus.on(
      'roomLightChanged',
      ({ tooDark }) => {
        const mood = area('mood');
        hub.update('mood', {
          ...mood,
          tooDark,
          why: why(mood.current, mood.faces, tooDark),
          whySaid: whySaid(mood.current, mood.faces, tooDark),
        });
      },
      this,
    );
    bus.on(
      'roomMoodChanged',
      ({ mood }) => {
        const faces = area('mood').faces;
        hub.update('mood', {
          // Keeps a held mood (staff's) beside the room's.
          ...area('mood'),
          // Null: the camera stopped seeing, and nothing is known of the room.
          current: mood?.label ?? null,
          confidence: mood === null ? 0 : Math.round(mood.confidence * 100) / 100,
          since: mood?.since ?? null,
          why: why(mood?.label ?? null, faces, area('mood').tooDark === true && mood !== null),
          whySaid: whySaid(mood?.label ?? null, faces, area('mood').tooDark === true && mood !== null),
          faces,
        });
      },
      this,
    );
    bus.on('personalReadingChanged', ({ isPersonal }) => hub.update('mood', { ...area('mood'), isPersonal }), this);
    bus.on('moodHeld', ({ label, until, music }) => hub.update('mood', { ...area('mood'), held: { label, until, music } }), this);
    bus.on('moodReleased', () => hub.update('mood', { ...area('mood'), held: null }), this);
    // The songs counted as the store has them now: copies of one recording grouped after the
    // analysis count once, on every screen, whatever count the event carried from before.
    bus.on('libraryScanChanged', (library) => hub.update('library', { ...library, tracks: this.#deps.store.tracks.count() }), this);
    // A language or a QR mode saved in Settings: the kiosk follows it at once.
    bus.on('settingsChanged', () => hub.update('language', this.#deps.language?.() ?? null), this);
    bus.on('settingsChanged', () => this.#publishQrMode(), this);
    // Quiet hours saved or taken away: the screens say so as the music stops or starts, not at the next health round.
    bus.on('settingsChanged', () => this.#publishQuiet(), this);
    bus.on(
      'libraryChanged',
      ({ tracks }) => {
        this.#views.clear();
        if (area('library').tracks !== tracks) hub.update('library', { ...area('library'), tracks });
      },
      this,
    );
    bus.on('personSignedIn', ({ user }) => this.#session(user, null), this);
    bus.on('personSignedOut', () => this.#session(null, null), this);
    bus.on('cardReaderChanged', ({ status }) => hub.update('session', { ...area('session'), hasCardReader: status === 'connected' }), this);
    bus.on(
      'unknownCardRead',
      () => {
        this.#session(
          area('session').user,
          'This card is not linked to anyone yet. Ask a member of staff to link it, or sign in with your PIN.',
        );
        this.#noticeTimer = this.#deps.clock.setTimeout(() => this.#session(area('session').user, null), NOTICE_MS);
      },
      this,
    );
    bus.on(
      'playbackChanged',
      (playback) =>
        hub.update('player', {
          status: playback.status,
          ...(playback.stalled === undefined ? {} : { stalled: { cause: playback.stalled.cause, detail: playback.stalled.detail } }),
          nowPlaying: asGuestRequest(withNote(this.#view(playback.trackId), playback), playback.isGuestRequest),
          positionMs: Math.round(playback.positionMs / POSITION_STEP_MS) * POSITION_STEP_MS,
          next: asGuestRequest(this.#view(playback.nextTrackId), playback.isNextGuestRequest),
          volume: playback.volume,
          // Only while a station says what it plays: a file's player state stays as it was.
          ...(playback.streamTitle == null ? {} : { streamTitle: playback.streamTitle }),
        }),
      this,
    );
    bus.on(
      'suggestionsChanged',
      ({ trackIds, reasons }) =>
        hub.update(
          'suggestions',
          trackIds.flatMap((id, i) => {
            const view = this.#view(id);
            const reason = reasons?.[i];
            if (view === null) return [];
            return reason === undefined
              ? [view]
              : [{ ...view, why: reason.text, whySaid: reason.said, isPersonalPick: reason.whose === 'person', whyKind: reason.kind }];
          }),
        ),
      this,
    );
    // A request that waits, a vote or a like reaches the admin's dashboard at once, not with the next song.
    bus.on(
      'guestRequestsChanged',
      ({ open, awaitingStaff }) => hub.update('guests', { ...area('guests'), open, awaitingStaff, changedAt: this.#deps.clock.now() }),
      this,
    );
    bus.on('dayPlanChanged', ({ plan }) => hub.update('dayPlan', plan === null ? null : { ...plan }), this);
    this.#publishQrMode();
    this.#publishHealth();
    this.#healthTimer = this.#deps.clock.setInterval(() => this.#publishHealth(), HEALTH_EVERY_MS);
  }

  /** The kiosk's QR mode (`guests.kioskQr`) in the guests' area, when the daemon says one. */
  #publishQrMode(): void {
    const kioskQr = this.#deps.kioskQr?.();
    if (kioskQr !== undefined) this.#deps.hub.update('guests', { ...this.#deps.hub.snapshot().data.guests, kioskQr });
  }

  async stop(): Promise<void> {
    this.#healthTimer?.cancel();
    this.#noticeTimer?.cancel();
  }

  health(): { status: 'ready' } {
    return { status: 'ready' };
  }

  /** The services' health, and whether it is the quiet hours (read with it, so the kiosk goes dark within seconds of their start). */
  #publishHealth(): void {
    this.#deps.hub.update('services', this.#deps.services());
    this.#publishQuiet();
  }

  /** Whether it is the quiet hours, and until when, where that changed. */
  #publishQuiet(): void {
    const quiet = this.#deps.quietHours?.() ?? false;
    if (quiet !== this.#deps.hub.snapshot().data.quietHours) this.#deps.hub.update('quietHours', quiet);
    const until = quiet ? (this.#deps.quietUntil?.() ?? null) : null;
    if (until !== (this.#deps.hub.snapshot().data.quietUntil ?? null)) this.#deps.hub.update('quietUntil', until);
  }

  #session(user: { id: number; name: string } | null, notice: string | null): void {
    this.#noticeTimer?.cancel();
    this.#noticeTimer = undefined;
    const session = this.#deps.hub.snapshot().data.session;
    this.#deps.hub.update('session', { ...session, user: user === null ? null : { id: user.id, name: user.name }, notice });
  }

  /**
   * A track as the screens show it, built once per library load: the player is projected on every
   * position tick, and its tracks' moods would otherwise be read from the database each time.
   */
  #view(trackId: number | null): TrackView | null {
    if (trackId === null) return null;
    let view = this.#views.get(trackId);
    if (view === undefined) {
      const track = this.#deps.store.tracks.get(trackId);
      if (track === undefined) return null;
      view = trackView(track, this.#deps.store);
      this.#views.set(trackId, view);
    }
    return view;
  }
}

/** The song playing, with why it plays (the history's note, and the same as a message), when the music gave one. */
function withNote(view: TrackView | null, { note, noteSaid }: Pick<Playback, 'note' | 'noteSaid'>): TrackView | null {
  return view === null || note === undefined || note === '' ? view : { ...view, why: note, whySaid: noteSaid ?? null };
}

/** A song a guest asked for says so on the kiosk ("asked for by a guest"). */
function asGuestRequest(view: TrackView | null, isGuestRequest: boolean | undefined): TrackView | null {
  return view === null || isGuestRequest !== true
    ? view
    : { ...view, why: PLAY_REASONS.guest.text, whySaid: PLAY_REASONS.guest.said, whyKind: 'guest' };
}

/** The kiosk's short line on why Moodbox reads the room as it does. */
export function why(mood: RoomMoodLabel | null, faces: number, tooDark = false): string | null {
  if (tooDark) {
    const held = mood === null || mood === NOBODY ? '' : `; keeping the room ${LOOKS[mood]}`;
    return faces === 0 ? `Too dark to see the room${held}` : `${plural(faces, 'face')} in view, too dark to read expressions${held}`;
  }
  if (mood === null) return faces === 0 ? null : `${plural(faces, 'face')} in view`;
  if (mood === NOBODY) return faces === 0 ? 'Nobody in view for a while' : `${plural(faces, 'face')} in view`;
  const look = LOOKS[mood];
  if (faces === 0) return `The room looked ${look}`;
  if (faces === 1) return `1 face, looking ${look}`;
  return `${faces} faces, mostly looking ${look}`;
}

/** `why` as data (`Said`), for the screens to say in the reader's language; the ids are in the screens' catalogues. */
export function whySaid(mood: RoomMoodLabel | null, faces: number, tooDark = false): Said | null {
  const look = mood === null || mood === NOBODY ? undefined : { said: `look.${mood}` };
  if (tooDark) {
    const keeping: NonNullable<Said['values']> = look === undefined ? {} : { look };
    if (faces === 0) return said(look === undefined ? 'mood.tooDark' : 'mood.tooDarkKeeping', keeping);
    return said(look === undefined ? 'mood.tooDarkFaces' : 'mood.tooDarkFacesKeeping', { faces, ...keeping });
  }
  if (mood === null) return faces === 0 ? null : said('mood.inView', { faces });
  if (mood === NOBODY) return faces === 0 ? said('mood.nobody') : said('mood.inView', { faces });
  if (faces === 0) return said('mood.looked', { look: look ?? '' });
  if (faces === 1) return said('mood.oneFace', { look: look ?? '' });
  return said('mood.faces', { faces, look: look ?? '' });
}

/** A message id of the screens' catalogues and its values. */
export { said } from '../../kernel/said.js';

const LOOKS = {
  happy: 'happy',
  sad: 'sad',
  angry: 'tense',
  surprise: 'surprised',
  fear: 'worried',
  disgust: 'displeased',
  neutral: 'relaxed',
  contempt: 'unimpressed',
} as const;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A camera device's path (`/dev/video0`): a camera, not a file. */
const CAMERA_DEVICE = /\/dev\/video\d+/g;

/**
 * The camera's state as the screens show it: its detail without places (`withoutPlaces`), and a
 * camera device that cannot be opened said as a camera in the reader's language, never as a file.
 */
function cameraLine(status: StateSnapshot['camera']['status'], detail: string | null): StateSnapshot['camera'] {
  if (detail === null) return { status, detail: null };
  const shown = withoutPlaces(detail);
  const isDevice = status === 'unavailable' && new RegExp(CAMERA_DEVICE.source).test(detail);
  return isDevice ? { status, detail: shown, said: said('camera.deviceUnavailable') } : { status, detail: shown };
}

/**
 * A camera's detail as anyone may read it in the state: file paths and addresses (a video file, a
 * device, a camera's URL with its password) say where things are on the box, so they are left out
 * (a camera device is named as one); the log has them in full.
 */
export function withoutPlaces(detail: string): string {
  return detail
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`]+/gi, '(an address)')
    .replace(CAMERA_DEVICE, '(a camera device)')
    .replace(/(^|[\s'"`(=])(?:~|\.{1,2})?\/[^\s'"`),;:]*/g, '$1(a file on the box)');
}
