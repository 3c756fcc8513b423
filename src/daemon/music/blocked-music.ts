import { distance } from 'fastest-levenshtein';
import type { Clock } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import { hiddenCharacter } from '../../kernel/visible-text.js';
import type { Service } from '../../kernel/lifecycle.js';
import type { MoodboxBus } from '../events.js';
import { artistKey, type BlockedEntry } from '../store/sqlite-blocks.js';
import type { Store, Track } from '../store/store.js';
import { parseBlockList, type BlockListReport } from './block-list.js';
import { BLOCK_REFUSALS, type BlockReason } from './library-refusals.js';
import { recordAudit, type Actor } from '../store/audit.js';

/** Why a song may not play here: it is blocked, its artist is, or it is explicit and explicit songs are skipped. */
export type { BlockReason };

/** What the owner chose for songs whose tags mark them explicit. */
export type ExplicitRule = 'play' | 'skip';

export interface BlockedMusicDeps {
  clock: Pick<Clock, 'now'>;
  log: Log;
  bus: MoodboxBus;
  store: Pick<Store, 'blocks' | 'tracks' | 'audit' | 'transaction'>;
  /** The owner's rule for explicit songs now (`music.explicit`). */
  explicit: () => ExplicitRule;
}

/** Separators between the artists of one song: "A feat. B", "A ft B", "A & B", "A vs. B", "A, B", "A; B", "A / B". */
const ARTIST_SEPARATORS = /\s+(?:feat\.?|ft\.?|featuring|&|vs\.?)\s+|\s*[,;/]\s*/i;

/**
 * The songs and artists the owner blocked, and the explicit-content rule: what the music never
 * picks, guests cannot ask for and staff are told of. Owns the blocks: each change is a command that
 * takes who acts, writes the audit, and announces `blocksChanged`, so that the picks, the queue and
 * the guests' requests follow at once. An artist's block covers every song they are named
 * on ("Ann feat. Bo" is blocked with Ann or Bo).
 */
export class BlockedMusic implements Service {
  readonly name = 'blocks';
  readonly #deps: BlockedMusicDeps;
  /** The blocked songs, each by the file that plays for its recording. */
  #songs = new Set<number>();
  /** Each copy's file that plays: a block names the recording, whichever of its files it was made on. */
  #playing = new Map<number, number>();
  #artists = new Set<string>();
  #explicit = new Set<number>();
  #rule: ExplicitRule;

  constructor(deps: BlockedMusicDeps) {
    this.#deps = deps;
    this.#rule = deps.explicit();
    this.#reload();
  }

  async start(): Promise<void> {
    const { bus } = this.#deps;
    // A scan may have found explicit tags on new or changed files, or grouped copies of one song anew.
    bus.on('libraryChanged', ({ why }) => why === 'scan' && this.#reload(), this);
    bus.on(
      'settingsChanged',
      () => {
        if (this.#deps.explicit() === this.#rule) return;
        this.#rule = this.#deps.explicit();
        this.#announce();
      },
      this,
    );
  }

  /** Holds nothing but its subscriptions, which the lifecycle ends. */
  async stop(): Promise<void> {}

  /** Why `track` may not play here, or null when it may. */
  reasonFor(track: Pick<Track, 'id' | 'artist'>): BlockReason | null {
    const recording = this.#playing.get(track.id) ?? track.id;
    if (this.#songs.has(recording)) return 'song';
    if (this.#artists.size > 0 && artistsOf(track.artist).some((a) => this.#artists.has(a))) return 'artist';
    if (this.#rule === 'skip' && this.#explicit.has(recording)) return 'explicit';
    return null;
  }

  /** Every block, artists first, then songs. */
  list(): BlockedEntry[] {
    return this.#deps.store.blocks.list();
  }

  /** How many songs the explicit rule keeps out now (0 while explicit songs play). */
  get explicitSkipped(): number {
    return this.#rule === 'skip' ? this.#explicit.size : 0;
  }

  /** Blocks a song of the library; blocking it again changes nothing. */
  blockSong(trackId: number, actor: Actor): BlockedEntry {
    const track = this.#deps.store.tracks.get(trackId);
    if (track === undefined) throw BLOCK_REFUSALS.noTrack(trackId);
    const { entry, isNew } = this.#deps.store.blocks.addSong(trackId, this.#deps.clock.now(), actor.name);
    if (isNew) this.#changed(actor, 'music.block', `${track.artist} – ${track.title}`, { trackId });
    return entry;
  }

  /**
   * Blocks an artist by name (any case); blocking them again changes nothing. A name with a
   * character a reader cannot see or that reorders what is shown (NUL, U+202E) is refused, as a
   * person's name is.
   */
  blockArtist(artist: string, actor: Actor): BlockedEntry {
    if (artistKey(artist) === '') throw BLOCK_REFUSALS.emptyArtist();
    const hidden = hiddenCharacter(artist);
    if (hidden !== undefined) throw BLOCK_REFUSALS.hiddenArtist(hidden.codePoint, hidden.position);
    const { entry, isNew } = this.#deps.store.blocks.addArtist(artist, this.#deps.clock.now(), actor.name);
    if (isNew) this.#changed(actor, 'music.block', entry.artist, { artist: entry.artist });
    return entry;
  }

  /**
   * What a block of `artist` reaches in the library now: how many songs name the artist (with
   * others too), and, when none does, the library's artists spelled nearly so (at most 3, nearest
   * first), so that "Pulse Engin" is not blocked silently while "Pulse Engine" plays on.
   */
  artistReach(artist: string): { songs: number; nearest: string[] } {
    const key = artistKey(artist);
    const playing = this.#deps.store.tracks.playingFiles();
    const songs = new Set<number>();
    const names = new Map<string, string>();
    for (const file of this.#deps.store.tracks.recordingFiles()) {
      const named = namesOf(file.artist);
      if (named.some((name) => artistKey(name) === key)) songs.add(playing.get(file.id) ?? file.id);
      for (const name of named) if (!names.has(artistKey(name))) names.set(artistKey(name), name);
    }
    if (songs.size > 0 || key === '') return { songs: songs.size, nearest: [] };
    // Near: a typo or two, more in a long name ("Pulse Engin", "The Night Owl").
    const most = Math.max(2, Math.floor(key.length / 4));
    const nearest = [...names]
      .map(([k, name]) => ({ name, d: distance(k, key) }))
      .filter(({ d }) => d <= most)
      .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
      .slice(0, 3)
      .map(({ name }) => name);
    return { songs: 0, nearest };
  }

  /** Lifts a block. */
  unblock(id: number, actor: Actor): BlockedEntry {
    const entry = this.#deps.store.blocks.get(id);
    if (entry === undefined || !this.#deps.store.blocks.remove(id)) {
      throw BLOCK_REFUSALS.noBlock(id);
    }
    const target = entry.kind === 'song' ? `${entry.artist} – ${entry.title}` : entry.artist;
    this.#changed(actor, 'music.unblock', target, entry.kind === 'song' ? { trackId: entry.trackId } : { artist: entry.artist });
    return entry;
  }

  /**
   * Blocks what a list names (CSV like `moods.csv`: a header with `artist` and optionally `title`;
   * a line with an artist alone blocks the artist, one with a title that song), in one transaction.
   * Lines that name no song of the library are reported, as are bad lines.
   */
  importList(text: string, actor: Actor): BlockListReport {
    const { store } = this.#deps;
    const { entries, invalid } = parseBlockList(text);
    const report: BlockListReport = { songs: 0, artists: 0, unmatched: [], invalid };
    const at = this.#deps.clock.now();
    store.transaction(() => {
      for (const entry of entries) {
        if (entry.kind === 'artist') {
          if (store.blocks.addArtist(entry.artist, at, actor.name).isNew) report.artists += 1;
          continue;
        }
        const tracks = store.tracks.byArtistTitle(entry.artist, entry.title);
        if (tracks.length === 0) report.unmatched.push({ line: entry.line, key: `${entry.artist} – ${entry.title}` });
        for (const track of tracks) if (store.blocks.addSong(track.id, at, actor.name).isNew) report.songs += 1;
      }
    });
    if (report.songs + report.artists > 0) {
      this.#changed(actor, 'music.block-import', '', { songs: report.songs, artists: report.artists, unmatched: report.unmatched.length });
    }
    return report;
  }

  #changed(actor: Actor, action: string, target: string, detail: Record<string, unknown>): void {
    recordAudit({ audit: this.#deps.store.audit, clock: this.#deps.clock }, actor, action, { target, detail });
    this.#deps.log.info({ actor: actor.name, action, ...detail }, action === 'music.unblock' ? 'block lifted' : 'music blocked');
    this.#reload();
    this.#announce();
  }

  #announce(): void {
    this.#deps.bus.emit('blocksChanged', { at: this.#deps.clock.now() });
  }

  #reload(): void {
    const { blocks, tracks } = this.#deps.store;
    const entries = blocks.list();
    const playing = tracks.playingFiles();
    const recording = (id: number): number => playing.get(id) ?? id;
    this.#playing = playing;
    this.#songs = new Set(entries.flatMap((e) => (e.kind === 'song' ? [recording(e.trackId)] : [])));
    this.#artists = new Set(entries.flatMap((e) => (e.kind === 'artist' ? [artistKey(e.artist)] : [])));
    // One copy tagged explicit makes the song explicit: the clean tag of another is no promise.
    this.#explicit = new Set([...blocks.explicitTrackIds()].map(recording));
  }
}

/** The names a song's artist field gives, as written: "Ann feat. Bo" → "Ann feat. Bo", "Ann", "Bo". */
function namesOf(artist: string): string[] {
  const whole = artist.trim().replace(/\s+/g, ' ');
  if (whole === '') return [];
  const parts = whole
    .split(ARTIST_SEPARATORS)
    .map((a) => a.trim())
    .filter((a) => a !== '' && a !== whole);
  return [whole, ...parts];
}

/** The artists a song's artist field names, as compared: "Ann feat. Bo & Cy" → ann feat. bo & cy, ann, bo, cy. */
export function artistsOf(artist: string): string[] {
  return namesOf(artist).map(artistKey);
}
