import type { QueueEntry } from '../play-queue.js';
import { LocalMusicSource, type MusicRequest, type MusicSource, type MusicSourceKind, type MusicSourceMode } from './music-source.js';

/** A track as the sources see it: where it comes from and what plays it. */
export interface SourcedTrack {
  /** `local`, `spotify`, `stream`: the library's `source` column. */
  source: string;
  uri: string;
}

/** A source that can also keep a liked track (Spotify saves it to the account's library). */
export interface LikingSource extends MusicSource {
  /** Saves `track` where the source keeps liked music. MAY reject; the like is kept in Moodbox anyway. */
  like(track: SourcedTrack): Promise<void>;
}

/**
 * The box's sources in the order the setting asks them: for `spotify` and `mixed` the other
 * sources first, the library last; for `local` the library alone. The director asks `choose()`.
 */
export class MusicSources {
  readonly #sources: readonly MusicSource[];
  readonly #local: MusicSource;
  readonly #mode: () => MusicSourceMode;

  /** @param deps.sources the sources besides the library, in order (the library is always the last resort) */
  constructor(deps: { sources: readonly MusicSource[]; mode: () => MusicSourceMode }) {
    this.#sources = deps.sources.filter((s) => s.kind !== 'local');
    this.#local = deps.sources.find((s) => s.kind === 'local') ?? new LocalMusicSource();
    this.#mode = deps.mode;
  }

  /** The setting in force. */
  get mode(): MusicSourceMode {
    return this.#mode();
  }

  /** What to play for the room: the first source that has music for it (the library's pick last), or undefined. */
  choose(request: Omit<MusicRequest, 'isStrict'>): QueueEntry | undefined {
    const mode = this.#mode();
    const sources = mode === 'local' ? [this.#local] : [...this.#sources, this.#local];
    for (const source of sources) {
      const entry = source.choose({ ...request, isStrict: mode === 'mixed' });
      if (entry !== undefined) return entry;
    }
    return undefined;
  }

  /** What keeps the box from playing its setting, for the health line; undefined when nothing does. */
  problem(): string | undefined {
    if (this.#mode() === 'local') return undefined;
    const problems = this.#sources.flatMap((s) => {
      const why = s.problem();
      return why === undefined ? [] : [`${LABELS[s.kind]} unavailable (${why}): playing the library`];
    });
    return problems.length === 0 ? undefined : problems.join('; ');
  }

  /** Saves a liked track in its source when that source keeps likes (Spotify). Never rejects. */
  async like(track: SourcedTrack): Promise<void> {
    const source = this.#sources.find((s): s is LikingSource => s.kind === track.source && 'like' in s);
    await source?.like(track).catch(() => undefined);
  }

  /** Whether `uri` plays through a source other than the library (Spotify's `spotify:` uris); the library's are paths and URLs. */
  isOtherSource(uri: string): boolean {
    return Object.values(SCHEMES).some((scheme) => uri.startsWith(scheme));
  }

  /** Calls `listener` when any source becomes able or unable to play. */
  onAvailabilityChanged(listener: () => void): () => void {
    const offs = this.#sources.map((s) => s.onAvailabilityChanged(listener));
    return () => {
      for (const off of offs) off();
    };
  }
}

const LABELS: Record<MusicSourceKind, string> = { local: 'the library', spotify: 'Spotify' };
/** How each source besides the library names what it plays. */
const SCHEMES: Record<Exclude<MusicSourceKind, 'local'>, string> = { spotify: 'spotify:' };
