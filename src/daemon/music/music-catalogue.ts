import type { Log } from '../../kernel/log.js';
import type { RoomMoodLabel } from '../../kernel/room-mood.js';
import { isAutoPickable } from '../../player/auto-pick.js';
import { entryProblem } from '../../player/library/library-entry.js';
import { SOURCES } from '../../player/sources/registered-sources.js';
import type { Said } from '../../kernel/said.js';
import type { PlayReason } from '../../player/play-queue.js';
import type { QueueEntry, QueueItem } from '../../player/play-queue.js';
import { Recommender } from '../../player/recommender.js';
import { TrackIndex } from '../../player/track-index.js';
import type { Store, Track } from '../store/store.js';
import type { BlockReason } from './blocked-music.js';
import { MUSIC_REFUSALS } from './music-refusals.js';

export interface MusicCatalogueDeps {
  log: Log;
  store: Pick<Store, 'tracks'>;
  /** Whether a library entry may be picked now (a station that just failed may not). @default every entry */
  isPlayable?: ((track: Track) => boolean) | undefined;
  /** Why a track may not play here (the owner blocked it or its artist, it is explicit), or null. @default none is blocked */
  blocked?: ((track: Pick<Track, 'id' | 'artist'>) => BlockReason | null) | undefined;
  /**
   * Whether another source's tracks of the library (Spotify's, kept for the history and likes) may
   * be chosen now: only while another source is a source of the music, never on a box whose music
   * is its library alone (a business's always is). mpv cannot play a `spotify:` URI. @default never
   */
  othersPlay?: (() => boolean) | undefined;
  /** Whether the music folders are being scanned now: an empty library may then be one not read yet. @default never */
  scanning?: (() => boolean) | undefined;
}

/**
 * What the music may play, as the director picks from it: the library's songs and stations loaded
 * from the store (Spotify's tracks stay with their own source), the recommender over those it may
 * pick by itself, and the checks a chosen track passes before it plays.
 */
export class MusicCatalogue {
  readonly #deps: MusicCatalogueDeps;
  #recommender = new Recommender(new TrackIndex([]));
  #tracks = new Map<number, Track>();
  /** Local songs of the library without an analysis (not yet made, or it failed). */
  #notAnalysed = 0;

  constructor(deps: MusicCatalogueDeps) {
    this.#deps = deps;
  }

  /** Reads the library again (after a scan, a station added or failing). */
  reload(): void {
    // Tracks Spotify played are in the library for the history and likes; only its own source plays them.
    const isPlayable = this.#deps.isPlayable ?? (() => true);
    const all = this.#deps.store.tracks.allWithMoods();
    // An entry the player cannot play (written straight into the database) is never picked.
    const playable = all.filter((t) => entryProblem(t) === undefined);
    if (playable.length < all.length) {
      this.#deps.log.warn({ entries: all.length - playable.length }, 'library entries the player cannot play are left out');
    }
    const tracks = playable.filter((t) => SOURCES.byKind(t.source) === undefined && isPlayable(t) && this.blockedWhy(t) === null);
    this.#tracks = new Map(tracks.map((t) => [t.id, t]));
    this.#notAnalysed = tracks.filter((t) => t.source === 'local' && t.audio === null).length;
    // Every track can be tapped; only those the music may pick by itself are candidates.
    this.#recommender = new Recommender(new TrackIndex(tracks.filter(isAutoPickable)));
    this.#deps.log.info({ tracks: tracks.length }, 'music library loaded');
  }

  /** The recommender over the tracks the music may pick by itself. */
  get recommender(): Recommender {
    return this.#recommender;
  }

  /** Songs and stations the music may play now. */
  get size(): number {
    return this.#tracks.size;
  }

  /** Local songs not analysed (not yet, or it failed): they follow the room by their mood tags alone. */
  get notAnalysed(): number {
    return this.#notAnalysed;
  }

  /** A track the music may play now, by id. */
  get(trackId: number): Track | undefined {
    return this.#tracks.get(trackId);
  }

  /** A track of the library, playable now or not (a request may name a station failing now). */
  find(trackId: number): Track | undefined {
    return this.#tracks.get(trackId) ?? this.#deps.store.tracks.get(trackId);
  }

  /** The library's track `trackId`; refused when there is none or its file is gone. */
  playable(trackId: number): Track {
    const track = this.find(trackId);
    if (track === undefined || track.missing) throw MUSIC_REFUSALS.notPlayable(trackId);
    return track;
  }

  /** Why `track` may not play here (blocked, its artist blocked, explicit and skipped), or null. */
  blockedWhy(track: Pick<Track, 'id' | 'artist'>): BlockReason | null {
    return this.#deps.blocked?.(track) ?? null;
  }

  /**
   * `track`, unless it is Spotify's while Spotify is no source of the music, an entry the player
   * cannot play (`entryProblem`), blocked here, or a station that cannot play now.
   */
  mayPlay(track: Track): Track {
    if (SOURCES.byKind(track.source) !== undefined && this.#deps.othersPlay?.() !== true)
      throw MUSIC_REFUSALS.spotifyNotASource(track.title);
    const problem = entryProblem(track);
    if (problem !== undefined) {
      this.#deps.log.warn({ trackId: track.id, source: track.source, problem }, 'a library entry the player cannot play was asked for');
      throw MUSIC_REFUSALS.unplayableEntry(track.title, track.source);
    }
    const blocked = this.blockedWhy(track);
    if (blocked !== null) throw MUSIC_REFUSALS.blocked(track.title, blocked);
    if (this.#deps.isPlayable?.(track) === false) throw MUSIC_REFUSALS.stationCannotPlay();
    return track;
  }

  /**
   * Why there is nothing to pick: a library still being scanned (the first start's), an empty
   * library, or one whose entries cannot play now.
   */
  nothingToPlay(): string {
    if (this.#deps.store.tracks.count() > 0)
      return 'nothing in the library can play now: its stations are failing (each is tried again after a while) or not allowed on this box';
    return this.#deps.scanning?.() === true
      ? 'the music library is being scanned: the music starts once the scan finds songs'
      : 'the music library is empty: add music in the admin panel';
  }
}

/** `track` as the player queues it: why it plays (`reason`, `note` and the same as a message), the mood followed, who it plays for. */
export function queueEntry(
  track: Track,
  {
    reason,
    note,
    noteSaid,
    mood,
    userId,
  }: { reason: PlayReason; note: string; noteSaid?: Said; mood: RoomMoodLabel | null; userId: number | null },
): QueueEntry {
  return {
    track: {
      id: track.id,
      uri: track.uri,
      title: track.title,
      artist: track.artist,
      durationMs: track.durationMs,
      album: track.album,
      replayGainDb: track.replayGainDb,
    },
    reason,
    note,
    ...(noteSaid === undefined ? {} : { noteSaid }),
    mood,
    userId,
  };
}

/** Whether someone chose the song (a tap at the kiosk, staff): the music's own picks never push it out. */
export function isChosen(item: QueueItem): boolean {
  return item.reason === 'tap' || item.reason === 'staff';
}
