import type { Random } from '../../kernel/random.js';
import { SpotifyError, type SpotifyErrorCode } from './spotify-error.js';
import { moodName, type MoodSettings } from '../moods.js';
import type { SpotifyClient, SpotifyDevice } from './spotify-client.js';
import type { Log } from '../../kernel/log.js';

/** The settings key holding the admin's playlist → mood mapping. */
export const PLAYLIST_MOODS_SETTING = 'spotify.playlistMoods';

export type MoodPlayResult =
  | { source: 'spotify'; playlistId: string; deviceId: string }
  /** Spotify could not play: the caller plays the local library. `code` says why. */
  | { source: 'local'; code: SpotifyErrorCode | 'MB_ERR_NOT_FOUND'; reason: string };

/**
 * Plays a mood on Spotify (home use): the admin maps the person's playlists to moods; a playlist
 * for the mood is played on a Connect device. Anything Spotify cannot do ends in a `local` result,
 * never in silence.
 */
export class SpotifyProvider {
  readonly #client: SpotifyClient;
  readonly #settings: MoodSettings;
  readonly #log: Pick<Log, 'info' | 'warn'>;
  readonly #deviceName: string | undefined;

  /** @param options.deviceName the Connect device to prefer when none is active */
  constructor(
    deps: { client: SpotifyClient; settings: MoodSettings; log: Pick<Log, 'info' | 'warn'> },
    options: { deviceName?: string } = {},
  ) {
    this.#client = deps.client;
    this.#settings = deps.settings;
    this.#log = deps.log;
    this.#deviceName = options.deviceName;
  }

  /** Playlist id → mood, as the admin set it. */
  playlistMoods(): Record<string, string> {
    const value = this.#settings.get(PLAYLIST_MOODS_SETTING);
    if (typeof value !== 'object' || value === null) return {};
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  }

  /** Maps a playlist to a mood (or removes it with `null`); `at` is ms since the Unix epoch. */
  mapPlaylist(playlistId: string, mood: string | null, at: number): Record<string, string> {
    const next = { ...this.playlistMoods() };
    if (mood === null) delete next[playlistId];
    else next[playlistId] = moodName(mood);
    this.#settings.set(PLAYLIST_MOODS_SETTING, next, at);
    return next;
  }

  /** Plays a playlist mapped to `mood` on a Connect device, transferring playback there first when needed. */
  async playMood(mood: string, random: Random): Promise<MoodPlayResult> {
    const playlists = Object.entries(this.playlistMoods())
      .filter(([, m]) => m === mood)
      .map(([id]) => id)
      .sort();
    const playlistId = playlists.length === 0 ? undefined : playlists[random.int(playlists.length)];
    if (playlistId === undefined) return { source: 'local', code: 'MB_ERR_NOT_FOUND', reason: `no Spotify playlist is mapped to ${mood}` };
    try {
      const device = this.#pickDevice(await this.#client.devices());
      if (!device?.id)
        throw new SpotifyError('MB_ERR_SPOTIFY_NO_DEVICE', 'no Spotify Connect device is available: open Spotify on the speaker or phone');
      if (!device.isActive) await this.#client.transfer(device.id, { play: false });
      await this.#client.play({ deviceId: device.id, contextUri: `spotify:playlist:${playlistId}` });
      this.#log.info({ mood, playlistId, device: device.name }, 'spotify playing');
      return { source: 'spotify', playlistId, deviceId: device.id };
    } catch (err) {
      if (!(err instanceof SpotifyError)) throw err;
      this.#log.warn({ code: err.code, mood }, 'spotify cannot play; local library instead');
      return { source: 'local', code: err.code, reason: err.message };
    }
  }

  #pickDevice(devices: readonly SpotifyDevice[]): SpotifyDevice | undefined {
    const usable = devices.filter((d) => d.id !== null && !d.isRestricted);
    return usable.find((d) => d.isActive) ?? usable.find((d) => d.name === this.#deviceName) ?? usable[0];
  }
}
