import type { MusicSources } from '../../player/sources/music-sources.js';
import type { SpotifyAccount } from '../../player/spotify/spotify-account.js';

/**
 * Where music comes from besides the library, and the Spotify account of a home box: the port the
 * music director and the account's routes run on; the composition root builds it.
 */
export interface MusicParts {
  sources: MusicSources;
  spotify: SpotifyAccount | undefined;
}
