import type { Clock } from '../../kernel/clock.js';
import { SpotifyError } from './spotify-error.js';
import type { Log } from '../../kernel/log.js';
import { moodName, type MoodSettings } from '../moods.js';
import type { SpotifyAuth } from './spotify-auth.js';
import type { SpotifyClient, SpotifyDevice } from './spotify-client.js';
import { pickDevice } from './spotify-connect-player.js';
import { PLAYLIST_MOODS_SETTING } from './spotify-provider.js';

/** The settings key holding the name of the Connect device the admin chose. */
export const DEVICE_SETTING = 'spotify.device';
/** A sign-in must be finished within this long (ms). */
const SIGN_IN_TTL_MS = 15 * 60_000;

/** The account as the admin panel shows it. */
export interface SpotifyStatus {
  isConnected: boolean;
  /** The account's name, when connected and Spotify answered. */
  account: string | null;
  /** Premium is needed to control playback; null while unknown. */
  isPremium: boolean | null;
  /** The device chosen by name, else null (one named after the box, else the active one, plays). */
  device: string | null;
  /** Why Spotify cannot play now, or null. */
  problem: string | null;
  /** Epoch ms the problem began, or null. */
  problemSince: number | null;
  /** The last problem that ended and when (epoch ms), or null. */
  recovered: { at: number; problem: string } | null;
  /** The device preferred when none is chosen: the one named after the box. */
  boxName: string;
}

export interface SpotifyPlaylistView {
  id: string;
  name: string;
  owner: string;
  tracks: number;
  /** The cover on the box (`/api/covers/…`), or null. */
  coverUrl: string | null;
  /** The mood it plays for, or null. */
  mood: string | null;
}

export interface SpotifyAccountDeps {
  auth: SpotifyAuth;
  client: SpotifyClient;
  settings: MoodSettings;
  clock: Clock;
  log: Log;
  /** The covers-folder file of an image address, or null. */
  cover: (url: string) => Promise<string | null>;
  /** Why the Connect player cannot play now. */
  problem: () => string | undefined;
  /** Since when the problem lasts, and the last one that ended. @default none known */
  outage?: () => { since: number | null; recovered: { at: number; problem: string } | null };
  /** Called after a connect or disconnect. */
  onAccountChanged: () => void;
}

/**
 * The Spotify account of a home box as the admin panel manages it: connect (PKCE, redirected back
 * to the box), disconnect, the account and its Premium status, the Connect device (remembered by
 * name), and the playlists mapped to moods. Tokens stay in the database (the token store).
 */
export class SpotifyAccount {
  readonly #deps: SpotifyAccountDeps;
  readonly #boxName: string;
  /** Sign-ins begun: state → verifier and when it was begun. */
  readonly #pending = new Map<string, { verifier: string; at: number }>();
  #account: { name: string; isPremium: boolean } | null = null;

  /** @param options.boxName the box's name: a Connect device named so is preferred */
  constructor(deps: SpotifyAccountDeps, options: { boxName: string }) {
    this.#deps = deps;
    this.#boxName = options.boxName;
  }

  /** The Connect device to play on: the admin's choice by name, else the box's name. */
  deviceName(): string {
    const chosen = this.#deps.settings.get(DEVICE_SETTING);
    return typeof chosen === 'string' && chosen !== '' ? chosen : this.#boxName;
  }

  get isConnected(): boolean {
    return this.#deps.auth.isSignedIn;
  }

  async status(): Promise<SpotifyStatus> {
    const chosen = this.#deps.settings.get(DEVICE_SETTING);
    const outage = this.#deps.outage?.();
    if (this.isConnected && this.#account === null) {
      try {
        const me = await this.#deps.client.me();
        this.#account = { name: me.name, isPremium: me.product === 'premium' };
      } catch (err) {
        this.#deps.log.warn({ code: (err as SpotifyError).code }, 'spotify account not read');
      }
    }
    return {
      isConnected: this.isConnected,
      account: this.isConnected ? (this.#account?.name ?? null) : null,
      isPremium: this.isConnected ? (this.#account?.isPremium ?? null) : null,
      device: typeof chosen === 'string' && chosen !== '' ? chosen : null,
      problem: this.isConnected ? (this.#deps.problem() ?? null) : null,
      problemSince: this.isConnected ? (outage?.since ?? null) : null,
      recovered: this.isConnected ? (outage?.recovered ?? null) : null,
      boxName: this.#boxName,
    };
  }

  /** Begins a sign-in: the address of Spotify's page to open. */
  begin(): { url: string } {
    const now = this.#deps.clock.now();
    for (const [state, p] of this.#pending) if (now - p.at > SIGN_IN_TTL_MS) this.#pending.delete(state);
    const { url, state, verifier } = this.#deps.auth.begin();
    this.#pending.set(state, { verifier, at: now });
    return { url };
  }

  /** Finishes a sign-in with what Spotify put on the redirect (`code` and `state`, or `error`). */
  async complete(params: { code?: string | undefined; state?: string | undefined; error?: string | undefined }): Promise<SpotifyStatus> {
    const pending = params.state === undefined ? undefined : this.#pending.get(params.state);
    if (pending === undefined || this.#deps.clock.now() - pending.at > SIGN_IN_TTL_MS) {
      throw new SpotifyError(
        'MB_ERR_SPOTIFY_AUTH',
        'Expected a sign-in begun on this box in the last 15 minutes, got another: start again',
      );
    }
    this.#pending.delete(params.state ?? '');
    if (params.error !== undefined || params.code === undefined) {
      // `access_denied` is Spotify's word for Cancel on its page.
      const why =
        params.error === 'access_denied' ? "the sign-in was cancelled on Spotify's page" : (params.error ?? 'Spotify sent no code');
      throw new SpotifyError('MB_ERR_SPOTIFY_AUTH', `Spotify was not connected: ${why}`);
    }
    await this.#deps.auth.complete(params.code, pending.verifier);
    this.#account = null;
    this.#deps.log.info({}, 'spotify connected');
    this.#deps.onAccountChanged();
    return this.status();
  }

  /** Forgets the account's tokens. */
  disconnect(): void {
    this.#deps.auth.signOut();
    this.#account = null;
    this.#deps.log.info({}, 'spotify disconnected');
    this.#deps.onAccountChanged();
  }

  /** The account's Connect devices, and which one plays. */
  async devices(): Promise<Array<SpotifyDevice & { isChosen: boolean }>> {
    this.#connected();
    const devices = await this.#deps.client.devices();
    const chosen = pickDevice(devices, this.deviceName());
    return devices.map((d) => ({ ...d, isChosen: d === chosen }));
  }

  /** Remembers the device to play on by name (names outlive device ids); null forgets it. */
  chooseDevice(name: string | null): void {
    this.#deps.settings.set(DEVICE_SETTING, name ?? '', this.#deps.clock.now());
  }

  async playlists(): Promise<SpotifyPlaylistView[]> {
    this.#connected();
    const moods = this.#moods();
    const playlists = await this.#deps.client.playlists();
    return Promise.all(
      playlists.map(async (p) => {
        const cover = p.coverUrl ? await this.#deps.cover(p.coverUrl) : null;
        return {
          id: p.id,
          name: p.name,
          owner: p.owner,
          tracks: p.tracks,
          coverUrl: cover === null ? null : `/api/covers/${encodeURIComponent(cover)}`,
          mood: moods[p.id] ?? null,
        };
      }),
    );
  }

  /** Maps a playlist to a mood, or unmaps it with null; returns the whole mapping. */
  mapPlaylist(playlistId: string, mood: string | null): Record<string, string> {
    const next = { ...this.#moods() };
    if (mood === null) delete next[playlistId];
    else next[playlistId] = moodName(mood);
    this.#deps.settings.set(PLAYLIST_MOODS_SETTING, next, this.#deps.clock.now());
    this.#deps.onAccountChanged();
    return next;
  }

  /** Playlist id → mood. */
  playlistMoods(): Record<string, string> {
    return this.#moods();
  }

  #moods(): Record<string, string> {
    const value = this.#deps.settings.get(PLAYLIST_MOODS_SETTING);
    if (typeof value !== 'object' || value === null) return {};
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  }

  #connected(): void {
    if (!this.isConnected) throw new SpotifyError('MB_ERR_SPOTIFY_AUTH', 'No Spotify account is connected: connect one first');
  }
}
