import type { QueueEntry } from '../play-queue.js';
import { LocalMusicSource, type MusicRequest, type MusicSource } from './music-source.js';
import { SOURCES } from './registered-sources.js';
import type { SourceRegistry } from './source-registry.js';

/** A track as the sources see it: where it comes from and what plays it. */
export interface SourcedTrack {
  /** `local`, `stream`, or a registered source's name: the library's `source` column. */
  source: string;
  uri: string;
}

/** A source that can also keep a liked track (Spotify saves it to the account's library). */
export interface LikingSource extends MusicSource {
  /** Saves `track` where the source keeps liked music. MAY reject; the like is kept in Moodbox anyway. */
  like(track: SourcedTrack): Promise<void>;
}

/**
 * The box's sources in the order the setting asks them: for a source's own setting that source
 * first, for `mixed` every source that brings it, the library last; for `local` the library alone.
 * The director asks `choose()`. Each source is known by what it registered (`registered-sources.ts`).
 */
export class MusicSources {
  readonly #sources: readonly MusicSource[];
  readonly #local: MusicSource;
  readonly #mode: () => string;
  readonly #registry: SourceRegistry;

  /**
   * @param deps.sources the sources besides the library, in order (the library is always the last resort)
   * @param deps.registry what each source registered @default the box's (`SOURCES`)
   */
  constructor(deps: { sources: readonly MusicSource[]; mode: () => string; registry?: SourceRegistry }) {
    this.#sources = deps.sources.filter((s) => s.kind !== 'local');
    this.#local = deps.sources.find((s) => s.kind === 'local') ?? new LocalMusicSource();
    this.#mode = deps.mode;
    this.#registry = deps.registry ?? SOURCES;
  }

  /** The setting in force. */
  get mode(): string {
    return this.#mode();
  }

  /** What to play for the room: the first source that has music for it (the library's pick last), or undefined. */
  choose(request: Omit<MusicRequest, 'isStrict'>): QueueEntry | undefined {
    const mode = this.#mode();
    for (const source of [...this.#asked(mode), this.#local]) {
      const entry = source.choose({ ...request, isStrict: mode === 'mixed' });
      if (entry !== undefined) return entry;
    }
    return undefined;
  }

  /** The sources besides the library that the setting `mode` asks, in order. */
  #asked(mode: string): MusicSource[] {
    if (mode === 'local') return [];
    return this.#sources.filter((s) => this.#registry.byKind(s.kind)?.modes.includes(mode) ?? false);
  }

  /** What keeps the box from playing its setting, for the health line; undefined when nothing does. */
  problem(): string | undefined {
    const problems = this.#asked(this.#mode()).flatMap((s) => {
      const why = s.problem();
      const label = this.#registry.byKind(s.kind)?.label ?? s.kind;
      return why === undefined ? [] : [`${label} unavailable (${why}): playing the library`];
    });
    return problems.length === 0 ? undefined : problems.join('; ');
  }

  /** Saves a liked track in its source when that source keeps likes (Spotify). Never rejects. */
  async like(track: SourcedTrack): Promise<void> {
    const source = this.#sources.find((s): s is LikingSource => s.kind === track.source && 'like' in s);
    await source?.like(track).catch(() => undefined);
  }

  /** Whether `uri` plays through a source other than the library (by a registered scheme, `spotify:`); the library's are paths and URLs. */
  isOtherSource(uri: string): boolean {
    return this.#registry.byUri(uri) !== undefined;
  }

  /** Calls `listener` when any source becomes able or unable to play. */
  onAvailabilityChanged(listener: () => void): () => void {
    const offs = this.#sources.map((s) => s.onAvailabilityChanged(listener));
    return () => {
      for (const off of offs) off();
    };
  }
}
