/**
 * The music's real adapters, built for the composition root (`main.ts`, and `moodbox library
 * analyze`): the library's analysis in a child process, and where music comes from: the library
 * through mpv, and on a home box with a Spotify app configured, Spotify through a Connect device,
 * behind one player.
 */
import { hostname } from 'node:os';
import type { LiveConfig } from '../config/live-config.js';
import { coversDir } from '../config/paths.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { Service } from '../../kernel/lifecycle.js';
import { seededRandom } from '../../kernel/random.js';
import type { Logger } from '../logging.js';
import type { MusicParts } from '../music/music-parts.js';
import type { Store } from '../store/store.js';
import { ANALYSIS_VERSION, moodsFromPlane } from '../../player/analysis/analyze-audio.js';
import { ForkedAnalysisWorker } from '../../player/library/analysis-worker.js';
import { LibraryAnalyzer, type AnalysisStore } from '../../player/library/library-analyzer.js';
import type { Player } from '../../player/player.js';
import { MusicSources } from '../../player/sources/music-sources.js';
import { SOURCES } from '../../player/sources/registered-sources.js';
import { SourcePlayer } from '../../player/sources/source-player.js';
import { SecretTokenStore } from '../../player/spotify/secret-token-store.js';
import { SpotifyAccount } from '../../player/spotify/spotify-account.js';
import { SpotifyAuth } from '../../player/spotify/spotify-auth.js';
import { SpotifyConnectPlayer } from '../../player/spotify/spotify-connect-player.js';
import { SpotifyLibrary } from '../../player/spotify/spotify-library.js';
import { SPOTIFY_REGISTRATION } from '../../player/spotify/spotify-registration.js';
import { spotifyRedirectUri } from '../../player/spotify/spotify-settings.js';
import { SpotifySource } from '../../player/spotify/spotify-source.js';
import { SpotifyWebClient } from '../../player/spotify/spotify-web-client.js';

/**
 * The analysis of the library: in a child process (niced, its own heap bound), so the daemon's
 * memory stays as it is while a library is analysed.
 */
export function libraryAnalyzer(store: AnalysisStore, deps: { clock: Clock; log?: Pick<Logger, 'info' | 'warn'> }): LibraryAnalyzer {
  return new LibraryAnalyzer(
    { store, worker: new ForkedAnalysisWorker(), clock: deps.clock, moodsFromPlane, ...(deps.log === undefined ? {} : { log: deps.log }) },
    { version: ANALYSIS_VERSION },
  );
}

/**
 * The player the music plays through and where music comes from. Spotify is built only where the
 * registry lets it play (a home, `site.kind`, with a Spotify app, `spotify.clientId`);
 * `music.source` is read live, so the admin may switch between the library and Spotify without a
 * restart.
 */
export function musicParts(
  config: Config,
  deps: { local: Player & Service; store: Store; settings: LiveConfig; clock: Clock; log: Logger },
): { player: Player & Service; music: MusicParts } {
  const mode = () => deps.settings.current.music.source;
  const usable = SOURCES.usable({ isHome: config.site.kind === 'home' }, config);
  if (!usable.includes(SPOTIFY_REGISTRATION)) {
    return { player: deps.local, music: { sources: new MusicSources({ sources: [], mode }), spotify: undefined } };
  }
  const { store, clock } = deps;
  const log = deps.log.child({ module: SPOTIFY_REGISTRATION.kind });
  const auth = new SpotifyAuth(
    { fetch, clock, tokens: new SecretTokenStore({ secrets: store.secrets, now: () => clock.now() }) },
    {
      clientId: config.spotify.clientId,
      redirectUri: spotifyRedirectUri(config.spotify, config.server.port),
      accountsUrl: config.spotify.accountsUrl,
    },
  );
  const client = new SpotifyWebClient({ fetch, clock, auth, log }, { apiUrl: config.spotify.apiUrl });
  const library = new SpotifyLibrary({ rows: store.tracks, fetch, log }, { coversDir: coversDir(config) });
  const connect = new SpotifyConnectPlayer(
    {
      client,
      clock,
      log,
      track: (track, context) => library.track(track, account.playlistMoods()[context?.replace('spotify:playlist:', '') ?? ''] ?? null),
      deviceName: () => account.deviceName(),
      isConnected: () => auth.isSignedIn,
    },
    { pollMs: config.spotify.pollMs, volume: Math.min(config.player.volume, config.player.maxVolume), maxVolume: config.player.maxVolume },
  );
  // The player asks the account (device, playlist moods) only while running, after both are built.
  const account: SpotifyAccount = new SpotifyAccount(
    {
      auth,
      client,
      settings: store.settings,
      clock,
      log,
      cover: (url) => library.cover(url),
      problem: () => connect.problem(),
      outage: () => connect.outage(),
      onAccountChanged: () => connect.accountChanged(),
    },
    { boxName: hostname() },
  );
  const source = new SpotifySource({
    playback: connect,
    client,
    playlists: () => account.playlistMoods(),
    random: seededRandom(clock.now()),
  });
  return {
    player: new SourcePlayer({
      local: deps.local,
      routes: [{ scheme: SPOTIFY_REGISTRATION.scheme, player: connect }],
      log: deps.log.child({ module: 'player' }),
    }),
    music: { sources: new MusicSources({ sources: [source], mode }), spotify: account },
  };
}
