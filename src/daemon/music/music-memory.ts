import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Clock } from '../../kernel/clock.js';
import type { Said } from '../../kernel/said.js';
import { EMOTIONS, type RoomMoodLabel } from '../../kernel/room-mood.js';
import type { Log } from '../../kernel/log.js';
import { PLAY_REASONS } from '../../player/pick-reasons.js';
import type { PlayReason, QueueEntry } from '../../player/play-queue.js';
import type { SettingsRepository, Track } from '../store/store.js';
import type { MoodHold } from './music-aim.js';
import { queueEntry, type MusicCatalogue } from './music-catalogue.js';

/** Where the music's live state is kept in the store's key-value settings table. */
export const MUSIC_STATE_KEY = 'music.live';

/** How far the song playing may move before its place is written again (ms): a restart resumes it within this. */
export const POSITION_EVERY_MS = 5_000;

/** Up to how long after it stopped a song resumes where it was (ms); after longer, the music starts afresh for the room. */
export const RESUME_WITHIN_MS = 15 * 60_000;

/** The most songs of the staff's queue kept. */
const STAFF_QUEUE_KEEP = 100;

const PlayingSchema = Type.Object(
  {
    trackId: Type.Integer({ minimum: 1 }),
    reason: Type.Enum(['mood', 'tap', 'skip', 'like', 'staff', 'guest']),
    userId: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    positionMs: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/**
 * What staff and the music set that a restart must not forget: a held mood with its end, a staff
 * pause, the volume asked for, the song playing and where it was, the songs staff queued. Read
 * back from the database at start: a value a restored backup or an older version left is checked
 * against this shape, and one that does not fit is dropped whole.
 */
export const KeptMusicSchema = Type.Object(
  {
    hold: Type.Union([Type.Object({ label: Type.Enum(EMOTIONS), until: Type.Integer() }, { additionalProperties: false }), Type.Null()]),
    isPausedByStaff: Type.Boolean(),
    volume: Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), Type.Null()]),
    playing: Type.Union([PlayingSchema, Type.Null()]),
    staffQueue: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: STAFF_QUEUE_KEEP }),
    /** When it was written (epoch ms). */
    at: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export type KeptMusic = Static<typeof KeptMusicSchema>;

/**
 * The music's live state as one value, as its owner (`MusicDirector.live`) gives it: what plays and
 * where, the staff's queue, a held mood, a staff pause, the volume asked for. Kept as `music.live`.
 */
export type MusicLive = Omit<KeptMusic, 'at'>;

const check = Compile(KeptMusicSchema);

/** Nothing set: what a new box, or one whose kept state did not fit, starts from. */
export const NOTHING_KEPT: KeptMusic = { hold: null, isPausedByStaff: false, volume: null, playing: null, staffQueue: [], at: 0 };

export interface MusicMemoryDeps {
  settings: Pick<SettingsRepository, 'get' | 'set'>;
  log: Pick<Log, 'info' | 'warn'>;
  clock: Pick<Clock, 'now'>;
  catalogue: Pick<MusicCatalogue, 'mayPlay' | 'playable'>;
}

/**
 * The music's live state in the database (`KeptMusic`): the value its owner gives (`MusicLive`),
 * written as it changes, and read back and put back at start. Writes of the same state are skipped, and the song's place is written when it has moved
 * `POSITION_EVERY_MS` since the last write (or the rest changed): a SIGKILL or a power cut loses
 * at most that much of it, a SIGTERM nothing (the stop writes it last).
 */
export class MusicMemory {
  readonly #deps: MusicMemoryDeps;
  #written: KeptMusic | undefined;
  /** The song and the staff's queue kept from before a restart, until the music first starts (silent at start: later). */
  #pending: KeptMusic | undefined;

  constructor(deps: MusicMemoryDeps) {
    this.#deps = deps;
  }

  /** What was kept, or `NOTHING_KEPT` when nothing was, or what was does not fit the shape (said in the log). */
  read(): KeptMusic {
    const value = this.#deps.settings.get(MUSIC_STATE_KEY);
    if (value === undefined) return NOTHING_KEPT;
    if (!check.Check(value)) {
      this.#deps.log.warn({ key: MUSIC_STATE_KEY }, 'the music’s kept state does not fit its shape: the music starts afresh');
      return NOTHING_KEPT;
    }
    this.#written = value;
    return value;
  }

  /**
   * Puts back what a restart would have lost: the song playing with the staff's queue wait for the
   * music's first start (`takeResume`), now or, when the music is silent, once it may play.
   * Returns the hold to put back (it has not ended), or null; the staff pause is
   * `kept.isPausedByStaff` and the volume asked for `kept.volume`.
   */
  putBack(kept: KeptMusic): MoodHold | null {
    const { clock, log } = this.#deps;
    const hold = kept.hold !== null && kept.hold.until > clock.now() ? kept.hold : null;
    if (kept.playing !== null || kept.staffQueue.length > 0) this.#pending = kept;
    if (kept.at > 0)
      log.info(
        { hold, isPausedByStaff: kept.isPausedByStaff, playing: kept.playing?.trackId ?? null, staffQueue: kept.staffQueue.length },
        'the music’s state from before the restart is put back',
      );
    return hold;
  }

  /** A song started: whatever played it, what was kept from before the restart has been replaced. */
  songStarted(): void {
    this.#pending = undefined;
  }

  /**
   * The song that played before the restart (at its place, when it stopped less than
   * `RESUME_WITHIN_MS` ago) and the songs staff queued after it, as entries to play now; taken
   * once. A song gone from the library, blocked or not playable here is left out, said in the log.
   */
  takeResume(mood: RoomMoodLabel | null): { entries: QueueEntry[]; startAtMs: number } | undefined {
    const kept = this.#pending;
    this.#pending = undefined;
    if (kept === undefined) return undefined;
    const { log, clock } = this.#deps;
    const entry = (track: Track, reason: PlayReason): QueueEntry => {
      const note = noteFor(reason);
      return queueEntry(track, { reason, note: note.text, noteSaid: note.said, mood, userId: null });
    };
    const entries: QueueEntry[] = [];
    let startAtMs = 0;
    const playing = kept.playing !== null && clock.now() - kept.at <= RESUME_WITHIN_MS ? kept.playing : null;
    const song = playing === null ? undefined : this.#playable(playing.trackId);
    if (playing !== null && song !== undefined) {
      entries.push(entry(song, playing.reason));
      startAtMs = playing.positionMs;
    }
    for (const trackId of kept.staffQueue) {
      const queued = this.#playable(trackId);
      if (queued !== undefined) entries.push(entry(queued, 'staff'));
    }
    if (entries.length === 0) return undefined;
    log.info({ trackId: entries[0]?.track.id, startAtMs, songs: entries.length }, 'the music resumes where it was');
    return { entries, startAtMs };
  }

  /**
   * Writes the music's state (`live`, from its owner) unless it is what was written last (`write`);
   * `force` at the stop. Until the music first starts after a restart, the song and the staff's
   * queue kept from before it stand for the ones not playing yet.
   */
  remember(live: MusicLive, options: { force?: boolean } = {}): void {
    const pending = this.#pending;
    const waiting = live.playing === null && pending !== undefined;
    const state = waiting ? { ...live, playing: pending.playing, staffQueue: pending.staffQueue } : live;
    this.write(state, this.#deps.clock.now(), options);
  }

  /** Writes `state` unless it is what was written last, bar a place in the same song that moved less than `POSITION_EVERY_MS`. `force`: write even then. */
  write(state: MusicLive, at: number, options: { force?: boolean } = {}): void {
    const kept: KeptMusic = { ...state, staffQueue: state.staffQueue.slice(0, STAFF_QUEUE_KEEP), at };
    if (options.force !== true && this.#isSame(kept)) return;
    try {
      this.#deps.settings.set(MUSIC_STATE_KEY, kept, at);
      this.#written = kept;
    } catch (err) {
      // A full disk: the music plays on; the next change tries again.
      this.#deps.log.warn({ err }, 'cannot keep the music’s state');
    }
  }

  #playable(trackId: number): Track | undefined {
    const { catalogue, log } = this.#deps;
    try {
      return catalogue.mayPlay(catalogue.playable(trackId));
    } catch (err) {
      log.info({ trackId, why: (err as Error).message }, 'a song kept from before the restart cannot play now');
      return undefined;
    }
  }

  #isSame(next: KeptMusic): boolean {
    const last = this.#written;
    if (last === undefined) return false;
    const rest = (kept: KeptMusic): string => JSON.stringify([kept.hold, kept.isPausedByStaff, kept.volume, kept.staffQueue]);
    if (rest(last) !== rest(next)) return false;
    const [a, b] = [last.playing, next.playing];
    if (a === null || b === null) return a === b;
    if (a.trackId !== b.trackId || a.reason !== b.reason || a.userId !== b.userId) return false;
    return Math.abs(a.positionMs - b.positionMs) < POSITION_EVERY_MS;
  }
}

/** What the screens say of a song resumed after a restart, by why it played. */
function noteFor(reason: PlayReason): { text: string; said: Said } {
  if (reason === 'staff') return PLAY_REASONS.staff;
  if (reason === 'guest') return PLAY_REASONS.guest;
  if (reason === 'tap') return PLAY_REASONS.kiosk;
  return PLAY_REASONS.room;
}
