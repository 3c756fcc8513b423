import type { MoodboxEvents, Playback } from '../events.js';
import type { Timer } from '../../kernel/clock.js';
import { SIGN_IN_REFUSALS } from '../people/sign-in-refusals.js';
import { MUSIC_REFUSALS } from './music-refusals.js';
import { PlayerError } from '../../player/errors.js';
import { PLAY_REASONS } from '../../player/pick-reasons.js';
import { tracksLine } from '../../kernel/health-words.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import type { Track } from '../store/store.js';
import { NOBODY_SILENCE, type PlayerSettings } from './limits-policy.js';
import { MusicLimits } from './music-limits.js';
import {
  libraryFitOf,
  moveForStaff,
  playNextForStaff,
  playNowForStaff,
  unqueueForStaff,
  type LibraryFit,
  type StaffMusicView,
  type StaffPickParts,
} from './staff-picks.js';
import type { PlayerEvents } from '../../player/player.js';
import type { RoomMood } from '../../kernel/room-mood.js';
import { isChosen, MusicCatalogue } from './music-catalogue.js';
import { MusicSources } from '../../player/sources/music-sources.js';
import { MAX_HOLD_MINUTES, MusicAim, type MoodHold } from './music-aim.js';
import { MusicQueue, type MusicGround } from './music-queue.js';
import type { BlockReason } from './blocked-music.js';
import type { QueueItem } from '../../player/play-queue.js';
import { isEmotion, type Emotion } from '../../kernel/room-mood.js';
import { auditFirst, auditOrUndo, recordAudit, type Actor, type AuditDeps } from '../store/audit.js';
import { DayPlanWatch } from './day-plan-watch.js';
import type { FitVerdict } from './fit-policy.js';
import type { GuestQueue } from './guest-queue.js';
import { MusicMemory, type MusicLive } from './music-memory.js';

/** How often quiet hours, the volume schedule and the day plans are checked (ms); a day plan's own minute also has a timer. */
const SCHEDULE_CHECK_MS = 30_000;

const MINUTE_MS = 60_000;

export { MAX_HOLD_MINUTES };
export type { LibraryFit, MoodHold, PlayerSettings, StaffMusicView };

/** Who skips the song playing, and what follows from it. */
export type SkipBy =
  /** The person signed in at the kiosk: remembered as their skip; `trackId` is the song they saw playing, when known. */
  | { readonly by: 'listener'; readonly actor: Actor; readonly trackId?: number | undefined }
  /** Staff, Home Assistant or the fleet: nobody's taste changes; refused while the music is silent. */
  | { readonly by: 'staff'; readonly actor: Actor }
  /** Enough guests voted the song `trackId` off: nothing happens once it has ended. */
  | { readonly by: 'guests'; readonly trackId: number };

/** What the kiosk's player requests use of the music: its taps, likes and skips. */
export type KioskControls = Pick<MusicDirector, 'tap' | 'like' | 'unlike' | 'skip'>;

/** What staff, Home Assistant and the fleet use of the music: its commands and what they read of it. */
export type StaffControls = Pick<
  MusicDirector,
  | 'playback'
  | 'queue'
  | 'staffView'
  | 'libraryFit'
  | 'pause'
  | 'resume'
  | 'skip'
  | 'setVolume'
  | 'holdMood'
  | 'releaseMood'
  | 'playNow'
  | 'playNext'
  | 'unqueue'
  | 'move'
  | 'likePlaying'
>;

export interface MusicDirectorDeps extends MusicGround {
  /** Where music comes from besides the library (`music.source`). @default the library alone */
  sources?: MusicSources;
  /** Whether a library entry may be picked now (a station that just failed may not). @default every entry */
  isPlayable?: (track: Track) => boolean;
  /** Why a track may not play here (blocked by the owner, explicit and skipped), or null. @default none is blocked */
  blocked?: (track: Pick<Track, 'id' | 'artist'>) => BlockReason | null;
  /** Songs guests asked for from their phones: at most one plays after each song the music picks itself. @default none */
  guests?: GuestQueue;
  /** Whether the music folders are being scanned now: an empty library is then not said to be empty. @default never */
  libraryScanning?: () => boolean;
}

/**
 * The one owner of the music: reads the room and plays to it (follows `roomMoodChanged`,
 * `libraryChanged`, `settingsChanged`, the player's events and the music sources), and carries out
 * every command on the music, whoever asks: the kiosk's taps, likes and skips, staff's, Home
 * Assistant's and the fleet's pause, skip, volume, held mood and picks, and the guests' votes. Each
 * command is audited here with who acted (`auditFirst`: the line written first and taken back when
 * the command is refused, so a full disk changes nothing; the volume, a pause and a resume are
 * undone when their line cannot be written), and runs in the queue's turn. Its parts each keep a
 * side of the state, calling only downward: the aim (the room's mood or a held one), the limits
 * (quiet hours, silences, the volume), the queue (what plays and what comes next; it announces
 * `playbackChanged` and `suggestionsChanged`); the memory writes them as one value (`music.live`).
 */
export class MusicDirector implements Service {
  readonly name = 'music';
  readonly #deps: MusicDirectorDeps;
  /** What the music may play: the library's tracks, the recommender over them, the checks before a track plays. */
  readonly #catalogue: MusicCatalogue;
  readonly #sources: MusicSources;
  /** The mood the music follows: the room's or one staff hold, and the emotion → mood table. */
  readonly #aim: MusicAim;
  /** Quiet hours, silences, the volume and its limits, the fades. */
  readonly #limits: MusicLimits;
  /** What plays and what comes next, and every move on it, one at a time. */
  readonly #queue: MusicQueue;
  /** What the staff's picks move (`staff-picks.ts`). */
  readonly #picks: StaffPickParts;
  /** Where each command's audit line is written. */
  readonly #audit: AuditDeps;
  /** Ends a held mood at its time. */
  #holdTimer: Timer | undefined;
  /** The day plan in force, by the clock. */
  readonly #plans: DayPlanWatch;
  /** What staff and the music set, kept in the database as it changes: a restart puts it back. */
  readonly #memory: MusicMemory;
  /** Ends the subscription to the music sources (not a bus: they call back). */
  #offSources: (() => void) | undefined;
  #scheduleTimer: Timer | undefined;

  constructor(deps: MusicDirectorDeps) {
    this.#deps = deps;
    const { clock, log, bus, store, player, settings } = deps;
    this.#sources = deps.sources ?? new MusicSources({ sources: [], mode: () => 'local' });
    const sources = this.#sources;
    this.#catalogue = new MusicCatalogue({
      log,
      store,
      isPlayable: deps.isPlayable,
      blocked: deps.blocked,
      scanning: deps.libraryScanning,
      // A Spotify track left in the library plays only while Spotify is a source (never at a business).
      othersPlay: () => sources.mode !== 'local',
    });
    this.#aim = new MusicAim({ clock, log, bus });
    this.#plans = new DayPlanWatch({
      clock,
      log,
      bus,
      plans: () => settings().dayPlans,
    });
    this.#limits = new MusicLimits({ clock, log, player, settings, aim: this.#aim, plan: () => this.#plans.current });
    this.#memory = new MusicMemory({ settings: store.settings, log, clock, catalogue: this.#catalogue });
    this.#queue = new MusicQueue({
      ...deps,
      sources: this.#sources,
      catalogue: this.#catalogue,
      aim: this.#aim,
      limits: this.#limits,
      guests: deps.guests,
      plans: this.#plans,
      resume: () => this.#memory.takeResume(this.#aim.label),
    });
    this.#picks = { clock, log, player, queue: this.#queue, limits: this.#limits, catalogue: this.#catalogue };
    this.#audit = { audit: store.audit, clock };
  }

  async start(): Promise<void> {
    this.#catalogue.reload();
    // Every listener is this director's: `stop` removes them all by owner.
    const { bus, player } = this.#deps;
    const queue = this.#queue;
    const onBus = <K extends keyof MoodboxEvents>(event: K, fn: (payload: MoodboxEvents[K]) => unknown) => bus.on(event, fn, this);
    const onPlayer = <K extends keyof PlayerEvents>(event: K, fn: (p: PlayerEvents[K]) => unknown) => player.events.on(event, fn, this);
    // Each runs in turn with the rest (the queue's `serial`), which logs a failure; nobody waits on them here.
    onBus('roomMoodChanged', ({ mood }) => void this.roomMoodChanged(mood).catch(() => undefined));
    onBus('libraryChanged', () => void this.libraryChanged().catch(() => undefined));
    // What may play changed with the blocks: as with a new library, and what is blocked leaves the queue.
    onBus('blocksChanged', () => void this.libraryChanged().catch(() => undefined));
    onBus('settingsChanged', ({ changed }) => {
      if (changed.some((path) => path.startsWith('player.'))) void this.settingsChanged().catch(() => undefined);
    });
    onPlayer('trackStarted', ({ item }) => {
      this.#memory.songStarted();
      queue.songStarted(item);
    });
    // Kept as it changes: the song and its place, the queue, a pause, the volume, a held mood.
    for (const event of ['playbackChanged', 'moodHeld', 'moodReleased'] as const) onBus(event, () => this.#memory.remember(this.live));
    onPlayer('queueEnded', () => {
      queue.publishPlayer();
      if (this.#limits.silence() === null) queue.background('play on', () => queue.playPick('mood'));
    });
    onPlayer('queueChanged', () => queue.publishPlayer());
    onPlayer('pausedChanged', () => queue.publishPlayer());
    onPlayer('volumeChanged', () => queue.publishPlayer());
    onPlayer('positionChanged', () => queue.publishPlayer());
    onPlayer('stalledChanged', () => queue.publishPlayer());
    onPlayer('streamTitleChanged', ({ item, title }) => queue.streamTitleChanged(item, title));
    onPlayer('trackFailed', ({ item, error }) => this.#deps.log.warn({ uri: item.track.uri, error }, 'track skipped: cannot play it'));
    onPlayer('playerFaulted', ({ error, retryInMs }) => this.#deps.log.warn({ error, retryInMs }, 'player stopped; restarting it'));
    this.#offSources = this.#sources.onAvailabilityChanged(() => queue.background('follow the music source', () => queue.followSource()));
    // The start's own pick already follows the block in force at start; a later block is followed at once.
    this.#plans.start(() => queue.background('follow the day plan', () => queue.planChanged()));
    this.#scheduleTimer = this.#deps.clock.setInterval(() => {
      this.#plans.check();
      queue.background('apply the schedule', () => queue.applyLimits());
    }, SCHEDULE_CHECK_MS);
    const kept = this.#memory.read();
    await queue.serial('start', async () => {
      const hold = this.#memory.putBack(kept);
      if (kept.isPausedByStaff) this.#limits.setPausedByStaff(true);
      if (hold !== null) this.#keepHold(hold);
      if (kept.volume !== null) await this.#limits.setWanted(kept.volume);
      await this.#limits.applyMaxVolume();
      await this.#limits.applyCrossfade();
      await queue.applyLimits();
      if (this.#deps.settings().autoplay && this.#limits.silence() === null && this.#deps.player.state().current === undefined) {
        await queue.playPick('mood');
      } else {
        queue.refreshSuggestions();
      }
    });
  }

  async stop(): Promise<void> {
    // The song's place as it is now: a restart resumes it there.
    this.#memory.remember(this.live, { force: true });
    this.#scheduleTimer?.cancel();
    this.#plans.stop();
    this.#holdTimer?.cancel();
    this.#offSources?.();
    this.#offSources = undefined;
    await this.#queue.stop();
  }

  health(): ServiceHealth {
    if (this.#catalogue.size === 0) return { status: 'degraded', detail: this.#catalogue.nothingToPlay() };
    const lastError = this.#queue.lastError;
    if (lastError !== undefined) return { status: 'degraded', detail: lastError };
    const sourceProblem = this.#sources.problem();
    if (sourceProblem !== undefined) return { status: 'degraded', detail: sourceProblem };
    const silence = this.#limits.silence();
    const tracks = tracksLine(this.#catalogue.size);
    return silence === null ? { status: 'ready', ...tracks } : { status: 'ready', detail: `${tracks.detail}, silent: ${silence}` };
  }

  /**
   * The room mood changed, or became unknown (null: the camera stopped seeing). Resolves once the
   * music has followed: with no mood, the picks are those of a box without a camera, and the song
   * playing plays on (the camera turning off is no change in the room).
   */
  roomMoodChanged(mood: RoomMood | null): Promise<void> {
    const queue = this.#queue;
    return queue.serial('follow the room', async () => {
      this.#aim.roomChanged(mood);
      // While staff hold a mood the camera's reading is kept for later but not followed.
      if (this.#aim.hold !== null) return;
      queue.roomMoved();
      // Music coming back after a silence plays on as it was; else the next song follows the room.
      await queue.playToMood(({ wasSilent }) => (wasSilent ? 'keep' : 'queue next'));
      await queue.cutForRoom(); // due at once with no hold
    });
  }

  /** The library changed (a scan finished, mood tags edited): picks come from it from now on. */
  libraryChanged(): Promise<void> {
    const queue = this.#queue;
    return queue.serial('reload the library', async () => {
      this.#catalogue.reload();
      if (await queue.dropBlocked()) {
        // The kiosk's tiles and the dashboard's "likely later" never offer what was just blocked.
        queue.refreshSuggestions();
        return;
      }
      if (this.#deps.player.state().current === undefined && this.#deps.settings().autoplay && this.#limits.silence() === null) {
        await queue.playPick('mood');
      } else {
        queue.refreshSuggestions();
      }
    });
  }

  /**
   * A tap on a suggestion: plays that track now; with nobody signed in, not when it is far from the
   * mood followed now (`MB_ERR_PLAYER_MOOD`). The song it replaces ends as the signed-in person's skip, or, with
   * nobody signed in, as `switched` (no listener's skip: it teaches no taste).
   */
  tap(trackId: number, actor: Actor): Promise<{ trackId: number }> {
    return auditFirst(this.#audit, actor, 'player.tap', { trackId }, () => this.#tap(trackId));
  }

  #tap(trackId: number): Promise<{ trackId: number }> {
    return this.#queue.serial('play a tapped song', async () => {
      const user = this.#deps.listener();
      if (user === null && !this.#deps.settings().guestTaps) {
        throw MUSIC_REFUSALS.signInToChoose();
      }
      const silence = this.#limits.silence();
      if (silence !== null && silence !== NOBODY_SILENCE) throw MUSIC_REFUSALS.noMusicNow(silence);
      const track = this.#catalogue.mayPlay(this.#catalogue.playable(trackId));
      // The mood leads here too: a tap by nobody signed in does not start a song far from the mood followed now
      // (the signed-in person's own choice plays, as their picks lean to their taste).
      const fit = user === null ? this.guestFit(track.id) : { fit: 'fits' as const };
      if (fit.fit === 'far') throw new PlayerError('MB_ERR_PLAYER_MOOD', fit.reason, { said: fit.reasonSaid });
      this.#limits.unsilence();
      // Only the person signed in skips the song a tap replaces (their taste); a tap by nobody in particular is no one's skip.
      const entry = this.#queue.entry(track, 'tap', PLAY_REASONS.kiosk, user?.id ?? null);
      await this.#deps.player.play([entry, ...this.#queue.staffPicks()], {
        replacedAs: user === null ? 'switched' : 'skipped',
      });
      await this.#limits.applyVolume();
      if (this.#deps.player.state().isPaused) await this.#deps.player.resume();
      return { trackId };
    });
  }

  /** The signed-in person likes a track: remembered for their picks. */
  like(trackId: number, actor: Actor): Promise<{ trackId: number }> {
    return auditFirst(this.#audit, actor, 'player.like', { trackId }, () => this.#like(trackId));
  }

  /** The person signed in at the kiosk likes the song playing, as `actor` asked (Home Assistant's like button). */
  async likePlaying(actor: Actor): Promise<{ trackId: number }> {
    const trackId = this.playback.trackId;
    if (trackId === null) throw new RangeError('Expected a song playing to like, got none');
    await this.#like(trackId);
    recordAudit(this.#audit, actor, 'player.like', { detail: { trackId } });
    return { trackId };
  }

  #like(trackId: number): Promise<{ trackId: number }> {
    return this.#queue.serial('like', async () => {
      const user = this.#signedIn('like a song');
      const track = this.#catalogue.playable(trackId);
      this.#deps.store.plays.recordFeedback({ userId: user.id, trackId, kind: 'like', at: this.#deps.clock.now() });
      await this.#sources.like({ source: track.source, uri: track.uri });
      this.#queue.refreshSuggestions();
      return { trackId };
    });
  }

  /**
   * The signed-in person takes a like back: their picks no longer lean toward the track. Resolves
   * with the track even when it was not liked, so a second tap changes nothing.
   */
  unlike(trackId: number, actor: Actor): Promise<{ trackId: number }> {
    return auditFirst(this.#audit, actor, 'player.unlike', { trackId }, () => this.#unlike(trackId));
  }

  #unlike(trackId: number): Promise<{ trackId: number }> {
    return this.#queue.serial('unlike', async () => {
      const user = this.#signedIn('unlike a song');
      if (this.#deps.store.tracks.get(trackId) === undefined) throw MUSIC_REFUSALS.noSuchTrack(trackId);
      this.#deps.store.plays.removeFeedback({ userId: user.id, trackId, kind: 'like' });
      this.#queue.refreshSuggestions();
      return { trackId };
    });
  }

  /**
   * Skips the song playing, whoever asks (`SkipBy`): the song next plays, as the screens show it (a
   * song staff queued, a guest's request or the music's own pick). The person signed in at the
   * kiosk skips it for their taste (refused with nobody signed in, or when the song they saw has
   * ended); staff's skip changes nobody's taste and is refused while the music is silent; the
   * guests' vote skips only the song it was cast on. Resolves with the song skipped, null when none was.
   */
  skip(ask: SkipBy): Promise<{ trackId: number | null }> {
    if (ask.by === 'guests') return this.#skip(ask);
    const playing = this.#deps.player.state().current?.track.id ?? null;
    const detail = ask.by === 'staff' ? { trackId: playing } : ask.trackId === undefined ? {} : { trackId: ask.trackId };
    return auditFirst(
      this.#audit,
      ask.actor,
      'player.skip',
      detail,
      () => this.#skip(ask),
      ({ trackId }) => ({ trackId }),
    );
  }

  #skip(ask: SkipBy): Promise<{ trackId: number | null }> {
    const what = ask.by === 'listener' ? 'skip' : ask.by === 'staff' ? 'skip for staff' : 'skip for the guests';
    return this.#queue.serial(what, async () => {
      const current = this.#deps.player.state().current;
      if (ask.by === 'guests' && current?.track.id !== ask.trackId) return { trackId: null };
      if (ask.by === 'staff') {
        const silence = this.#limits.silence();
        if (silence !== null) throw MUSIC_REFUSALS.nothingToSkip(silence);
      }
      const user = ask.by === 'listener' ? this.#signedIn('skip a song') : null;
      if (current === undefined) return { trackId: null };
      if (ask.by === 'listener' && ask.trackId !== undefined && ask.trackId !== current.track.id) {
        throw MUSIC_REFUSALS.alreadyEnded(current.track.id, ask.trackId);
      }
      if (user !== null) {
        this.#deps.store.plays.recordFeedback({ userId: user.id, trackId: current.track.id, kind: 'skip', at: this.#deps.clock.now() });
      }
      await this.#queue.skip();
      return { trackId: current.track.id };
    });
  }

  /** How a song a guest asks for sits with the mood the music follows now (held or the room's). */
  guestFit(trackId: number): FitVerdict {
    return this.#queue.fitOf(trackId);
  }

  /**
   * The guests' queue changed (a request, a vote, staff cleared it): the song after this one
   * becomes the guests' next request when the song playing is the music's own pick, or the
   * music's pick again when no request may play.
   */
  guestsChanged(): Promise<void> {
    return this.#queue.serial('follow the guests', async () => {
      const { current, upcoming } = this.#deps.player.state();
      if (current === undefined || this.#limits.silence() !== null || upcoming.some(isChosen)) return;
      await this.#queue.queueUpcoming(this.#queue.recommend());
    });
  }

  /** What plays now, as the screens show it. */
  get playback(): Playback {
    return this.#queue.playback;
  }

  /**
   * The music's live state as one value: the song playing and its place, the staff's queue, a held
   * mood, a staff pause, the volume asked for. The memory keeps it (`music.live`) and a restart
   * puts it back.
   */
  get live(): MusicLive {
    const { current, upcoming, positionMs } = this.#deps.player.state();
    const playing =
      current === undefined
        ? null
        : { trackId: current.track.id, reason: current.reason, userId: current.userId, positionMs: Math.max(0, Math.round(positionMs)) };
    const staffQueue = current === undefined ? [] : upcoming.filter((i) => i.reason === 'staff').map((i) => i.track.id);
    const { isPausedByStaff, wantedVolume } = this.#limits;
    return { hold: this.#aim.hold, isPausedByStaff, volume: wantedVolume, playing, staffQueue };
  }

  /** What staff see of the music now: why it is silent, the volume asked for and its cap, a held mood. */
  get staffView(): StaffMusicView {
    const limits = this.#limits;
    const { isPausedByStaff, wantedVolume } = limits;
    return { silence: limits.silence(), isPausedByStaff, wantedVolume, volumeCap: limits.volumeCap(), hold: this.#aim.hold };
  }

  /** What plays and what is queued after it, in order. */
  get queue(): { current: QueueItem | undefined; upcoming: readonly QueueItem[] } {
    const { current, upcoming } = this.#deps.player.state();
    return { current, upcoming };
  }

  /** How well the library serves each mood the room can be in, for the dashboard's warnings. */
  libraryFit(): LibraryFit {
    const catalogue = this.#catalogue;
    return libraryFitOf(catalogue.recommender, this.#aim.emotionMoods(), catalogue.size, catalogue.notAnalysed);
  }

  /**
   * Staff pause the music. It stays paused until `resume`: no rule of Moodbox's own (the room, the
   * end of quiet hours, a tap at the kiosk) starts it again. Announces `playbackChanged`, even when
   * the music was silent already (the pause itself is news to Home Assistant).
   */
  async pause(actor: Actor): Promise<void> {
    const wasPaused = this.#limits.isPausedByStaff;
    await this.#pauseForStaff(true);
    await auditOrUndo(this.#audit, actor, 'player.pause', { detail: {} }, () =>
      wasPaused ? Promise.resolve() : this.#pauseForStaff(false),
    );
  }

  /** Ends a staff pause; the music plays again unless quiet hours or the schedule keep it silent (`silence` says why). */
  async resume(actor: Actor): Promise<void> {
    const wasPaused = this.#limits.isPausedByStaff;
    await this.#pauseForStaff(false);
    await auditOrUndo(this.#audit, actor, 'player.resume', { detail: {} }, () =>
      wasPaused ? this.#pauseForStaff(true) : Promise.resolve(),
    );
  }

  #pauseForStaff(isPaused: boolean): Promise<void> {
    return this.#queue.serial(isPaused ? 'pause for staff' : 'resume for staff', async () => {
      this.#limits.setPausedByStaff(isPaused);
      this.#deps.log.info({}, isPaused ? 'music paused by staff' : 'music resumed by staff');
      await this.#queue.applyLimits();
      this.#queue.publishPlayer();
    });
  }

  /** Sets the volume asked for (an integer 0–100); the maximum, the schedule and the idle volume still cap it. Resolves with the volume applied. */
  async setVolume(volume: number, actor: Actor): Promise<number> {
    const before = this.#limits.wantedVolume;
    const set = (to: number): Promise<number> => this.#queue.serial('set the volume', () => this.#limits.setWanted(to));
    const applied = await set(volume);
    await auditOrUndo(this.#audit, actor, 'player.volume', { detail: { wanted: volume, applied } }, () => set(before));
    return applied;
  }

  /**
   * Staff hold the music to `label` for `minutes` (an integer 1–`MAX_HOLD_MINUTES`): the music
   * follows that mood instead of the camera's, switching a song that does not fit it, and goes
   * back to the room when the time is up or on `releaseMood`. The aim announces `moodHeld`, then `moodReleased`.
   */
  async holdMood(label: Emotion, minutes: number, actor: Actor): Promise<void> {
    if (!isEmotion(label)) throw new RangeError(`Expected \`label\` to be an emotion, got \`${String(label)}\``);
    if (!(Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_HOLD_MINUTES)) {
      throw new RangeError(`Expected \`minutes\` to be an integer from 1 to ${MAX_HOLD_MINUTES}, got \`${minutes}\``);
    }
    const until = this.#deps.clock.now() + minutes * MINUTE_MS;
    await auditFirst(this.#audit, actor, 'mood.hold', { label, minutes, until }, () =>
      this.#queue.serial('hold a mood', async () => {
        this.#keepHold({ label, until });
        await this.#queue.follow();
      }),
    );
  }

  /** Follows the camera again at once; audited only when a mood was held. */
  async releaseMood(actor: Actor): Promise<void> {
    const held = this.#aim.hold;
    const release = (): Promise<void> => this.#queue.serial('release the held mood', () => this.#release('staff'));
    if (held === null) await release();
    else await auditFirst(this.#audit, actor, 'mood.release', { label: held.label }, release);
  }

  /** Holds the music to `hold` with its timer, within a turn of the queue: the music follows it from the next move. */
  #keepHold(hold: MoodHold): void {
    const { clock } = this.#deps;
    this.#aim.holdMood(hold.label, hold.until);
    this.#holdTimer?.cancel();
    this.#holdTimer = clock.setTimeout(
      () => this.#queue.background('end a held mood', () => this.#release('expired')),
      hold.until - clock.now(),
    );
  }

  async #release(why: 'staff' | 'expired'): Promise<void> {
    this.#holdTimer?.cancel();
    this.#holdTimer = undefined;
    if (this.#aim.releaseMood(why)) await this.#queue.follow();
  }

  /** Plays a song or station of the library now, as staff's choice (`MB_ERR_NOT_FOUND` for none such; refused while silent). */
  playNow(trackId: number, actor: Actor): Promise<QueueItem> {
    return auditFirst(this.#audit, actor, 'player.play-now', { trackId }, () => playNowForStaff(this.#picks, trackId), song);
  }

  /** Puts a song or station at the head of what comes next; a change of the room's mood never pushes it out. */
  playNext(trackId: number, actor: Actor): Promise<QueueItem> {
    return auditFirst(this.#audit, actor, 'player.play-next', { trackId }, () => playNextForStaff(this.#picks, trackId), song);
  }

  /** Takes a song staff queued out again (`MB_ERR_NOT_FOUND` once it started or left). */
  unqueue(key: number, actor: Actor): Promise<QueueItem> {
    const queued = this.queue.upcoming.find((i) => i.key === key);
    const detail = queued === undefined ? { key } : song(queued);
    return auditFirst(this.#audit, actor, 'player.unqueue', detail, () => unqueueForStaff(this.#picks, key), song);
  }

  /** Moves a song staff queued to `position` (0: next) among the songs staff queued (`MB_ERR_NOT_FOUND` once it started or left). */
  move(key: number, position: number, actor: Actor): Promise<QueueItem> {
    const queued = this.queue.upcoming.find((i) => i.key === key);
    // Where it goes (1: next); the line is completed with where it went, a position past the last being the last.
    const asked = { ...(queued === undefined ? { key } : song(queued)), position: position + 1 };
    const place = (moved: QueueItem): number =>
      this.queue.upcoming.filter((i) => i.reason === 'staff').findIndex((i) => i.key === moved.key) + 1;
    const moving = (): Promise<QueueItem> => moveForStaff(this.#picks, key, position);
    return auditFirst(this.#audit, actor, 'player.queue-move', asked, moving, (moved) => ({ ...song(moved), position: place(moved) }));
  }

  /** The player settings changed: a new maximum volume and crossfade apply in the player at once, the other limits too. */
  settingsChanged(): Promise<void> {
    // Blocks edited: the one in force now may be another (it follows from the next song).
    this.#plans.check();
    return this.#queue.serial('apply the settings', async () => {
      await this.#limits.applyMaxVolume();
      await this.#limits.applyCrossfade();
      await this.#queue.applyLimits();
      this.#queue.publishPlayer();
    });
  }

  #signedIn(what: string): { id: number; name: string } {
    const user = this.#deps.listener();
    if (user === null) throw SIGN_IN_REFUSALS.toShapePicks(what);
    return user;
  }
}

/** What the audit says of a song: its id and its title, as it was then. */
function song(queued: QueueItem): { trackId: number; title: string; key: number } {
  return { trackId: queued.track.id, title: queued.track.title ?? '', key: queued.key };
}
