/**
 * The music's real adapters, built for the composition root (`main.ts`, and `moodbox library
 * analyze`): the library's analysis in a child process, and where music comes from: the library
 * through mpv, and where the registry lets Spotify play (a home with a Spotify app), Spotify as its
 * folder builds it (`player/spotify/spotify-parts.ts`), through a Connect device, behind one player.
 */
import { hostname } from 'node:os';
import type { LiveConfig } from '../config/live-config.js';
import { coversDir } from '../config/paths.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { Service } from '../../kernel/lifecycle.js';
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
import { SPOTIFY_REGISTRATION } from '../../player/spotify/spotify-registration.js';
import { spotifyParts } from '../../player/spotify/spotify-parts.js';

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
  const spotify = spotifyParts(
    {
      secrets: store.secrets,
      rows: store.tracks,
      settings: store.settings,
      fetch,
      clock,
      log: deps.log.child({ module: SPOTIFY_REGISTRATION.kind }),
    },
    {
      spotify: config.spotify,
      port: config.server.port,
      coversDir: coversDir(config),
      volume: Math.min(config.player.volume, config.player.maxVolume),
      maxVolume: config.player.maxVolume,
      boxName: hostname(),
    },
  );
  return {
    player: new SourcePlayer({
      local: deps.local,
      routes: [{ scheme: SPOTIFY_REGISTRATION.scheme, player: spotify.player }],
      log: deps.log.child({ module: 'player' }),
    }),
    music: { sources: new MusicSources({ sources: [spotify.source], mode }), spotify: spotify.account },
  };
}
