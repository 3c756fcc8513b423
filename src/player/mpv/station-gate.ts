import { lookup as dnsLookup } from 'node:dns/promises';
import type { Log } from '../../kernel/log.js';
import { guardBoxAddresses, writeStationGuard } from '../streams/station-guard.js';
import { boxAddresses, vetStationUrl, type StationAddressCheck } from '../streams/stream-address.js';
import { DEFAULT_STREAM_TIMEOUT_S, isStreamUri, isYouTubeUrl } from '../streams/stream-url.js';
import type { MpvLaunch } from './mpv-args.js';

/** What mpv is given for a station that failed the address check: a URL no protocol opens, so its play fails as a dead station's. */
const REFUSED_STATION_URL = 'moodbox-refused://station';

export interface StationGateOptions {
  /** Whether a station's playlist may lead to an address of the box or its network. @default false */
  allowPrivateStations?: boolean;
  /**
   * How a station's address is judged before it plays (each redirect followed through the same
   * check), when `allowPrivateStations` is off.
   * @default the system's resolver, and `isPrivateAddress` with the box's own addresses
   */
  stationCheck?: StationAddressCheck;
  /** How long a stream may take to connect or send data before it counts as dead (s). @default 10 */
  streamTimeoutS?: number;
}

/**
 * Keeps the stations mpv plays off the box and its network (unless `allowPrivateStations`): a
 * station's address, and each of its redirects, is checked before mpv is given it, and the station
 * guard mpv loads (see `STATION_GUARD_LUA`) checks the entries of the playlists stations open.
 */
export class StationGate {
  readonly #log: Log;
  readonly #allowPrivateStations: boolean;
  readonly #stationCheck: StationAddressCheck;
  readonly #streamTimeoutS: number | undefined;
  /** The station guard mpv loads (see `STATION_GUARD_LUA`), written at start. */
  #guard: { path: string; remove: () => void } | undefined;

  constructor(deps: { log: Log }, options: StationGateOptions = {}) {
    this.#log = deps.log;
    this.#allowPrivateStations = options.allowPrivateStations ?? false;
    this.#stationCheck = options.stationCheck ?? {
      lookup: async (host) => (await dnsLookup(host, { all: true })).map((a) => a.address),
    };
    this.#streamTimeoutS = options.streamTimeoutS;
  }

  /** Writes the station guard, before mpv starts. */
  open(): void {
    this.#guard ??= writeStationGuard();
  }

  /** Removes the station guard, once mpv has quit. */
  close(): void {
    this.#guard?.remove();
    this.#guard = undefined;
  }

  /** mpv's arguments about stations at a launch: the guard, and the box's addresses of the moment. */
  launch(): Pick<MpvLaunch, 'guardPath' | 'allowPrivateStations' | 'boxAddresses'> {
    return {
      guardPath: this.#guard?.path,
      allowPrivateStations: this.#allowPrivateStations,
      boxAddresses: this.#allowPrivateStations ? undefined : guardBoxAddresses(boxAddresses()),
    };
  }

  /**
   * The URL mpv is given for `uri`: a station's, once its address and each of its redirects passed
   * the check (mpv itself follows no redirect); one that fails it is given as a URL that fails to
   * open, so that its play fails as a dead station's does. Files and YouTube entries as they are.
   * A `spotify:` URI is never mpv's (only Spotify's own player plays it): one that reaches here (a
   * Spotify track left in a library the box plays alone) is given as that URL too.
   */
  async vetted(uri: string): Promise<string> {
    if (uri.startsWith('spotify:')) {
      this.#log.warn({ url: uri }, 'spotify track refused: mpv does not play spotify');
      return REFUSED_STATION_URL;
    }
    if (this.#allowPrivateStations || !isStreamUri(uri) || isYouTubeUrl(uri)) return uri;
    try {
      return await vetStationUrl(uri, this.#stationCheck, { timeoutMs: (this.#streamTimeoutS ?? DEFAULT_STREAM_TIMEOUT_S) * 1000 });
    } catch (err) {
      this.#log.warn({ url: uri, err: { message: (err as Error).message } }, 'station refused');
      return REFUSED_STATION_URL;
    }
  }
}
