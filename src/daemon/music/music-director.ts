import type { MoodboxBus, MoodboxEvents, Playback } from '../events.js';
import type { Clock, Timer } from '../../kernel/clock.js';
import { MoodboxError } from '../../kernel/errors.js';
import { PlayerError } from '../../player/errors.js';
import type { Log } from '../../kernel/log.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import type { Random } from '../../kernel/random.js';
import type { Store, Track } from '../store/store.js';
import { MusicLimits, NOBODY_SILENCE, type PlayerSettings } from './music-limits.js';
import { libraryFitOf, StaffMusic, staffPicks, type LibraryFit, type MoodHold, type StaffMusicView } from './music-staff.js';
import { loadEmotionMoodMap, moodsForEmotions, type Emotion } from '../../player/moods.js';
import { GUEST_NOTE, type GuestFitVerdict, type GuestQueue } from '../guests/guest-fit.js';
import { fitsRoom, judgeFit, roomAimOf } from './fit-policy.js';
import type { QueueEntry, QueueItem } from '../../player/play-queue.js';
import type { Player, PlayerEvents, PlayOptions, PlayReason } from '../../player/player.js';
import { NOBODY, type EmotionScores, type RoomMood } from '../../kernel/room-mood.js';
import type { Recommendation } from '../../player/recommender.js';
import { isChosen, MusicCatalogue, queueEntry } from './music-catalogue.js';
import { CutWatch, cutFadeMs, NEAR_END_MS, roomPoint } from './music-transitions.js';
import { recommendFor } from './recommend-for.js';
import { MusicSources } from '../../player/sources/music-sources.js';

/** The emotion music is picked for before the camera has read anyone. */
const DEFAULT_EMOTION: Emotion = 'neutral';
/** How often quiet hours and the volume schedule are checked (ms). */
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
  /** Songs guests asked for from their phones: at most one plays after each song the music picks itself. @default none */
  guests?: GuestQueue;
}

/** The picks for the room now, with the mood weights the room's emotion maps to. */
type RoomRecommendation = Recommendation & { room: Record<string, number> };

/** What happens to the song playing when the mood followed changes: it plays on, the pick queued after it or not, or the music fades into the pick. */
type MoodMove = 'keep' | 'queue next' | 'switch';

/**
 * Reads the room and plays to it: turns room-mood changes into picks from the recommender, keeps
 * the next track queued (gapless), switches a song that no longer fits, applies the signed-in
 * person's taste, the idle behaviour when nobody is there, quiet hours and the volume schedule,
 * and answers the kiosk's taps, likes and skips. Follows `roomMoodChanged`, `libraryChanged` and
 * `settingsChanged`; announces `playbackChanged` and `suggestionsChanged`.
 */
export class MusicDirector implements Service {
  readonly name = 'music';
  readonly #deps: MusicDirectorDeps;
  /** What the music may play: the library's tracks, the recommender over them, the checks before a track plays. */
  readonly #catalogue: MusicCatalogue;
  /** The room mood, or null before the first reading. */
  #room: RoomMood | null = null;
  #chain: Promise<unknown> = Promise.resolve();
  /** Ends the subscription to the music sources (not a bus: they call back). */
  #offSources: (() => void) | undefined;
  #scheduleTimer: Timer | undefined;
  #lastError: string | undefined;
  /** The ICY title of the station playing now, by its queue key. */
  #streamTitle: { key: number; title: string | null } | undefined;

  readonly #sources: MusicSources;
  /** Quiet hours, silences, the volume and its limits, the fades. */
  readonly #limits: MusicLimits;
  /** A staff pause (only staff end it), a held mood, and the songs staff chose. */
  readonly #staff: StaffMusic;
  /** How far and how long the room has moved from where it was when the song playing started. */
  readonly #cuts: CutWatch;

  constructor(deps: MusicDirectorDeps) {
    this.#deps = deps;
    this.#catalogue = new MusicCatalogue({ log: deps.log, store: deps.store, isPlayable: deps.isPlayable });
    this.#sources = deps.sources ?? new MusicSources({ sources: [], mode: () => 'local' });
    this.#limits = new MusicLimits({
      clock: deps.clock,
      log: deps.log,
      player: deps.player,
      settings: deps.settings,
      moment: () => ({ label: this.#label(), isPausedByStaff: this.#staff.isPaused }),
      publish: () => this.#publishPlayer(),
      playOn: () => this.#playPick('mood'),
    });
    this.#staff = new StaffMusic({
      clock: deps.clock,
      log: deps.log,
      bus: deps.bus,
      player: deps.player,
      serial: (what, fn) => this.#serial(what, fn),
      background: (what, fn) => this.#background(what, fn),
      silence: () => this.#limits.silence(),
      playback: () => this.playback,
      wantedVolume: () => this.#limits.wantedVolume,
      volumeCap: () => this.#limits.volumeCap(),
      setVolume: (volume) => this.setVolume(volume),
      libraryFit: () =>
        libraryFitOf(
          this.#catalogue.recommender,
          loadEmotionMoodMap(deps.store.settings),
          this.#catalogue.size,
          this.#catalogue.notAnalysed,
        ),
      emotionMoods: () => loadEmotionMoodMap(deps.store.settings),
      applyLimits: () => this.#limits.apply(),
      follow: () => this.#follow(),
      skip: () => this.#skip(),
      queueRoomPick: () => this.#queueUpcoming(this.#recommend()),
      playable: (trackId) => this.#catalogue.mayPlay(this.#catalogue.playable(trackId)),
      playNow: (entries) => this.#playNow(entries),
      entry: (track, note) => this.#entry(track, 'staff', note, null),
    });
    this.#cuts = new CutWatch({
      clock: deps.clock,
      settings: () => deps.settings().transitions,
      onDue: () => this.#background('change the song for the room', () => this.#cutForRoom()),
    });
  }

  async start(): Promise<void> {
    this.#catalogue.reload();
    // Every listener is this director's: `stop` removes them all by owner.
    const { bus, player } = this.#deps;
    const onBus = <K extends keyof MoodboxEvents>(event: K, fn: (payload: MoodboxEvents[K]) => unknown) => bus.on(event, fn, this);
    const onPlayer = <K extends keyof PlayerEvents>(event: K, fn: (p: PlayerEvents[K]) => unknown) => player.events.on(event, fn, this);
    // Each runs in turn with the rest (`#serial`), which logs a failure; nobody waits on them here.
    onBus('roomMoodChanged', ({ mood }) => void this.roomMoodChanged(mood).catch(() => undefined));
    onBus('libraryChanged', () => void this.libraryChanged().catch(() => undefined));
    onBus('settingsChanged', ({ changed }) => {
      if (changed.some((path) => path.startsWith('player.'))) void this.settingsChanged().catch(() => undefined);
    });
    onPlayer('trackStarted', ({ item }) => {
      this.#cuts.songStarted(item.key, roomPoint(this.#scores(), this.#deps.store.settings));
      this.#publishPlayer();
      this.#background('queue the next track', () => this.#queueNext(item));
    });
    onPlayer('queueEnded', () => {
      this.#publishPlayer();
      if (this.#limits.silence() === null) this.#background('play on', () => this.#playPick('mood'));
    });
    onPlayer('queueChanged', () => this.#publishPlayer());
    onPlayer('pausedChanged', () => this.#publishPlayer());
    onPlayer('volumeChanged', () => this.#publishPlayer());
    onPlayer('positionChanged', () => this.#publishPlayer());
    onPlayer('streamTitleChanged', ({ item, title }) => {
      this.#streamTitle = { key: item.key, title };
      this.#publishPlayer();
    });
    onPlayer('trackFailed', ({ item, error }) => this.#deps.log.warn({ uri: item.track.uri, error }, 'track skipped: cannot play it'));
    onPlayer('playerFaulted', ({ error, retryInMs }) => this.#deps.log.warn({ error, retryInMs }, 'player stopped; restarting it'));
    this.#offSources = this.#sources.onAvailabilityChanged(() => this.#background('follow the music source', () => this.#followSource()));
    this.#scheduleTimer = this.#deps.clock.setInterval(
      () => this.#background('apply the schedule', () => this.#limits.apply()),
      SCHEDULE_CHECK_MS,
    );
    await this.#serial('start', async () => {
      await this.#limits.applyMaxVolume();
      await this.#limits.applyCrossfade();
      await this.#limits.apply();
      if (this.#deps.settings().autoplay && this.#limits.silence() === null && this.#deps.player.state().current === undefined) {
        await this.#playPick('mood');
      } else {
        this.#refreshSuggestions();
      }
    });
  }

  async stop(): Promise<void> {
    this.#scheduleTimer?.cancel();
    this.#staff.stop();
    this.#cuts.stop();
    this.#deps.bus.removeListeners(this);
    this.#deps.player.events.removeListeners(this);
    this.#offSources?.();
    this.#offSources = undefined;
    await this.#chain;
  }

  health(): ServiceHealth {
    if (this.#catalogue.size === 0) return { status: 'degraded', detail: this.#catalogue.nothingToPlay() };
    if (this.#lastError !== undefined) return { status: 'degraded', detail: this.#lastError };
    const sourceProblem = this.#sources.problem();
    if (sourceProblem !== undefined) return { status: 'degraded', detail: sourceProblem };
    const silence = this.#limits.silence();
    return {
      status: 'ready',
      detail: `${this.#catalogue.size} ${this.#catalogue.size === 1 ? 'track' : 'tracks'}${silence === null ? '' : `, silent: ${silence}`}`,
    };
  }

  /**
   * The room mood changed, or became unknown (null: the camera stopped seeing). Resolves once the
   * music has followed: with no mood, the picks are those of a box without a camera, and the song
   * playing plays on (the camera turning off is no change in the room).
   */
  roomMoodChanged(mood: RoomMood | null): Promise<void> {
    return this.#serial('follow the room', async () => {
      this.#room = mood;
      // While staff hold a mood the camera's reading is kept for later but not followed.
      if (this.#staff.hold !== null) return;
      // The room emptying never cuts a song (the volume goes down at once); a move far and long enough does.
      this.#cuts.roomChanged(mood === null || mood.label === NOBODY ? null : roomPoint(this.#scores(), this.#deps.store.settings));
      // Music coming back after a silence plays on as it was; else the next song follows the room.
      await this.#playToMood(({ wasSilent }) => (wasSilent ? 'keep' : 'queue next'));
      await this.#cutForRoom(); // due at once with no hold
    });
  }

  /**
   * The room stayed far from where it was when the song started, for the hold: unless someone chose the song, it fits the
   * room now or ends soon, it fades out over bars at its tempo and a pick for the room follows, as a switch.
   */
  async #cutForRoom(): Promise<void> {
    const { current, positionMs } = this.#deps.player.state();
    if (current === undefined || !this.#cuts.isDue(current.key) || this.#staff.hold !== null || this.#limits.silence() !== null) return;
    const recommendation = this.#recommend();
    const endsSoon = (current.track.durationMs ?? Infinity) - positionMs < NEAR_END_MS;
    if (isChosen(current) || !this.#deps.settings().switchOnMoodChange || endsSoon || this.#fits(current.track.id, recommendation)) return;
    this.#deps.log.info({ to: this.#room?.label, track: current.track.id }, 'the room changed for long: changing the song');
    const fadeMs = cutFadeMs(this.#deps.settings().transitions, this.#deps.store.analyses.get(current.track.id)?.audio?.tempoBpm);
    await this.#switch(recommendation, fadeMs);
  }

  /** The library changed (a scan finished, mood tags edited): picks come from it from now on. */
  libraryChanged(): Promise<void> {
    return this.#serial('reload the library', async () => {
      this.#catalogue.reload();
      if (this.#deps.player.state().current === undefined && this.#deps.settings().autoplay && this.#limits.silence() === null) {
        await this.#playPick('mood');
      } else {
        this.#refreshSuggestions();
      }
    });
  }

  /**
   * A tap on a suggestion: plays that track now; with nobody signed in, not when it is far from the
   * mood followed now (`MB_ERR_PLAYER_MOOD`). The song it replaces ends as the signed-in person's skip, or, with
   * nobody signed in, as `switched` (no listener's skip: it teaches no taste).
   */
  tap(trackId: number): Promise<{ trackId: number }> {
    return this.#serial('play a tapped song', async () => {
      const user = this.#deps.listener();
      if (user === null && !this.#deps.settings().guestTaps) {
        throw new PlayerError('MB_ERR_PLAYER_NOT_ALLOWED', 'Sign in to choose a song: this kiosk lets signed-in people choose');
      }
      const silence = this.#limits.silence();
      if (silence !== null && silence !== NOBODY_SILENCE) {
        throw new PlayerError('MB_ERR_PLAYER_NOT_ALLOWED', `No music now: ${silence}`);
      }
      const track = this.#catalogue.mayPlay(this.#catalogue.playable(trackId));
      // The mood leads here too: a tap by nobody signed in does not start a song far from the mood followed now
      // (the signed-in person's own choice plays, as their picks lean to their taste).
      const fit = user === null ? this.guestFit(track.id) : { fit: 'fits' as const };
      if (fit.fit === 'far') throw new PlayerError('MB_ERR_PLAYER_MOOD', fit.reason);
      this.#limits.unsilence();
      // Only the person signed in skips the song a tap replaces (their taste); a tap by nobody in particular is no one's skip.
      await this.#deps.player.play([this.#entry(track, 'tap', 'chosen at the kiosk', user?.id ?? null), ...this.#staffPicks()], {
        replacedAs: user === null ? 'switched' : 'skipped',
      });
      await this.#limits.applyVolume();
      if (this.#deps.player.state().isPaused) await this.#deps.player.resume();
      return { trackId };
    });
  }

  /** The signed-in person likes a track: remembered for their picks. */
  like(trackId: number): Promise<{ trackId: number }> {
    return this.#serial('like', async () => {
      const user = this.#signedIn('like a song');
      const track = this.#catalogue.playable(trackId);
      this.#deps.store.plays.recordFeedback({ userId: user.id, trackId, kind: 'like', at: this.#deps.clock.now() });
      await this.#sources.like({ source: track.source, uri: track.uri });
      this.#refreshSuggestions();
      return { trackId };
    });
  }

  /**
   * The signed-in person takes a like back: their picks no longer lean toward the track. Resolves
   * with the track even when it was not liked, so a second tap changes nothing.
   */
  unlike(trackId: number): Promise<{ trackId: number }> {
    return this.#serial('unlike', async () => {
      const user = this.#signedIn('unlike a song');
      if (this.#deps.store.tracks.get(trackId) === undefined) {
        throw new MoodboxError('MB_ERR_NOT_FOUND', `Expected a track of the library, got \`${trackId}\` (no such track)`);
      }
      this.#deps.store.plays.removeFeedback({ userId: user.id, trackId, kind: 'like' });
      this.#refreshSuggestions();
      return { trackId };
    });
  }

  /** The signed-in person skips the current track: remembered, and something else plays. */
  skip(trackId?: number): Promise<{ trackId: number | null }> {
    return this.#serial('skip', async () => {
      const user = this.#signedIn('skip a song');
      const current = this.#deps.player.state().current;
      if (current === undefined) return { trackId: null };
      if (trackId !== undefined && trackId !== current.track.id) {
        throw new MoodboxError('MB_ERR_CONFLICT', `Expected the song playing now (${current.track.id}), got ${trackId}: it already ended`);
      }
      this.#deps.store.plays.recordFeedback({ userId: user.id, trackId: current.track.id, kind: 'skip', at: this.#deps.clock.now() });
      await this.#skip();
      return { trackId: current.track.id };
    });
  }

  /** Sets the wanted volume (0–100); the admin's maximum, the schedule and the idle volume still apply. */
  setVolume(volume: number): Promise<number> {
    return this.#serial('set the volume', () => this.#limits.setWanted(volume));
  }

  /** How a song a guest asks for sits with the mood the music follows now (held or the room's). */
  guestFit(trackId: number): GuestFitVerdict {
    const room = roomAimOf(moodsForEmotions(this.#scores(), loadEmotionMoodMap(this.#deps.store.settings)));
    return judgeFit(
      this.#deps.store.tracks.moods(trackId).map((m) => m.mood),
      room,
    );
  }

  /**
   * The guests' queue changed (a request, a vote, staff cleared it): the song after this one
   * becomes the guests' next request when the song playing is the music's own pick, or the
   * music's pick again when no request may play.
   */
  guestsChanged(): Promise<void> {
    return this.#serial('follow the guests', async () => {
      const { current, upcoming } = this.#deps.player.state();
      if (current === undefined || this.#limits.silence() !== null || upcoming.some(isChosen)) return;
      const wanted = this.#guestEntry();
      const next = upcoming[0];
      if (wanted === undefined ? next?.reason !== 'guest' : next?.reason === 'guest' && next.track.id === wanted.track.id) return;
      await this.#queueUpcoming(this.#recommend());
    });
  }

  /** Enough guests voted "not this": the song playing (`trackId`) ends and the next plays. Resolves false when it already ended. */
  skipForGuests(trackId: number): Promise<boolean> {
    return this.#serial('skip for the guests', async () => {
      if (this.#deps.player.state().current?.track.id !== trackId) return false;
      await this.#skip();
      return true;
    });
  }

  /** The staff controls of the music (the admin routes, Home Assistant's skip). */
  get staff(): StaffMusic {
    return this.#staff;
  }

  /** Plays to the mood followed now (held or the room's): a song that does not fit it changes, whoever but staff chose it. */
  async #follow(): Promise<void> {
    await this.#playToMood(({ current, recommendation }) =>
      current.reason === 'staff' || this.#fits(current.track.id, recommendation) ? 'queue next' : 'switch',
    );
  }

  /**
   * What every change of the mood followed does: applies the limits (quiet hours, silence), shows
   * the new picks, and starts the music when none plays; else `decide` says what becomes of the
   * song playing (`wasSilent`: the music was silenced until these limits were applied).
   */
  async #playToMood(
    decide: (now: { current: QueueItem; recommendation: RoomRecommendation; wasSilent: boolean }) => MoodMove,
  ): Promise<void> {
    const wasSilent = this.#limits.isSilenced;
    await this.#limits.apply();
    if (this.#limits.silence() !== null) return;
    const recommendation = this.#recommend();
    this.#publishSuggestions(recommendation);
    const current = this.#deps.player.state().current;
    if (current === undefined) {
      await this.#start(recommendation, 'mood');
      return;
    }
    const move = decide({ current, recommendation, wasSilent });
    if (move === 'queue next') await this.#queueUpcoming(recommendation);
    else if (move === 'switch') await this.#switch(recommendation);
  }

  /** A fade down (short, or over `fadeMs`), the new song, a short fade up: no hard cut. The song left is a switch, not a skip. */
  async #switch(recommendation: Recommendation, fadeMs?: number): Promise<void> {
    const hasFaded = await this.#limits.fader.fadeOut(fadeMs);
    await this.#start(recommendation, 'mood', { fadeIn: hasFaded, replacedAs: 'switched' });
  }

  /** What plays now, as the screens show it. */
  get playback(): Playback {
    const state = this.#deps.player.state();
    return {
      status: state.current === undefined ? 'stopped' : state.isPaused ? 'paused' : 'playing',
      trackId: state.current?.track.id ?? null,
      nextTrackId: state.upcoming[0]?.track.id ?? null,
      positionMs: state.positionMs,
      // Where the volume is heading, never a step of a fade (nor the low point between a fade down and the next song's fade up).
      volume: this.#limits.targetVolume(),
      streamTitle: state.current !== undefined && this.#streamTitle?.key === state.current.key ? this.#streamTitle.title : null,
      ...(state.current?.reason === 'guest' ? { isGuestRequest: true } : {}),
      ...(state.upcoming[0]?.reason === 'guest' ? { isNextGuestRequest: true } : {}),
    };
  }

  /** The player settings changed: a new maximum volume and crossfade apply in the player at once, the other limits too. */
  settingsChanged(): Promise<void> {
    return this.#serial('apply the settings', async () => {
      await this.#limits.applyMaxVolume();
      await this.#limits.applyCrossfade();
      await this.#limits.apply();
      this.#publishPlayer();
    });
  }

  // --- picking ---

  /** The room's per-emotion scores the music is picked for now (the default emotion before anyone was read, and when nobody is there). */
  #scores(): EmotionScores {
    if (this.#staff.hold !== null) return { [this.#staff.hold.label]: 1 };
    const room = this.#room;
    if (room === null || room.label === NOBODY || Object.keys(room.scores).length === 0) return { [DEFAULT_EMOTION]: 1 };
    return room.scores;
  }

  /** The picks for the room now, with the mood weights the room's emotion maps to. */
  #recommend(): RoomRecommendation {
    const { store, clock, random } = this.#deps;
    return recommendFor(
      { store, clock, random, recommender: this.#catalogue.recommender },
      { scores: this.#scores(), policy: this.#deps.settings().policy, userId: this.#deps.listener()?.id ?? null },
    );
  }

  /** Whether a track fits the room now: tagged with the mood aimed at, or one the room's emotion maps to strongly. */
  #fits(trackId: number, recommendation: RoomRecommendation): boolean {
    return fitsRoom(
      this.#deps.store.tracks.moods(trackId).map((m) => m.mood),
      recommendation,
    );
  }

  async #playPick(reason: PlayReason): Promise<void> {
    const recommendation = this.#recommend();
    this.#publishSuggestions(recommendation);
    await this.#start(recommendation, reason);
  }

  /**
   * Plays the recommendation's next track now, with the one after it queued; `fadeIn` brings the
   * volume up from where a fade-out left it.
   */
  async #start(recommendation: Recommendation, reason: PlayReason, options: { fadeIn?: boolean } & PlayOptions = {}): Promise<void> {
    const pick = recommendation.next;
    const track = pick === undefined ? undefined : this.#catalogue.get(pick.trackId);
    const userId = this.#deps.listener()?.id ?? null;
    const local = pick === undefined || track === undefined ? undefined : this.#entry(track, reason, pick.reason.text, userId);
    const entry = this.#sources.choose({
      mood: recommendation.aim,
      pick: local,
      reason,
      roomMood: local?.mood ?? this.#label(),
      userId,
    });
    if (entry === undefined) {
      if (pick === undefined) this.#deps.log.warn({ why: this.#catalogue.nothingToPlay() }, 'nothing to play');
      this.#publishPlayer();
      return;
    }
    // Songs staff queued still come next: a change of song, for the room or a skip, never drops them.
    const entries = [entry, ...this.#staffPicks()];
    await this.#deps.player.play(entries, options.replacedAs === undefined ? undefined : { replacedAs: options.replacedAs });
    await this.#limits.afterChange(options.fadeIn === true);
  }

  /** Plays `entries` now (staff's choice), fading from the song playing; songs staff queued follow them. */
  async #playNow(entries: readonly QueueEntry[]): Promise<void> {
    const hasFaded = await this.#limits.fader.fadeOut();
    await this.#deps.player.play([...entries, ...this.#staffPicks()]);
    await this.#limits.afterChange(hasFaded);
  }

  /** A skip: to the song next when someone chose it (staff, a guest, a tap), as the screens show it; else to a new pick for the room. */
  async #skip(): Promise<void> {
    const next = this.#deps.player.state().upcoming[0];
    if (next === undefined || !(isChosen(next) || next.reason === 'guest')) return this.#playPick('skip');
    await this.#deps.player.next();
    await this.#limits.afterChange(false);
  }

  #staffPicks(): QueueEntry[] {
    return staffPicks(this.#deps.player.state().upcoming);
  }

  /** A source became able or unable to play: the music moves to the source the setting wants now. */
  async #followSource(): Promise<void> {
    if (this.#limits.silence() !== null) return;
    const recommendation = this.#recommend();
    const userId = this.#deps.listener()?.id ?? null;
    const wanted = this.#sources.choose({ mood: recommendation.aim, pick: undefined, reason: 'mood', roomMood: null, userId });
    const current = this.#deps.player.state().current;
    const isOther = (uri: string): boolean => this.#sources.isOtherSource(uri);
    if (current !== undefined && isOther(current.track.uri) === (wanted !== undefined && isOther(wanted.track.uri))) return;
    const source = wanted === undefined ? 'local' : wanted.track.uri.split(':')[0];
    this.#deps.log.info({ source }, 'the music source changed: following it');
    await this.#limits.fader.fadeOut();
    await this.#start(recommendation, 'mood');
  }

  /** After a track starts: queue what follows it, unless someone chose what comes next. */
  async #queueNext(started: QueueItem): Promise<void> {
    const upcoming = this.#deps.player.state().upcoming;
    if (upcoming.some(isChosen)) return;
    const recommendation = this.#recommend();
    this.#publishSuggestions(recommendation);
    if (recommendation.next?.trackId === started.track.id) return;
    await this.#queueUpcoming(recommendation);
  }

  async #queueUpcoming(recommendation: Recommendation): Promise<void> {
    const guest = this.#guestEntry();
    if (guest !== undefined) {
      if (this.#deps.player.state().upcoming.some(isChosen)) return;
      await this.#deps.player.replaceUpcoming([guest]);
      return;
    }
    const pick = recommendation.next;
    const track = pick === undefined ? undefined : this.#catalogue.get(pick.trackId);
    if (pick === undefined || track === undefined) return;
    if (this.#deps.player.state().upcoming.some(isChosen)) return;
    await this.#deps.player.replaceUpcoming([this.#entry(track, 'mood', pick.reason.text, this.#deps.listener()?.id ?? null)]);
  }

  /** The guests' next request as a queue entry: never right after another guest's song. */
  #guestEntry(): QueueEntry | undefined {
    if (this.#deps.guests === undefined || this.#deps.player.state().current?.reason === 'guest') return undefined;
    const request = this.#deps.guests.next((trackId) => this.guestFit(trackId));
    const track = request === undefined ? undefined : this.#catalogue.find(request.trackId);
    return track === undefined ? undefined : this.#entry(track, 'guest', GUEST_NOTE, null);
  }

  #refreshSuggestions(): void {
    this.#publishSuggestions(this.#recommend());
  }

  #entry(track: Track, reason: PlayReason, note: string, userId: number | null): QueueEntry {
    return queueEntry(track, { reason, note, mood: this.#label(), userId });
  }

  #signedIn(what: string): { id: number; name: string } {
    const user = this.#deps.listener();
    if (user === null) throw new MoodboxError('MB_ERR_AUTH_REQUIRED', `Sign in to ${what}: likes and skips shape your own picks`);
    return user;
  }

  // --- volume, silence and schedules ---

  /** The mood the music follows now: the one staff hold, else the camera's. */
  #label(): RoomMood['label'] | null {
    return this.#staff.hold?.label ?? this.#room?.label ?? null;
  }

  // --- publishing ---

  #publishSuggestions(recommendation: Recommendation): void {
    this.#deps.bus.emit('suggestionsChanged', {
      trackIds: recommendation.suggestions.map((pick) => pick.trackId),
      reasons: recommendation.suggestions.map((pick) => pick.reason),
    });
  }

  #publishPlayer(): void {
    this.#deps.bus.emit('playbackChanged', this.playback);
  }

  /** Runs `fn` after everything queued before it; a failure is logged and given to the caller. */
  #serial<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn);
    this.#chain = run.then(
      () => {
        this.#lastError = undefined;
      },
      (err: unknown) => {
        if (err instanceof MoodboxError && err.code !== 'MB_ERR_PLAYER_COMMAND') return;
        this.#lastError = `${what}: ${(err as Error).message}`;
        this.#deps.log.error({ err }, `music: cannot ${what}`);
      },
    );
    return run;
  }

  /** Like `#serial`, for work nobody waits on: its failure is logged (by `#serial`) and goes no further. */
  #background(what: string, fn: () => Promise<unknown>): void {
    this.#serial(what, fn).catch(() => undefined);
  }
}
