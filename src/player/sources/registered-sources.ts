import { SPOTIFY_REGISTRATION } from '../spotify/spotify-registration.js';
import { SourceRegistry } from './source-registry.js';

/**
 * The music sources besides the library, in the order the music asks them: a new source is its own
 * folder and one more entry here (docs/music-sources.md).
 */
export const REGISTERED_SOURCES = [SPOTIFY_REGISTRATION] as const;

/** A source's name (the library's `source` column): the library's `local`, or a registered one's. */
export type MusicSourceKind = 'local' | (typeof REGISTERED_SOURCES)[number]['kind'];

/** A `music.source` setting: `local` (the library alone), or one a registered source brings. */
export type MusicSourceMode = 'local' | (typeof REGISTERED_SOURCES)[number]['modes'][number];

/** The registry of the box's sources, which the core, the guests, Home Assistant and the settings ask. */
export const SOURCES = new SourceRegistry(REGISTERED_SOURCES);

/** Every `music.source` setting, `local` first, each once. */
export const MUSIC_SOURCE_MODES = SOURCES.modes as readonly MusicSourceMode[];
