import type { QueueEntry } from '../play-queue.js';
import type { MusicRequest, MusicSource } from '../sources/music-source.js';
import type { LikingSource, SourcedTrack } from '../sources/music-sources.js';

/**
 * The simplest complete non-library `MusicSource`: a `spotify:playlist:<mood>` entry for each
 * mood given to `map()`. Control methods: `map(mood)`, `fail(why)`, `recover()`; `liked` lists
 * what `like()` saved.
 */
export class FakeMusicSource implements MusicSource, LikingSource {
  readonly kind = 'spotify' as const;
  readonly liked: SourcedTrack[] = [];
  readonly #moods = new Set<string>();
  readonly #listeners = new Set<() => void>();
  #problem: string | undefined;

  map(mood: string): void {
    this.#moods.add(mood);
  }

  fail(why: string): void {
    this.#problem = why;
    for (const listener of [...this.#listeners]) listener();
  }

  recover(): void {
    this.#problem = undefined;
    for (const listener of [...this.#listeners]) listener();
  }

  choose(request: MusicRequest): QueueEntry | undefined {
    if (this.#problem !== undefined) return undefined;
    const mood = this.#moods.has(request.mood) ? request.mood : request.isStrict ? undefined : [...this.#moods][0];
    if (mood === undefined) return undefined;
    return {
      track: { id: 0, uri: `spotify:playlist:${mood}`, title: `${mood} playlist` },
      reason: request.reason,
      note: `a Spotify playlist for ${mood}`,
      mood: request.roomMood,
      userId: request.userId,
    };
  }

  problem(): string | undefined {
    return this.#problem;
  }

  onAvailabilityChanged(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async like(track: SourcedTrack): Promise<void> {
    this.liked.push(track);
  }
}
