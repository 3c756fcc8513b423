import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlayableTrack } from '../play-queue.js';
import type { Log } from '../../kernel/log.js';
import type { SpotifyTrack } from './spotify-client.js';

/** The library's track rows, as the daemon's track repository offers them. */
export interface SpotifyTrackRows {
  upsert(input: { source: string; uri: string; title: string; artist: string; album: string; durationMs: number; cover: string | null }): {
    id: number;
    cover: string | null;
  };
  setMoods(trackId: number, moods: ReadonlyArray<{ mood: string; weight: number; origin: 'admin' | 'sidecar' | 'rule' }>): void;
}

const COVER_TYPES: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
/** A cover larger than this is not kept (bytes). */
const MAX_COVER_BYTES = 2_000_000;

/**
 * Puts each track Spotify plays into the library (`source` `spotify`), so that the history, likes
 * and the screens name it like any other: tagged with the mood of the playlist it came from, its
 * album cover fetched once into the covers folder (named by the sha256 of its bytes, as the
 * scanner names embedded covers), so the kiosk shows it from the box itself.
 */
export class SpotifyLibrary {
  readonly #rows: SpotifyTrackRows;
  readonly #fetch: typeof fetch;
  readonly #log: Pick<Log, 'warn'>;
  readonly #coversDir: string;
  /** Cover file by its address, for this run. */
  readonly #covers = new Map<string, string | null>();

  constructor(deps: { rows: SpotifyTrackRows; fetch: typeof fetch; log: Pick<Log, 'warn'> }, options: { coversDir: string }) {
    this.#rows = deps.rows;
    this.#fetch = deps.fetch;
    this.#log = deps.log;
    this.#coversDir = options.coversDir;
  }

  /** The library row of `track`, tagged with `mood` (the playlist's) when given. */
  async track(track: SpotifyTrack, mood: string | null): Promise<PlayableTrack> {
    const cover = track.coverUrl ? await this.cover(track.coverUrl) : null;
    const row = this.#rows.upsert({
      source: 'spotify',
      uri: track.uri,
      title: track.name,
      artist: track.artists.join(', '),
      album: track.album,
      durationMs: track.durationMs,
      cover,
    });
    if (mood !== null) this.#rows.setMoods(row.id, [{ mood, weight: 1, origin: 'rule' }]);
    return { id: row.id, uri: track.uri, title: track.name, artist: track.artists.join(', '), durationMs: track.durationMs };
  }

  /** The covers-folder file of the image at `url` (fetched once), or null when it cannot be had. */
  async cover(url: string): Promise<string | null> {
    const known = this.#covers.get(url);
    if (known !== undefined) return known;
    let name: string | null = null;
    try {
      const response = await this.#fetch(url);
      const ext = COVER_TYPES[(response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''];
      const bytes = Buffer.from(await response.arrayBuffer());
      if (response.ok && ext !== undefined && bytes.length > 0 && bytes.length <= MAX_COVER_BYTES) {
        name = `${createHash('sha256').update(bytes).digest('hex')}.${ext}`;
        await mkdir(this.#coversDir, { recursive: true });
        await writeFile(join(this.#coversDir, name), bytes, { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'EEXIST') throw err;
        });
      }
    } catch (err) {
      this.#log.warn({ err: (err as Error).message }, 'spotify cover not fetched');
      return null;
    }
    this.#covers.set(url, name);
    return name;
  }
}
