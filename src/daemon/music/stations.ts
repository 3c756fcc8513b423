import { accessSync, constants, existsSync } from 'node:fs';
import { lookup as dnsLookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { youtubeBlock, type YoutubeBlock } from '../config/site-rules.js';
import type { MoodboxBus } from '../events.js';
import type { Clock, Timer } from '../../kernel/clock.js';
import type { Said } from '../../kernel/said.js';
import { STATION_REFUSALS, YOUTUBE_WORDS } from './library-refusals.js';
import { stationFailure } from './music-refusals.js';
import type { Log } from '../../kernel/log.js';
import type { Service } from '../../kernel/lifecycle.js';
import type { Scanner } from './library-service.js';
import type { Station, Store, Track } from '../store/store.js';
import { parseMoods } from '../../player/library/mood-tags.js';
import type { Player } from '../../player/player.js';
import type { QueueItem } from '../../player/play-queue.js';
import { parseStationsFile, STATIONS_FILE } from '../../player/streams/stations-file.js';
import { PRIVATE_ADDRESS_REASON, privateAddressOf, type HostLookup } from '../../player/streams/stream-address.js';
import { isYouTubeUrl, parseStreamUrl, STREAM_SOURCE, streamKind, type StreamKind } from '../../player/streams/stream-url.js';
import { recordAudit, type Actor } from '../store/audit.js';

/** A station that failed is left out of the picks this long, then tried again (ms). */
export const STATION_RETRY_MS = 15 * 60_000;

/** A station as the admin panel shows it. */
export interface StationView extends Station {
  kind: StreamKind;
  /** True while its last play failed: it is left out of the picks until `retryAt`. */
  isFailing: boolean;
  /** When a failing station is tried again (ms), or null. */
  retryAt: number | null;
  /** Why it is not played now although it is fine (YouTube off, yt-dlp missing, a business), or null. */
  blocked: string | null;
  /** `blocked` as data, for the admin panel to say in its reader's language; null with it. */
  blockedSaid: Said | null;
}

/** What importing a music folder's stations file did; `invalid` names each bad line. */
export interface StationsFileReport {
  file: string;
  saved: number;
  dropped: number;
  invalid: Array<{ line: number; message: string }>;
}

export interface StationsDeps {
  store: Pick<Store, 'stations' | 'tracks' | 'transaction' | 'audit'>;
  clock: Clock;
  log: Log;
  bus: MoodboxBus;
  /** The player the stations play on: a failed play marks its station as failing. */
  player: Pick<Player, 'events'>;
  /** The site and music settings now. */
  settings: () => Pick<Config, 'site' | 'music'>;
  /** Whether yt-dlp can be run. @default looks for it on the PATH, as `command -v yt-dlp` does */
  hasYtDlp?: () => boolean;
  /** Every address of a host name. @default the system's resolver (`dns.lookup`, all addresses) */
  lookup?: HostLookup;
}

/**
 * The library's stations: web radio and stream URLs with moods, added from the admin panel or a
 * music folder's `stations.csv`. The director picks them like tracks (they are tracks of source
 * `stream`); a station whose play fails (refused, 404, no data in time) is logged, shown as failing
 * with when, and left out of the picks for `STATION_RETRY_MS`, so the next pick plays.
 */
export class Stations implements Service {
  readonly name = 'stations';
  readonly #deps: StationsDeps;
  readonly #hasYtDlp: () => boolean;
  readonly #lookup: HostLookup;
  readonly #retries = new Map<number, Timer>();
  /** Queue keys of stream plays already counted as played, so a play is marked once. */
  readonly #played = new Set<number>();

  constructor(deps: StationsDeps) {
    this.#deps = deps;
    this.#hasYtDlp = deps.hasYtDlp ?? (() => isOnPath('yt-dlp', process.env));
    this.#lookup = deps.lookup ?? (async (host) => (await dnsLookup(host, { all: true })).map((a) => a.address));
  }

  /** Follows the player's plays of stations. */
  async start(): Promise<void> {
    const events = this.#deps.player.events;
    events.on('trackFailed', ({ item, error }) => this.#failed(item, error), this);
    events.on('positionChanged', ({ item }) => this.#playing(item), this);
    events.on('trackEnded', ({ item }) => this.#played.delete(item.key), this);
    // Whether YouTube entries may play follows these settings: the picks follow them at once.
    this.#deps.bus.on(
      'settingsChanged',
      ({ changed }) => {
        if (changed.some((path) => path === 'music.youtube' || path === 'site.kind')) this.#changed();
      },
      this,
    );
  }

  /** Ends the retry timers; the lifecycle ends the subscriptions. */
  async stop(): Promise<void> {
    for (const timer of this.#retries.values()) timer.cancel();
    this.#retries.clear();
  }

  /** Every station, by name. */
  list(): StationView[] {
    return this.#deps.store.stations.list().map((s) => this.#view(s));
  }

  /**
   * Adds a station from the admin panel (or updates the one with this URL). Throws a `TypeError`
   * naming the field at fault, and a `MoodboxError` (`MB_ERR_PLAYER_NOT_ALLOWED`) saying why a
   * YouTube URL, or one on this box or its local network (by address or by name: `localhost.`,
   * `ip6-localhost`, `*.local`), is refused here. A name that does not resolve now is let in: a
   * box set up offline cannot look anything up, and the station fails when played until it can.
   * Audited as `station.add`
   * with `actor`.
   */
  async add(input: { url: unknown; name: unknown; moods: unknown; genre?: unknown }, actor: Actor): Promise<StationView> {
    const url = parseStreamUrl(input.url, 'url');
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name === '') throw new TypeError('`name`: expected the station’s name, got nothing');
    let moods;
    try {
      moods = parseMoods(moodRecord(input.moods), 'admin');
    } catch (err) {
      throw new TypeError(`\`moods\`: ${(err as Error).message}`);
    }
    const youtube = this.#youtubeBlock(url);
    if (youtube !== undefined) throw STATION_REFUSALS.youtube(youtube);
    const inside = await this.#privateAddress(url);
    if (inside !== undefined) throw STATION_REFUSALS.privateAddress(inside);
    const genre = typeof input.genre === 'string' ? input.genre.trim() : '';
    const { store, clock } = this.#deps;
    const station = store.transaction(() => {
      const saved = store.stations.save({ url, name, genre, moods, origin: 'admin' });
      recordAudit({ audit: store.audit, clock }, actor, 'station.add', {
        target: saved.name,
        detail: { url: saved.url, moods: saved.moods.map((m) => m.mood) },
      });
      return saved;
    });
    this.#deps.log.info({ trackId: station.trackId, url }, 'station added');
    this.#changed();
    return this.#view(station);
  }

  /** Removes a station for `actor` (audited as `station.remove`); throws `MB_ERR_NOT_FOUND` when there is none with that id. */
  remove(trackId: number, actor: Actor): Station {
    const { store, clock } = this.#deps;
    const station = store.stations.get(trackId);
    if (station === undefined) throw STATION_REFUSALS.noStation(trackId);
    store.transaction(() => {
      store.stations.remove(trackId);
      recordAudit({ audit: store.audit, clock }, actor, 'station.remove', { target: station.name, detail: { url: station.url } });
    });
    this.#retries.get(trackId)?.cancel();
    this.#retries.delete(trackId);
    this.#deps.log.info({ trackId, url: station.url }, 'station removed');
    this.#changed();
    return station;
  }

  /**
   * Whether the director may pick `track` now: any file of the library; a station unless it failed
   * within `STATION_RETRY_MS` or is a YouTube entry this box may not play.
   */
  isPlayable(track: Pick<Track, 'id' | 'source' | 'uri'>): boolean {
    if (track.source !== STREAM_SOURCE) return true;
    const station = this.#deps.store.stations.get(track.id);
    if (station !== undefined && this.#retryAt(station) !== null) return false;
    return this.#youtubeBlock(track.uri) === undefined;
  }

  /**
   * Imports `folder`'s stations file, when it has one: its stations are saved (a station the admin
   * added keeps the admin's name and moods), those it no longer lists leave the library, and each
   * bad line is reported with its number and the field at fault. Undefined when there is no file.
   */
  async importFolder(folder: string): Promise<StationsFileReport | undefined> {
    const file = join(resolve(folder), STATIONS_FILE);
    if (!existsSync(file)) return undefined;
    const { stations, invalid } = parseStationsFile(await readFile(file, 'utf8'));
    const { store, log } = this.#deps;
    const kept: number[] = [];
    for (const line of stations) {
      const youtube = this.#youtubeBlock(line.url);
      const inside = youtube === undefined ? await this.#privateAddress(line.url) : undefined;
      const refused =
        youtube !== undefined ? YOUTUBE_WORDS[youtube].text : inside !== undefined ? `${inside} ${PRIVATE_ADDRESS_REASON}` : undefined;
      if (refused !== undefined) {
        invalid.push({ line: line.line, message: `\`url\`: ${refused}` });
        continue;
      }
      const known = store.stations.byUrl(line.url);
      if (known?.origin === 'admin') continue;
      kept.push(
        store.stations.save({ url: line.url, name: line.name, genre: line.genre, moods: line.moods, origin: 'sidecar', file }).trackId,
      );
    }
    invalid.sort((a, b) => a.line - b.line);
    const dropped = store.stations.dropFromFile(file, kept);
    for (const bad of invalid) log.warn({ file, line: bad.line, error: bad.message }, 'skipped a line of the stations file');
    log.info({ file, saved: kept.length, dropped, invalid: invalid.length }, 'stations file read');
    if (kept.length + dropped > 0) this.#changed();
    return { file, saved: kept.length, dropped, invalid };
  }

  /** Why `url` may not be played from here for where it points (this box, its LAN), or undefined. */
  /** The host on the box or its network `url` points at (as a refusal names it), unless the owner allows such stations. */
  async #privateAddress(url: string): Promise<string | undefined> {
    if (this.#deps.settings().music.allowPrivateStations) return undefined;
    return privateAddressOf(url, this.#lookup);
  }

  #youtubeBlock(url: string): YoutubeBlock | undefined {
    return isYouTubeUrl(url) ? youtubeBlock(this.#deps.settings(), this.#hasYtDlp()) : undefined;
  }

  #view(station: Station): StationView {
    const retryAt = this.#retryAt(station);
    return {
      ...station,
      kind: streamKind(station.url),
      isFailing: station.failedAt !== null,
      retryAt,
      ...blockedOf(this.#youtubeBlock(station.url)),
    };
  }

  #retryAt(station: Station): number | null {
    if (station.failedAt === null) return null;
    const at = station.failedAt + STATION_RETRY_MS;
    return at > this.#deps.clock.now() ? at : null;
  }

  #failed(item: QueueItem, error: string): void {
    const station = this.#stationOf(item);
    if (station === undefined) return;
    const { clock, store, log } = this.#deps;
    const why = stationFailure(error);
    store.stations.markFailed(station.trackId, why, clock.now());
    log.warn({ trackId: station.trackId, url: station.url, error, retryInMs: STATION_RETRY_MS }, 'station skipped: cannot play it');
    this.#retries.get(station.trackId)?.cancel();
    this.#retries.set(
      station.trackId,
      clock.setTimeout(() => {
        this.#retries.delete(station.trackId);
        this.#changed();
      }, STATION_RETRY_MS),
    );
    this.#changed();
  }

  #playing(item: QueueItem): void {
    if (this.#played.has(item.key)) return;
    const station = this.#stationOf(item);
    if (station === undefined) return;
    this.#played.add(item.key);
    this.#deps.store.stations.markPlayed(station.trackId, this.#deps.clock.now());
    if (station.failedAt !== null) {
      this.#deps.log.info({ trackId: station.trackId, url: station.url }, 'station plays again');
      this.#changed();
    }
  }

  #stationOf(item: QueueItem): Station | undefined {
    const track = this.#deps.store.tracks.get(item.track.id);
    return track?.source === STREAM_SOURCE ? this.#deps.store.stations.get(track.id) : undefined;
  }

  /** The stations changed: the library follows, and the music picks from them as they are now. */
  #changed(): void {
    this.#deps.bus.emit('stationsChanged', { at: this.#deps.clock.now() });
  }
}

/**
 * The library's scanner, which also reads each music folder's stations file: its bad lines are
 * listed with the files that could not be read (`<folder>/stations.csv line N`), so the panel shows them.
 */
export function stationsScanner(scanner: Scanner, stations: Pick<Stations, 'importFolder'>): Scanner {
  return {
    async scan(dir, options) {
      const report = await scanner.scan(dir, options);
      const imported = await stations.importFolder(dir);
      for (const bad of imported?.invalid ?? [])
        report.failed.push({ path: `${imported?.file ?? ''} line ${bad.line}`, error: bad.message });
      return report;
    },
  };
}

/** `[{mood: 'calm', weight: 0.8}]` (the panel's list) → `{calm: 0.8}`; anything else as it is, for `parseMoods` to check. */
function moodRecord(value: unknown): unknown {
  if (!Array.isArray(value) || !value.every((m) => typeof m === 'object' && m !== null && 'mood' in m)) return value;
  return Object.fromEntries(value.map((m: { mood: unknown; weight?: unknown }) => [String(m.mood), m.weight ?? 1]));
}

/** Whether `name` is an executable file in one of `env.PATH`'s folders (what `command -v` finds). */
export function isOnPath(name: string, env: Readonly<Record<string, string | undefined>>): boolean {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // Not in this folder.
    }
  }
  return false;
}

/** Why a station is not played now, in both forms, or null. */
function blockedOf(why: YoutubeBlock | undefined): Pick<StationView, 'blocked' | 'blockedSaid'> {
  return why === undefined
    ? { blocked: null, blockedSaid: null }
    : { blocked: YOUTUBE_WORDS[why].text, blockedSaid: YOUTUBE_WORDS[why].said };
}
