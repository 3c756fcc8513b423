import type { Config } from '../config/schema.js';
import type { Store, Track } from '../store/store.js';
import { entryProblem } from '../../player/library/library-entry.js';
import { SOURCES } from '../../player/sources/registered-sources.js';
import { STREAM_SOURCE } from '../../player/streams/stream-url.js';
import { HOUR_MS } from './guest-limits.js';

/** The most songs a search returns. */
const SEARCH_LIMIT = 20;
/** A song played this recently is left out of the guests' suggestions (ms). */
const JUST_PLAYED_MS = HOUR_MS;

export interface GuestSongsDeps {
  store: Pick<Store, 'tracks'>;
  /** The settings now (they may change while running). */
  settings: () => Pick<Config, 'site' | 'music'>;
  /** Whether a library entry may play now (a station that just failed may not). @default every entry */
  isPlayable?: ((track: Track) => boolean) | undefined;
  /** Whether the owner keeps `track` from playing here (blocked, its artist blocked, explicit and skipped). @default none */
  isBlocked?: ((track: Pick<Track, 'id' | 'artist'>) => boolean) | undefined;
}

/**
 * Which songs guests may ask for here (the library and stations; another source's as it registered,
 * Spotify's only at a home with Spotify on), which to suggest to them (not what plays, comes next, is asked for or just played),
 * and the search. Owns when each song last started.
 */
export class GuestSongs {
  readonly #deps: GuestSongsDeps;
  /** When each song last started (epoch ms), by track id. */
  readonly #played = new Map<number, number>();

  constructor(deps: GuestSongsDeps) {
    this.#deps = deps;
  }

  /** Songs of the library whose title, artist or album has `q`, that guests may ask for here (at most 20). */
  search(q: string): Track[] {
    return this.#deps.store.tracks
      .list({ search: q.trim(), limit: SEARCH_LIMIT * 3 })
      .items.filter((t) => this.mayAskFor(t))
      .slice(0, SEARCH_LIMIT);
  }

  /** Whether guests may ask for `track` (or the track of this id) here. */
  mayAskFor(track: Track | number): boolean {
    const found = typeof track === 'number' ? this.#deps.store.tracks.get(track) : track;
    if (found === undefined || found.missing) return false;
    // An entry the player cannot play (written straight into the database) is no guest's either.
    if (entryProblem(found) !== undefined) return false;
    // Another source's track (Spotify's): as that source lets guests see it.
    const other = SOURCES.byKind(found.source);
    if (other !== undefined) {
      const { site, music } = this.#deps.settings();
      return other.guestsMayAsk({ isHome: site.kind === 'home', mode: music.source });
    }
    if (found.source !== 'local' && found.source !== STREAM_SOURCE) return false;
    if (this.isBlocked(found)) return false;
    return this.#deps.isPlayable?.(found) ?? true;
  }

  /** Whether the owner keeps `track` (or the track of this id) from playing here. */
  isBlocked(track: Pick<Track, 'id' | 'artist'> | number): boolean {
    const found = typeof track === 'number' ? this.#deps.store.tracks.get(track) : track;
    return found !== undefined && (this.#deps.isBlocked?.(found) ?? false);
  }

  /** Whether to suggest `trackId` at `now`: guests may ask for it, it is not `busy` (playing, next, asked for), and did not just play. */
  maySuggest(trackId: number, now: number, busy: ReadonlySet<number>): boolean {
    if (busy.has(trackId)) return false;
    const played = this.#played.get(trackId);
    if (played !== undefined && now - played < JUST_PLAYED_MS) return false;
    return this.mayAskFor(trackId);
  }

  /** `trackId` started playing at `at`. */
  started(trackId: number, at: number): void {
    this.#played.set(trackId, at);
  }

  /** Forgets plays that no longer count as just played. */
  forget(now: number): void {
    for (const [trackId, at] of this.#played) if (now - at >= JUST_PLAYED_MS) this.#played.delete(trackId);
  }
}
