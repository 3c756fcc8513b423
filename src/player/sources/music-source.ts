import type { QueueEntry } from '../play-queue.js';
import type { PlayReason } from '../player.js';

/**
 * Where a box's music may come from (`local`: the library through mpv; the others as registered in
 * `registered-sources.ts`), and how a box picks its sources (`music.source`): `local` only the
 * library; a source's own name that source for every mood (the library only while it fails);
 * `mixed` the other sources for the moods they have music made for, the library for the rest.
 */
export type { MusicSourceKind, MusicSourceMode } from './registered-sources.js';

/** What the director asks a source for: music for the room's mood. */
export interface MusicRequest {
  /** The mood the music is picked for (`calm`, `upbeat`, …). */
  mood: string;
  /** The library's pick for the room now (what the local source plays), when the library has one. */
  pick: QueueEntry | undefined;
  /** Why music is put on, the room mood and the person, for an entry of another source. */
  reason: PlayReason;
  roomMood: string | null;
  userId: number | null;
  /** True when only music made for `mood` will do (`mixed`); false lets the source play its nearest. */
  isStrict: boolean;
}

/**
 * One place music comes from. The director asks the sources in turn for music for the room and
 * plays the first answer through the one player (`SourcePlayer`), so taps, likes, skips, history,
 * idle, quiet hours and volume limits behave the same whatever plays.
 */
export interface MusicSource {
  /** `local`, or the name a source registered (`registered-sources.ts`). */
  readonly kind: string;
  /**
   * The entry to play for `request` now, or undefined when this source has nothing for it (no
   * playlist for the mood, or the source is down). MUST NOT throw and MUST NOT wait on the network.
   */
  choose(request: MusicRequest): QueueEntry | undefined;
  /** Why the source cannot play now, in words for the panel's health line; undefined while it can. */
  problem(): string | undefined;
  /** Calls `listener` when the source becomes able or unable to play; returns the function that unsubscribes. */
  onAvailabilityChanged(listener: () => void): () => void;
}

/** The library: plays the recommender's pick. Always available (an empty library has no pick). */
export class LocalMusicSource implements MusicSource {
  readonly kind = 'local' as const;

  choose(request: MusicRequest): QueueEntry | undefined {
    return request.pick;
  }

  problem(): string | undefined {
    return undefined;
  }

  onAvailabilityChanged(): () => void {
    return () => {};
  }
}
