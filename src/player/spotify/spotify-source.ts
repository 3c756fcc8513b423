import type { Random } from '../../kernel/random.js';
import { PLAY_REASONS } from '../pick-reasons.js';
import type { QueueEntry } from '../play-queue.js';
import type { MusicRequest } from '../sources/music-source.js';
import type { LikingSource, SourcedTrack } from '../sources/music-sources.js';
import type { SpotifyClient } from './spotify-client.js';

/** What the source needs of the Connect player. */
export interface SpotifyPlayback {
  problem(): string | undefined;
  readonly contextUri: string | null;
  onAvailabilityChanged(listener: () => void): () => void;
}

/**
 * Spotify as a music source: for a mood, a playlist the admin mapped to it (the one playing, when
 * it is one of them, else one at random); with no playlist for the mood and `isStrict` false (the
 * `spotify` setting), any mapped playlist. Nothing while the Connect player cannot play. A like
 * saves the track to the account's library.
 */
export class SpotifySource implements LikingSource {
  readonly kind = 'spotify' as const;
  readonly #playback: SpotifyPlayback;
  readonly #client: Pick<SpotifyClient, 'saveTracks'>;
  readonly #playlists: () => Record<string, string>;
  readonly #random: Random;

  /** @param deps.playlists playlist id → mood, as the admin mapped them */
  constructor(deps: {
    playback: SpotifyPlayback;
    client: Pick<SpotifyClient, 'saveTracks'>;
    playlists: () => Record<string, string>;
    random: Random;
  }) {
    this.#playback = deps.playback;
    this.#client = deps.client;
    this.#playlists = deps.playlists;
    this.#random = deps.random;
  }

  choose(request: MusicRequest): QueueEntry | undefined {
    if (this.#playback.problem() !== undefined) return undefined;
    const mapped = Object.entries(this.#playlists());
    let ids = mapped.filter(([, mood]) => mood === request.mood).map(([id]) => id);
    if (ids.length === 0 && !request.isStrict) ids = mapped.map(([id]) => id);
    if (ids.length === 0) return undefined;
    ids.sort();
    const playing = this.#playback.contextUri?.replace(/^spotify:playlist:/, '');
    const id = playing !== undefined && ids.includes(playing) ? playing : ids[this.#random.int(ids.length)];
    if (id === undefined) return undefined;
    const mood = this.#playlists()[id] ?? request.mood;
    const why = PLAY_REASONS.spotify(mood, request.mood);
    return {
      track: { id: 0, uri: `spotify:playlist:${id}`, title: `Spotify playlist for ${mood}` },
      reason: request.reason,
      note: why.text,
      noteSaid: why.said,
      mood: request.roomMood,
      userId: request.userId,
    };
  }

  problem(): string | undefined {
    return this.#playback.problem();
  }

  onAvailabilityChanged(listener: () => void): () => void {
    return this.#playback.onAvailabilityChanged(listener);
  }

  async like(track: SourcedTrack): Promise<void> {
    const id = /^spotify:track:([A-Za-z0-9]+)$/.exec(track.uri)?.[1];
    if (id !== undefined) await this.#client.saveTracks([id]);
  }
}
