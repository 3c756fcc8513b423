import type { MoodboxBus, MoodboxEvents, Playback } from '../events.js';
import type { Clock, Timer } from '../../kernel/clock.js';
import { SIGN_IN_REFUSALS } from '../people/sign-in-refusals.js';
import { MUSIC_REFUSALS } from './music-refusals.js';
import { PlayerError } from '../../player/errors.js';
import { PLAY_REASONS } from '../../player/pick-reasons.js';
import type { Log } from '../../kernel/log.js';
import { tracksLine } from '../../kernel/health-words.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import type { Random } from '../../kernel/random.js';
import type { Store, Track } from '../store/store.js';
import { NOBODY_SILENCE, type PlayerSettings } from './limits-policy.js';
import { MusicLimits } from './music-limits.js';
import { StaffMusic, type LibraryFit, type StaffMusicView } from './music-staff.js';
import type { Player, PlayerEvents } from '../../player/player.js';
import type { RoomMood } from '../../kernel/room-mood.js';
import { isChosen, MusicCatalogue } from './music-catalogue.js';
import { MusicSources } from '../../player/sources/music-sources.js';
import { MusicAim, type MoodHold } from './music-aim.js';
import { MusicQueue } from './music-queue.js';
import { entryOf } from './music-next.js';
import type { BlockReason } from './blocked-music.js';
import type { QueueItem } from '../../player/play-queue.js';
import { DayPlanWatch } from './day-plan-watch.js';
import type { FitVerdict } from './fit-policy.js';
import type { GuestQueue } from './guest-queue.js';
import { MusicMemory } from './music-memory.js';

/** How often quiet hours, the volume schedule and the day plans are checked (ms); a day plan's own minute also has a timer. */
const SCHEDULE_CHECK_MS = 30_000;

export type { LibraryFit, MoodHold, PlayerSettings, StaffMusicView };

export interface MusicDirectorDeps {
  clock: Clock;
  random: Random;
  log: Log;
  store: Store;
  player: Player;
  bus: MoodboxBus;
  /** Who is signed in at the kiosk now. */
  listener: () => { id: number; name: string } | null;
  /** The player settings now (they may change while running). */
  settings: () => PlayerSettings;
  /** Where music comes from besides the library (`music.source`). @default the library alone */
  sources?: MusicSources;
  /** Whether a library entry may be picked now (a station that just failed may not). @default every entry */
  isPlayable?: (track: Track) => boolean;
  /** Why a track may not play here (blocked by the owner, explicit and skipped), or null. @default none is blocked */
  blocked?: (track: Pick<Track, 'id' | 'artist'>) => BlockReason | null;
  /** Songs guests asked for from their phones: at most one plays after each song the music picks itself. @default none */
  guests?: GuestQueue;
}

/**
 * Reads the room and plays to it: follows `roomMoodChanged`, `libraryChanged`, `settingsChanged`,
 * the player's events and the music sources, and answers the kiosk's taps, likes and skips and the
 * guests' votes. Its parts each own their state: the aim (the room's mood or a held one, and the
 * emotion → mood table), the limits (quiet hours, silences, the volume), the queue (what plays and
 * what comes next; it announces `playbackChanged` and `suggestionsChanged`), and the staff
 * controls over them.
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
  /** The music as staff steer it. */
  readonly #staff: StaffMusic;
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
      // A Spotify track left in the library plays only while Spotify is a source (never at a business).
      spotifyPlays: () => sources.mode !== 'local',
    });
    this.#aim = new MusicAim({ clock, log, bus });
    this.#plans = new DayPlanWatch({
      clock,
      log,
      bus,
      plans: () => settings().dayPlans,
    });
    this.#limits = new MusicLimits({ clock, log, player, settings, aim: this.#aim, plan: () => this.#plans.current });
    this.#memory = new MusicMemory({
      settings: store.settings,
      log,
      clock,
      player,
      aim: this.#aim,
      limits: this.#limits,
      catalogue: this.#catalogue,
    });
    this.#queue = new MusicQueue({
      ...deps,
      sources: this.#sources,
      catalogue: this.#catalogue,
      aim: this.#aim,
      limits: this.#limits,
      guests: deps.guests,
      plans: this.#plans,
      resume: () => this.#memory.takeResume(),
    });
    this.#staff = new StaffMusic({
      clock,
      log,
      player,
      queue: this.#queue,
      aim: this.#aim,
      limits: this.#limits,
      catalogue: this.#catalogue,
    });
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
    for (const event of ['playbackChanged', 'moodHeld', 'moodReleased'] as const) onBus(event, () => this.#memory.remember());
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
      if (hold !== null) this.#staff.keepHold(hold);
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
    this.#memory.remember({ force: true });
    this.#scheduleTimer?.cancel();
    this.#plans.stop();
    this.#staff.stop();
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
      if (await this.#dropBlocked()) return;
      if (this.#deps.player.state().current === undefined && this.#deps.settings().autoplay && this.#limits.silence() === null) {
        await queue.playPick('mood');
      } else {
        queue.refreshSuggestions();
      }
    });
  }

  /** Songs blocked since they were queued leave the queue; a blocked song playing gives way to the song next. True when the song changed. */
  async #dropBlocked(): Promise<boolean> {
    const { player, log } = this.#deps;
    const isBlocked = (item: QueueItem): boolean =>
      this.#catalogue.blockedWhy({ id: item.track.id, artist: item.track.artist ?? '' }) !== null;
    const { current, upcoming } = player.state();
    if (upcoming.some(isBlocked)) await player.replaceUpcoming(upcoming.filter((i) => !isBlocked(i)).map(entryOf));
    if (current === undefined || !isBlocked(current)) return false;
    log.info({ trackId: current.track.id }, 'the song playing was blocked: the song next plays');
    // The song shown next, started and awaited (a skip's bare `next` returns before mpv says the song
    // changed, and what runs after it would read an empty player); a pick for the room when none is shown.
    const shown = player.state().upcoming;
    if (shown.length === 0) await this.#queue.playPick('mood');
    else {
      await player.play(shown.map(entryOf));
      await this.#limits.afterChange(false);
    }
    // Nothing else could be picked: the blocked song still stops.
    if (player.state().current?.key === current.key) await player.next();
    return true;
  }

  /**
   * A tap on a suggestion: plays that track now; with nobody signed in, not when it is far from the
   * mood followed now (`MB_ERR_PLAYER_MOOD`). The song it replaces ends as the signed-in person's skip, or, with
   * nobody signed in, as `switched` (no listener's skip: it teaches no taste).
   */
  tap(trackId: number): Promise<{ trackId: number }> {
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
  like(trackId: number): Promise<{ trackId: number }> {
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
  unlike(trackId: number): Promise<{ trackId: number }> {
    return this.#queue.serial('unlike', async () => {
      const user = this.#signedIn('unlike a song');
      if (this.#deps.store.tracks.get(trackId) === undefined) throw MUSIC_REFUSALS.noSuchTrack(trackId);
      this.#deps.store.plays.removeFeedback({ userId: user.id, trackId, kind: 'like' });
      this.#queue.refreshSuggestions();
      return { trackId };
    });
  }

  /** The signed-in person skips the current track: remembered, and something else plays. */
  skip(trackId?: number): Promise<{ trackId: number | null }> {
    return this.#queue.serial('skip', async () => {
      const user = this.#signedIn('skip a song');
      const current = this.#deps.player.state().current;
      if (current === undefined) return { trackId: null };
      if (trackId !== undefined && trackId !== current.track.id) throw MUSIC_REFUSALS.alreadyEnded(current.track.id, trackId);
      this.#deps.store.plays.recordFeedback({ userId: user.id, trackId: current.track.id, kind: 'skip', at: this.#deps.clock.now() });
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

  /** Enough guests voted "not this": the song playing (`trackId`) ends and the next plays. Resolves false when it already ended. */
  skipForGuests(trackId: number): Promise<boolean> {
    return this.#queue.serial('skip for the guests', async () => {
      if (this.#deps.player.state().current?.track.id !== trackId) return false;
      await this.#queue.skip();
      return true;
    });
  }

  /** The staff controls of the music (the admin routes, Home Assistant's skip). */
  get staff(): StaffMusic {
    return this.#staff;
  }

  /** What plays now, as the screens show it. */
  get playback(): Playback {
    return this.#queue.playback;
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
