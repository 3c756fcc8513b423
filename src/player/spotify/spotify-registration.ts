import type { SourceRegistration } from '../sources/source-registry.js';
import { checkSpotify, spotifySettingsProblems } from './spotify-settings.js';

/** A Spotify track as the library keeps it (for the history and likes): Spotify's own source plays it, never mpv. */
const SPOTIFY_TRACK = /^spotify:track:[A-Za-z0-9]{1,64}$/;

/**
 * Spotify as the registry knows it: `spotify:` URIs, the `spotify` and `mixed` settings of
 * `music.source`, homes only and with a Spotify app (`spotify.clientId`) whose redirect is on the
 * box's loopback; guests may ask for its tracks at a home that plays it, and the doctor checks that
 * its sign-in can be set up.
 */
export const SPOTIFY_REGISTRATION = {
  kind: 'spotify',
  scheme: 'spotify:',
  label: 'Spotify',
  modes: ['spotify', 'mixed'],
  settings: 'spotify',
  isSetUp: (section: unknown): boolean =>
    typeof section === 'object' && section !== null && 'clientId' in section && section.clientId !== '',
  homesOnly: true,
  entryProblem: (uri: string): string | undefined => (SPOTIFY_TRACK.test(uri) ? undefined : 'a Spotify track is `spotify:track:<id>`'),
  guestsMayAsk: ({ isHome, mode }: { isHome: boolean; mode: string }): boolean => isHome && mode !== 'local',
  settingsProblems: spotifySettingsProblems,
  check: checkSpotify,
} as const satisfies SourceRegistration;
