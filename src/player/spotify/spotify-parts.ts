import type { Clock } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import { seededRandom } from '../../kernel/random.js';
import { SecretTokenStore, type SecretStore } from './secret-token-store.js';
import { SpotifyAccount, type SpotifyAccountDeps } from './spotify-account.js';
import { SpotifyAuth } from './spotify-auth.js';
import { SpotifyConnectPlayer } from './spotify-connect-player.js';
import { SpotifyLibrary, type SpotifyTrackRows } from './spotify-library.js';
import { spotifyRedirectUri, type SpotifySettings } from './spotify-settings.js';
import { SpotifySource } from './spotify-source.js';
import { SpotifyWebClient } from './spotify-web-client.js';

/** What the box hands Spotify: where its tokens, tracks and playlist moods are kept, its clock and log. */
export interface SpotifyPartsDeps {
  secrets: SecretStore;
  rows: SpotifyTrackRows;
  settings: SpotifyAccountDeps['settings'];
  fetch: typeof fetch;
  clock: Clock;
  log: Log;
}

/** Spotify's settings (the `spotify` section) and what it needs of the box's. */
export interface SpotifyPartsOptions {
  spotify: SpotifySettings & { readonly apiUrl: string; readonly pollMs: number };
  /** The port the box serves on: its own callback's (`/api/spotify/callback`). */
  port: number;
  /** Where covers are kept. */
  coversDir: string;
  /** The volume to start at, and the ceiling. */
  volume: number;
  maxVolume: number;
  /** The box's name: a Connect device named so is preferred. */
  boxName: string;
}

/** Spotify as the box plays it: its source for the music, its Connect player for `spotify:` URIs, and its account for the panel. */
export interface SpotifyParts {
  source: SpotifySource;
  player: SpotifyConnectPlayer;
  account: SpotifyAccount;
}

/**
 * Builds Spotify for a box where it may play: the sign-in (its tokens in the secrets store), the
 * Web API client, the library rows and covers of its tracks, the Connect player, the account and
 * the source that picks the playlist mapped to the room's mood.
 */
export function spotifyParts(deps: SpotifyPartsDeps, options: SpotifyPartsOptions): SpotifyParts {
  const { fetch, clock, log } = deps;
  const { spotify } = options;
  const auth = new SpotifyAuth(
    { fetch, clock, tokens: new SecretTokenStore({ secrets: deps.secrets, now: () => clock.now() }) },
    { clientId: spotify.clientId, redirectUri: spotifyRedirectUri(spotify, options.port), accountsUrl: spotify.accountsUrl },
  );
  const client = new SpotifyWebClient({ fetch, clock, auth, log }, { apiUrl: spotify.apiUrl });
  const library = new SpotifyLibrary({ rows: deps.rows, fetch, log }, { coversDir: options.coversDir });
  const player = new SpotifyConnectPlayer(
    {
      client,
      clock,
      log,
      track: (track, context) => library.track(track, account.playlistMoods()[context?.replace('spotify:playlist:', '') ?? ''] ?? null),
      deviceName: () => account.deviceName(),
      isConnected: () => auth.isSignedIn,
    },
    { pollMs: spotify.pollMs, volume: options.volume, maxVolume: options.maxVolume },
  );
  // The player asks the account (device, playlist moods) only while running, after both are built.
  const account: SpotifyAccount = new SpotifyAccount(
    {
      auth,
      client,
      settings: deps.settings,
      clock,
      log,
      cover: (url) => library.cover(url),
      problem: () => player.problem(),
      outage: () => player.outage(),
      onAccountChanged: () => player.accountChanged(),
    },
    { boxName: options.boxName },
  );
  const source = new SpotifySource({
    playback: player,
    client,
    playlists: () => account.playlistMoods(),
    random: seededRandom(clock.now()),
  });
  return { source, player, account };
}
