/**
 * The Spotify Web API as Moodbox uses it. Spotify removed recommendations, audio features and
 * previews for new apps (Nov 2024), so moods come from Moodbox's own mapping of playlists to moods.
 */

export interface SpotifyTrack {
  id: string;
  /** `spotify:track:…` */
  uri: string;
  name: string;
  artists: string[];
  album: string;
  durationMs: number;
  /** The album cover's address (the largest image), when it has one. */
  coverUrl?: string | null;
}

/** What plays on the account now (`GET /v1/me/player`). */
export interface SpotifyPlaybackState {
  deviceId: string | null;
  deviceName: string | null;
  isPlaying: boolean;
  /** ms into the track. */
  progressMs: number;
  /** `spotify:playlist:…` when a playlist plays. */
  contextUri: string | null;
  /** The track, or null (nothing, an ad, an episode). */
  track: SpotifyTrack | null;
  /** 0–100, when the device has a volume. */
  volumePercent: number | null;
}

/** The signed-in account (`GET /v1/me`). */
export interface SpotifyAccountInfo {
  id: string;
  name: string;
  /** `premium` is needed to control playback. */
  product: string;
}

export interface SpotifyPlaylist {
  id: string;
  /** `spotify:playlist:…` */
  uri: string;
  name: string;
  owner: string;
  tracks: number;
  /** The playlist's cover address, when it has one. */
  coverUrl?: string | null;
}

/** A Spotify Connect device: mpv cannot play Spotify, so a Connect device does. */
export interface SpotifyDevice {
  /** Null for devices Spotify will not let the Web API control. */
  id: string | null;
  name: string;
  type: string;
  isActive: boolean;
  isRestricted: boolean;
  /** 0–100, or null when the device has no volume control. */
  volumePercent: number | null;
}

/**
 * The signed-in Spotify account. Every method MAY reject with a `SpotifyError`:
 * `MB_ERR_SPOTIFY_UNREACHABLE` (network; play the local library instead), `MB_ERR_SPOTIFY_AUTH`
 * (sign in again), `MB_ERR_SPOTIFY_RATE_LIMITED`, `MB_ERR_SPOTIFY_NO_DEVICE`, `MB_ERR_SPOTIFY_API`.
 */
export interface SpotifyClient {
  /** The account's playlists (all pages). */
  playlists(): Promise<SpotifyPlaylist[]>;
  /** The tracks of a playlist (all pages; episodes and local files left out). */
  playlistTracks(playlistId: string): Promise<SpotifyTrack[]>;
  /** Tracks matching `query`; Spotify returns at most 10 per page. */
  search(query: string, options?: { limit?: number }): Promise<SpotifyTrack[]>;
  /** The account's Connect devices. */
  devices(): Promise<SpotifyDevice[]>;
  /** Moves playback to `deviceId`; `play` starts it there. */
  transfer(deviceId: string, options?: { play?: boolean }): Promise<void>;
  /** Starts or resumes playback: given tracks, a playlist (`contextUri`), or what was playing. */
  play(options?: { deviceId?: string; uris?: readonly string[]; contextUri?: string }): Promise<void>;
  /** The signed-in account and its subscription. */
  me(): Promise<SpotifyAccountInfo>;
  /** What plays now, or null when nothing is active on the account (204). */
  playbackState(): Promise<SpotifyPlaybackState | null>;
  /** Skips to the next track of what plays. */
  next(): Promise<void>;
  /** Pauses playback. */
  pause(): Promise<void>;
  /** Sets the device's volume, 0–100. */
  setVolume(percent: number): Promise<void>;
  /** Saves tracks (`spotify:track:…` ids) to the account's library: a like. */
  saveTracks(ids: readonly string[]): Promise<void>;
}

/** Tokens from Spotify's token endpoint. They MUST never be logged. */
export interface SpotifyTokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires, ms since the Unix epoch. */
  expiresAt: number;
  scope: string;
}

/** Where the tokens are kept (the database's secrets). */
export interface TokenStore {
  load(): SpotifyTokens | undefined;
  save(tokens: SpotifyTokens): void;
  clear(): void;
}
