import type { Store } from '../store/store.js';
import type { FakeClock } from './fake-clock.js';

/**
 * Lets queued work and fades run on the fake clock until `promise` settles (or, with none, for a
 * while): resolves with its value or rethrows its error. For tests of the music director.
 */
export function settler(clock: FakeClock): <T>(promise?: Promise<T>) => Promise<T | undefined> {
  return async <T>(promise?: Promise<T>): Promise<T | undefined> => {
    let done = false;
    let value: T | undefined;
    let error: Error | undefined;
    void promise?.then(
      (v) => {
        done = true;
        value = v;
      },
      (err: unknown) => {
        done = true;
        error = err instanceof Error ? err : new Error(String(err));
      },
    );
    for (let i = 0; i < 200 && !(promise !== undefined && done); i++) {
      await new Promise((r) => setImmediate(r));
      clock.advance(50);
      if (promise === undefined && i > 40) break;
    }
    if (error !== undefined) throw error;
    return value;
  };
}

/**
 * Three tracks per mood, each by its own artist (`<mood> artist <n>`), tagged by the admin.
 * Returns the track ids by mood.
 */
export function seedMoodLibrary<M extends string>(store: Pick<Store, 'tracks'>, moods: readonly M[]): Record<M, number[]> {
  const byMood = Object.fromEntries(moods.map((m) => [m, [] as number[]])) as Record<M, number[]>;
  for (const mood of moods) {
    for (let i = 1; i <= 3; i++) {
      const track = store.tracks.upsert({ uri: `/music/${mood}-${i}.flac`, title: `${mood} ${i}`, artist: `${mood} artist ${i}` });
      store.tracks.setMoods(track.id, [{ mood, weight: 1, origin: 'admin' }]);
      byMood[mood].push(track.id);
    }
  }
  return byMood;
}
