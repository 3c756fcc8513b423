import type { KnownFile, LibraryStore, LibraryTrack, LibraryTracks, MoodTag, ScannedTrack } from '../library/library.js';

interface Row extends LibraryTrack {
  source: string;
  fileSize: number | null;
  fileMtimeMs: number | null;
  year: number | null;
}

/** The simplest complete `LibraryStore`, in memory. `failNextUpsert()` makes the next write throw. */
export class FakeLibraryStore implements LibraryStore {
  readonly #rows = new Map<number, Row>();
  readonly #moods = new Map<number, MoodTag[]>();
  #nextId = 1;
  #failNext = false;
  /** How many transactions ran. */
  transactions = 0;

  readonly tracks: LibraryTracks = {
    upsert: (input: ScannedTrack): LibraryTrack => {
      if (this.#failNext) {
        this.#failNext = false;
        throw new Error('disk full');
      }
      const source = input.source ?? 'local';
      const existing = [...this.#rows.values()].find((r) => r.source === source && r.uri === input.uri);
      const row: Row = {
        id: existing?.id ?? this.#nextId++,
        source,
        uri: input.uri,
        title: input.title ?? '',
        artist: input.artist ?? '',
        album: input.album ?? '',
        genre: input.genre ?? '',
        language: input.language ?? '',
        year: input.year ?? null,
        durationMs: input.durationMs ?? null,
        replayGainDb: input.replayGainDb ?? null,
        cover: input.cover ?? null,
        fileSize: input.fileSize ?? null,
        fileMtimeMs: input.fileMtimeMs ?? null,
        missing: false,
      };
      this.#rows.set(row.id, row);
      return { ...row };
    },
    get: (id) => {
      const row = this.#rows.get(id);
      return row ? { ...row } : undefined;
    },
    byUri: (uri, source = 'local') => {
      const row = [...this.#rows.values()].find((r) => r.source === source && r.uri === uri);
      return row ? { ...row } : undefined;
    },
    byArtistTitle: (artist, title) =>
      [...this.#rows.values()]
        .filter((r) => !r.missing && r.artist.toLowerCase() === artist.toLowerCase() && r.title.toLowerCase() === title.toLowerCase())
        .map((r) => ({ ...r })),
    files: (source = 'local'): KnownFile[] =>
      [...this.#rows.values()]
        .filter((r) => r.source === source)
        .map((r) => ({ id: r.id, uri: r.uri, fileSize: r.fileSize, fileMtimeMs: r.fileMtimeMs, missing: r.missing })),
    markMissing: (ids) => {
      for (const id of ids) {
        const row = this.#rows.get(id);
        if (row) row.missing = true;
      }
    },
    moods: (trackId) => [...(this.#moods.get(trackId) ?? [])].sort((a, b) => b.weight - a.weight || a.mood.localeCompare(b.mood)),
    setMoods: (trackId, moods) => {
      this.#moods.set(
        trackId,
        moods.map((m) => ({ ...m })),
      );
    },
  };

  transaction<T>(fn: () => T): T {
    this.transactions++;
    return fn();
  }

  /** Every track, in id order. */
  all(): LibraryTrack[] {
    return [...this.#rows.values()].map((r) => ({ ...r }));
  }

  /** Makes the next `upsert` throw. */
  failNextUpsert(): void {
    this.#failNext = true;
  }
}
