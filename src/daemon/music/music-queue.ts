import type { MoodboxBus, Playback } from '../events.js';
import type { Clock } from '../../kernel/clock.js';
import { MoodboxError } from '../../kernel/errors.js';
import type { Log } from '../../kernel/log.js';
import type { Random } from '../../kernel/random.js';
import type { Store, Track } from '../store/store.js';
import type { QueueEntry, QueueItem } from '../../player/play-queue.js';
import { type Player, type PlayOptions, type PlayReason } from '../../player/player.js';
import { PLAY_REASONS } from '../../player/pick-reasons.js';
import type { Reason, Recommendation } from '../../player/recommender.js';
import type { MusicSources } from '../../player/sources/music-sources.js';
import { leanToward } from './day-plan-policy.js';
import type { DayPlanWatch } from './day-plan-watch.js';
import { distanceToRoom, fitsRoom, judgeFit, roomAimOf, type FitVerdict, type RoomAim } from './fit-policy.js';
import type { GuestQueue } from './guest-queue.js';
import type { PlayerSettings } from './limits-policy.js';
import type { MusicAim } from './music-aim.js';
import { isChosen, type MusicCatalogue, queueEntry } from './music-catalogue.js';
import type { MusicLimits } from './music-limits.js';
import { CutWatch, cutFadeMs, NEAR_END_MS } from './music-transitions.js';
import { unreadRoomReason } from './ground-reasons.js';
import { entryOf, nextEntries, playbackOf, staffPicks, switchEntries, type NextInput } from './music-next.js';
import { recommendFor, type RoomRecommendation } from './recommend-for.js';

/** Why a song plays that the music picked itself: for the room, or after a skip. */
const MUSIC_OWN: ReadonlySet<PlayReason> = new Set(['mood', 'skip']);

/** What the mood followed changing does: nothing (`keep`), the song next picked again if it no longer fits or in any case, or a switch to it. */
export type MoodMove = 'keep' | 'queue next' | 'pick next' | 'switch';

/** What the music stands on, given once to its owner (`MusicDirectorDeps`) and passed on to its queue. */
export interface MusicGround {
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
}

export interface MusicQueueDeps extends MusicGround {
  sources: MusicSources;
  catalogue: MusicCatalogue;
  aim: MusicAim;
  limits: MusicLimits;
  /** Songs guests asked for: at most one plays after each song the music picks itself. @default none */
  guests?: GuestQueue | undefined;
  /** The day plan in force (its lean and energy cap shape the picks). @default none */
  plans?: Pick<DayPlanWatch, 'current'> | undefined;
  /** What played before a restart, taken once: the first start from nothing plays it, at its place. @default none */
  resume?: (() => { entries: QueueEntry[]; startAtMs: number } | undefined) | undefined;
}

/**
 * The music's queue and the moves on it, one at a time (`serial`): what plays now and what comes
 * next for the mood aimed at, the songs people, guests and staff chose kept in their places, the
 * fades around a change of song, and a song cut when the room stayed far from it. The one announcer
 * of `playbackChanged` and `suggestionsChanged`.
 */
export class MusicQueue {
  readonly #deps: MusicQueueDeps;
  #chain: Promise<unknown> = Promise.resolve();
  #lastError: string | undefined;
  /** The ICY title of the station playing now, by its queue key. */
  #streamTitle: { key: number; title: string | null } | undefined;
  /** How far and how long the room has moved from where it was when the song playing started. */
  readonly #cuts: CutWatch;
  /** The music's own pick for next, as shown last: with the song it picked playing, how far from the room a guest's song may be. */
  #ownNext: number[] = [];

  constructor(deps: MusicQueueDeps) {
    this.#deps = deps;
    this.#cuts = new CutWatch({
      clock: deps.clock,
      settings: () => deps.settings().transitions,
      onDue: () => this.background('change the song for the room', () => this.cutForRoom()),
    });
  }

  /** The last move that failed (`what: message`), until one succeeds. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Stops watching the room for a cut, and resolves once the moves queued so far are done. */
  async stop(): Promise<void> {
    this.#cuts.stop();
    await this.#chain;
  }

  /** What plays now, as the screens show it. */
  get playback(): Playback {
    return playbackOf(this.#deps.player.state(), this.#deps.limits.targetVolume(), this.#streamTitle);
  }

  /** A song started: the cut watch starts again from where the room is, and what follows it is queued. */
  songStarted(item: QueueItem): void {
    this.#cuts.songStarted(item.key, this.#deps.aim.point());
    this.publishPlayer();
    this.background('queue the next track', () => this.#queueNext());
  }

  /** The station playing says it plays `title` now. */
  streamTitleChanged(item: QueueItem, title: string | null): void {
    this.#streamTitle = { key: item.key, title };
    this.publishPlayer();
  }

  /** The room moved (the camera's reading; a held mood is not): a move far and long enough cuts the song. */
  roomMoved(): void {
    // The room emptying never cuts a song (the volume goes down at once); the camera going blind neither.
    this.#cuts.roomChanged(this.#deps.aim.isRoomUnread ? null : this.#deps.aim.point());
  }

  /** How a song sits with the mood the music follows now (held or the room's, leaning toward the day plan's), as a guest is told. */
  fitOf(trackId: number): FitVerdict {
    const aim = this.#aimNow();
    // As close as the music's own picks (the song it picked playing, for the room or after a skip,
    // those it queued, its pick for next): a library without the room's mood plays what is nearest it.
    const { current, upcoming } = this.#deps.player.state();
    const own = [...(current === undefined ? [] : [current]), ...upcoming]
      .filter((item) => MUSIC_OWN.has(item.reason))
      .map((item) => item.track.id)
      .concat(this.#ownNext);
    const reach = own.reduce((far, id) => Math.max(far, distanceToRoom(this.#moodsOf(id), aim)), 0);
    return judgeFit(this.#moodsOf(trackId), aim, Number.isFinite(reach) ? reach : 0);
  }

  /** The mood the music aims at now, leaning toward the day plan's. */
  #aimNow(): RoomAim {
    const aim = this.#deps.aim.current();
    const mood = this.#deps.plans?.current?.mood ?? '';
    return mood === '' ? aim : { ...roomAimOf(leanToward(aim.room, mood)), ...(aim.isHeld === true ? { isHeld: true } : {}) };
  }

  /** The day plan in force changed: its volume cap applies now, and the song next is picked again (the song playing plays on). */
  async planChanged(): Promise<void> {
    await this.playToMood(() => 'pick next');
  }

  /** Applies the limits on the music, telling the screens of a silence and starting the music when it may play again. */
  async applyLimits(): Promise<void> {
    const outcome = await this.#deps.limits.apply();
    if (outcome === 'silenced') this.publishPlayer();
    else if (outcome === 'start the music') await this.playPick('mood');
  }

  /** Plays to the mood followed now (held or the room's): a song that does not fit it changes, whoever but staff chose it. */
  async follow(): Promise<void> {
    await this.playToMood(({ current, recommendation }) =>
      current.reason === 'staff' || this.#fits(current.track.id, recommendation) || !this.#switchFits(recommendation)
        ? 'queue next'
        : 'switch',
    );
  }

  /**
   * What every change of the mood followed does: applies the limits (quiet hours, silence), shows
   * the new picks, and starts the music when none plays; else `decide` says what becomes of the
   * song playing (`wasSilent`: the music was silenced until these limits were applied).
   */
  async playToMood(
    decide: (now: { current: QueueItem; recommendation: RoomRecommendation; wasSilent: boolean }) => MoodMove,
  ): Promise<void> {
    const limits = this.#deps.limits;
    const wasSilent = limits.isSilenced;
    await this.applyLimits();
    if (limits.silence() !== null) return;
    const recommendation = this.recommend();
    this.#publishSuggestions(recommendation);
    const current = this.#deps.player.state().current;
    if (current === undefined) {
      await this.#start(recommendation, 'mood');
      return;
    }
    const move = decide({ current, recommendation, wasSilent });
    if (move === 'queue next') await this.queueUpcoming(recommendation);
    else if (move === 'pick next') await this.queueUpcoming(recommendation, { repick: true });
    else if (move === 'switch') await this.#switch(recommendation);
  }

  /**
   * The room stayed far from where it was when the song started, for the hold: unless someone chose the song, it fits the
   * room now or ends soon, it fades out over bars at its tempo and a pick for the room follows, as a switch.
   */
  async cutForRoom(): Promise<void> {
    const { current, positionMs } = this.#deps.player.state();
    const { aim, limits, settings } = this.#deps;
    if (current === undefined || !this.#cuts.isDue(current.key) || aim.hold !== null || limits.silence() !== null) return;
    const recommendation = this.recommend();
    const endsSoon = (current.track.durationMs ?? Infinity) - positionMs < NEAR_END_MS;
    if (isChosen(current) || !settings().switchOnMoodChange || endsSoon || this.#fits(current.track.id, recommendation)) return;
    if (!this.#switchFits(recommendation)) return;
    this.#deps.log.info({ to: aim.label, track: current.track.id }, 'the room changed for long: changing the song');
    const fadeMs = cutFadeMs(settings().transitions, this.#deps.store.analyses.get(current.track.id)?.audio?.tempoBpm);
    await this.#switch(recommendation, fadeMs);
  }

  /**
   * Whether a switch now would play a song that fits the mood: the library's first song after the
   * switch, or another source's (a playlist mapped to the mood). Else the song playing plays on, as a
   * switch would only trade one song that does not fit for another (none of that mood may play now).
   */
  #switchFits(recommendation: RoomRecommendation): boolean {
    if (this.#wantsOtherSource(recommendation)) return true;
    // No entries: the song next stays as it is, or, with none, the recommendation's pick starts.
    const entries = switchEntries(this.#nextInput(recommendation));
    const first = entries === undefined ? this.#deps.player.state().upcoming[0]?.track.id : entries[0]?.track.id;
    const trackId = first ?? (entries === undefined ? recommendation.next?.trackId : undefined);
    return trackId !== undefined && this.#fits(trackId, recommendation);
  }

  /** A fade down (short, or over `fadeMs`), the song next (a fitting one shown first), a short fade up. The song left is switched, not skipped. */
  async #switch(recommendation: RoomRecommendation, fadeMs?: number): Promise<void> {
    const { player, limits } = this.#deps;
    // While no sound flows, the song cut off is kept (it resumes where it was heard); the pick comes next.
    if (player.state().stalled !== undefined) return this.queueUpcoming(recommendation);
    const isLibrary = !this.#wantsOtherSource(recommendation);
    const entries = isLibrary ? switchEntries(this.#nextInput(recommendation)) : undefined;
    if (entries !== undefined) await player.replaceUpcoming(entries);
    const left = player.state().current;
    const hasFaded = await limits.fader.fadeOut(fadeMs);
    if (!isLibrary || player.state().upcoming[0] === undefined) {
      return this.#start(recommendation, 'mood', { fadeIn: hasFaded, replacedAs: 'switched' });
    }
    // The song may have ended during the fade: the song next plays then already.
    if (player.state().current?.key === left?.key) await player.play(player.state().upcoming.map(entryOf), { replacedAs: 'switched' });
    await limits.afterChange(hasFaded);
  }

  /** Whether the music the setting wants for the room now comes from a source other than the library (Spotify). */
  #wantsOtherSource(recommendation?: Recommendation): boolean {
    if (this.#deps.sources.mode === 'local') return false;
    const wanted = this.#wantedEntry(recommendation ?? this.recommend());
    return wanted !== undefined && this.#deps.sources.isOtherSource(wanted.track.uri);
  }

  /** What the sources offer for the room, besides a pick of the library. */
  #wantedEntry(recommendation: Recommendation): QueueEntry | undefined {
    const userId = this.#deps.listener()?.id ?? null;
    return this.#deps.sources.choose({ mood: recommendation.aim, pick: undefined, reason: 'mood', roomMood: null, userId });
  }

  /** The picks for the mood followed now, with the mood weights it maps to. */
  recommend(): RoomRecommendation {
    const { store, clock, random, aim } = this.#deps;
    return recommendFor(
      { store, clock, random, recommender: this.#deps.catalogue.recommender, emotionMoods: aim.emotionMoods() },
      {
        scores: aim.scores(),
        policy: this.#deps.settings().policy,
        userId: this.#deps.listener()?.id ?? null,
        plan: this.#deps.plans?.current ?? null,
      },
    );
  }

  /** Whether a track fits the room now: tagged with the mood aimed at, or one the room's emotion maps to strongly. */
  #fits(trackId: number, recommendation: RoomRecommendation): boolean {
    return fitsRoom(this.#moodsOf(trackId), recommendation);
  }

  #moodsOf(trackId: number): string[] {
    return this.#deps.store.tracks.moods(trackId).map((m) => m.mood);
  }

  /** Shows the picks for the room now and plays the next of them. */
  async playPick(reason: PlayReason): Promise<void> {
    const recommendation = this.recommend();
    this.#publishSuggestions(recommendation);
    await this.#start(recommendation, reason);
  }

  /**
   * Plays the recommendation's next track now, with the one after it queued; `fadeIn` brings the
   * volume up from where a fade-out left it.
   */
  async #start(recommendation: Recommendation, reason: PlayReason, options: { fadeIn?: boolean } & PlayOptions = {}): Promise<void> {
    const { catalogue, sources, player, limits } = this.#deps;
    const resumed = player.state().current === undefined ? this.#deps.resume?.() : undefined;
    if (resumed !== undefined) {
      await player.play(resumed.entries, { startAtMs: resumed.startAtMs });
      await limits.afterChange(options.fadeIn === true);
      return;
    }
    const pick = recommendation.next;
    const track = pick === undefined ? undefined : catalogue.get(pick.trackId);
    const userId = this.#deps.listener()?.id ?? null;
    const local =
      pick === undefined || track === undefined
        ? undefined
        : this.entry(track, reason, this.#ownReason(recommendation, pick.reason), userId);
    const entry = sources.choose({ mood: recommendation.aim, pick: local, reason, roomMood: local?.mood ?? this.#deps.aim.label, userId });
    if (entry === undefined) {
      if (pick === undefined) this.#deps.log.warn({ why: catalogue.nothingToPlay() }, 'nothing to play');
      this.publishPlayer();
      return;
    }
    // Songs staff queued still come next: a change of song, for the room or a skip, never drops them.
    const entries = [entry, ...this.staffPicks()];
    await player.play(entries, options.replacedAs === undefined ? undefined : { replacedAs: options.replacedAs });
    await limits.afterChange(options.fadeIn === true);
  }

  /** Plays `entries` now (someone's choice), fading from the song playing; songs staff queued follow them. */
  async playNow(entries: readonly QueueEntry[], options?: PlayOptions): Promise<void> {
    const hasFaded = await this.#deps.limits.fader.fadeOut();
    await this.#deps.player.play([...entries, ...this.staffPicks()], options);
    await this.#deps.limits.afterChange(hasFaded);
  }

  /**
   * A skip: to the song next as the screens show it, whoever chose it (queued and shown first when
   * none is); Spotify moves on its own way. `reason`: why a pick never queued plays.
   */
  async skip(reason: PlayReason = 'skip'): Promise<void> {
    const { player, limits } = this.#deps;
    const current = player.state().current;
    const isLibrary = current !== undefined && !this.#deps.sources.isOtherSource(current.track.uri) && !this.#wantsOtherSource();
    if (isLibrary && player.state().upcoming[0] === undefined) await this.queueUpcoming(this.recommend());
    if (!isLibrary || player.state().upcoming[0] === undefined) return this.playPick(reason);
    await player.next();
    await limits.afterChange(false);
  }

  /**
   * Songs blocked since they were queued leave the queue, whoever queued them, and the music picks
   * the song next again at once (songs staff queued keep their turn); a blocked song playing gives
   * way to the song next. True when the song changed.
   */
  async dropBlocked(): Promise<boolean> {
    const { player, log, catalogue, limits } = this.#deps;
    const isBlocked = (item: QueueItem): boolean => catalogue.blockedWhy({ id: item.track.id, artist: item.track.artist ?? '' }) !== null;
    const { current, upcoming } = player.state();
    const hasDropped = upcoming.some(isBlocked);
    if (hasDropped) await player.replaceUpcoming(upcoming.filter((i) => !isBlocked(i)).map(entryOf));
    if (current === undefined || !isBlocked(current)) {
      // The screens never show a blocked song as next, nor nothing where the music would pick one.
      if (current !== undefined && hasDropped) await this.queueUpcoming(this.recommend());
      return false;
    }
    log.info({ trackId: current.track.id }, 'the song playing was blocked: the song next plays');
    // The song shown next, started and awaited (a skip's bare `next` returns before mpv says the song
    // changed, and what runs after it would read an empty player); a pick for the room when none is shown.
    const shown = player.state().upcoming;
    if (shown.length === 0) await this.playPick('mood');
    else {
      await player.play(shown.map(entryOf));
      await limits.afterChange(false);
    }
    // Nothing else could be picked: the blocked song still stops.
    if (player.state().current?.key === current.key) await player.next();
    return true;
  }

  /** The songs staff chose that wait after the song playing, in order. */
  staffPicks(): QueueEntry[] {
    return staffPicks(this.#deps.player.state().upcoming);
  }

  /** A source became able or unable to play: the music moves to the source the setting wants now. */
  async followSource(): Promise<void> {
    const { limits, sources, player } = this.#deps;
    if (limits.silence() !== null) return;
    const recommendation = this.recommend();
    const wanted = this.#wantedEntry(recommendation);
    const current = player.state().current;
    const isOther = (uri: string): boolean => sources.isOtherSource(uri);
    if (current !== undefined && isOther(current.track.uri) === (wanted !== undefined && isOther(wanted.track.uri))) return;
    const source = wanted === undefined ? 'local' : wanted.track.uri.split(':')[0];
    this.#deps.log.info({ source }, 'the music source changed: following it');
    await limits.fader.fadeOut();
    await this.#start(recommendation, 'mood');
  }

  /** After a track starts: queue what follows it (never the same song), unless someone chose what comes next. */
  async #queueNext(): Promise<void> {
    if (this.#deps.player.state().upcoming.some(isChosen)) return;
    const recommendation = this.recommend();
    this.#publishSuggestions(recommendation);
    await this.queueUpcoming(recommendation);
  }

  /** Makes the song after this one what it should be (`nextEntries`), for the mood followed now; shown at once (`queueChanged`). */
  async queueUpcoming(recommendation: RoomRecommendation, options: { repick?: boolean } = {}): Promise<void> {
    const entries = nextEntries(this.#nextInput(recommendation), options.repick);
    if (entries !== undefined) await this.#deps.player.replaceUpcoming(entries);
  }

  /** What the queue holds now and what it may put after the song playing, for the mood followed now (`recommendation`). */
  #nextInput(recommendation: RoomRecommendation): NextInput {
    const guest = this.#guestEntry();
    return {
      ...this.#deps.player.state(),
      guest,
      fits: (item) => this.#deps.catalogue.get(item.track.id) !== undefined && this.#fits(item.track.id, recommendation),
      pick: () => this.#pickEntry(recommendation),
    };
  }

  /** The recommendation's pick to play after the song playing (never that song again) as a queue entry, or undefined. */
  #pickEntry(recommendation: Recommendation): QueueEntry | undefined {
    const { catalogue, player } = this.#deps;
    const isOther = (trackId: number): boolean => trackId !== player.state().current?.track.id && catalogue.get(trackId) !== undefined;
    const pick = [recommendation.next, ...recommendation.suggestions].find((p) => p !== undefined && isOther(p.trackId));
    const track = pick === undefined ? undefined : catalogue.get(pick.trackId);
    return pick === undefined || track === undefined
      ? undefined
      : this.entry(track, 'mood', this.#ownReason(recommendation, pick.reason), this.#deps.listener()?.id ?? null);
  }

  /**
   * Why the music's own pick plays: the recommender's reason while the music follows the room or a
   * mood staff hold; with no reading of the room, what it follows instead (a day plan, the default mood).
   */
  #ownReason(recommendation: Recommendation, reason: Reason): Reason {
    const { aim, plans } = this.#deps;
    return aim.hold !== null || aim.isRoomRead ? reason : unreadRoomReason(plans?.current ?? null, recommendation.aim);
  }

  /** The guests' next request as a queue entry: never right after another guest's song. */
  #guestEntry(): QueueEntry | undefined {
    const guests = this.#deps.guests;
    if (guests === undefined || this.#deps.player.state().current?.reason === 'guest') return undefined;
    const request = guests.next((trackId) => this.fitOf(trackId));
    const track = request === undefined ? undefined : this.#deps.catalogue.find(request.trackId);
    return track === undefined ? undefined : this.entry(track, 'guest', PLAY_REASONS.guest, null);
  }

  refreshSuggestions(): void {
    this.#publishSuggestions(this.recommend());
  }

  /** `track` as a queue entry, with the mood followed now; `note` says why in words, and as a message for the screens. */
  entry(track: Track, reason: PlayReason, note: Reason, userId: number | null): QueueEntry {
    return queueEntry(track, { reason, note: note.text, noteSaid: note.said, mood: this.#deps.aim.label, userId });
  }

  #publishSuggestions(recommendation: Recommendation): void {
    this.#ownNext = recommendation.next === undefined ? [] : [recommendation.next.trackId];
    this.#deps.bus.emit('suggestionsChanged', {
      trackIds: recommendation.suggestions.map((pick) => pick.trackId),
      reasons: recommendation.suggestions.map((pick) => pick.reason),
    });
  }

  publishPlayer(): void {
    this.#deps.bus.emit('playbackChanged', this.playback);
  }

  /** Runs `fn` after everything queued before it; a failure is logged and given to the caller. */
  serial<T>(what: string, fn: () => Promise<T>): Promise<T> {
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

  /** Like `serial`, for work nobody waits on: its failure is logged (by `serial`) and goes no further. */
  background(what: string, fn: () => Promise<unknown>): void {
    this.serial(what, fn).catch(() => undefined);
  }
}
