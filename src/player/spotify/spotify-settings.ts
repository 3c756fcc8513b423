import { systemClock } from '../../kernel/clock.js';
import type { SourceCheck } from '../sources/source-registry.js';
import { SpotifyAuth } from './spotify-auth.js';

/** The configuration's `spotify` section, as far as the registration reads it. */
export interface SpotifySettings {
  /** The Client ID of the owner's Spotify app; empty: Spotify is off. */
  readonly clientId: string;
  /** Where Spotify sends the browser back after the sign-in; empty: the box's own callback. */
  readonly redirectUri: string;
  /** Spotify's accounts service. */
  readonly accountsUrl: string;
}

/** The text at `key` of a settings section the registry hands over unread, or '' where there is none. */
function text(section: unknown, key: keyof SpotifySettings): string {
  const value = typeof section === 'object' && section !== null ? (section as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : '';
}

/** Whether `uri` is a redirect Spotify's sign-in can come back to on this box: `http` on 127.0.0.1 or [::1]. */
export function isLoopbackRedirect(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]');
}

/** The redirect Spotify sends the browser back to: `spotify.redirectUri`, or the box's own callback on the loopback address (`port`). */
export function spotifyRedirectUri(section: Pick<SpotifySettings, 'redirectUri'>, port: number): string {
  return section.redirectUri === '' ? `http://127.0.0.1:${port}/api/spotify/callback` : section.redirectUri;
}

/** What is wrong in the `spotify` section that its schema cannot say: a redirect Spotify could not come back to. */
export function spotifySettingsProblems(section: unknown): string[] {
  const redirect = text(section, 'redirectUri');
  if (redirect === '' || isLoopbackRedirect(redirect)) return [];
  return [
    `redirectUri: expected an http address on the box's loopback (http://127.0.0.1:<port>/api/spotify/callback, or [::1]), got \`${redirect.slice(0, 80)}\`: Spotify lets an app send the browser back over plain http only to a loopback IP, and Moodbox serves no https; leave it empty for the default`,
  ];
}

/** Whether Spotify's sign-in can be set up with these settings, as the daemon does at start (it stops the start otherwise). */
export function checkSpotify(section: unknown, box: { readonly port: number }): SourceCheck {
  const clientId = text(section, 'clientId');
  const redirectUri = spotifyRedirectUri({ redirectUri: text(section, 'redirectUri') }, box.port);
  try {
    new SpotifyAuth(
      { fetch, clock: systemClock, tokens: { load: () => undefined, save: () => {}, clear: () => {} } },
      { clientId, redirectUri, accountsUrl: text(section, 'accountsUrl') },
    );
  } catch (err) {
    return {
      status: 'fail',
      message: `these settings would stop Moodbox from starting: ${(err as Error).message}`,
      fix: 'fix spotify.clientId and spotify.redirectUri in Settings or the configuration file',
    };
  }
  return { status: 'ok', message: `Spotify app ${clientId.trim()}, back to ${redirectUri}` };
}
