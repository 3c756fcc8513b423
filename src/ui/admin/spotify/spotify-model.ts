import type { SpotifyStatus } from '../../data/admin-api.js';
import type { AdminKey } from '../admin-i18n.js';

/** The Spotify page's words and readings of the daemon's answers: pure, no element. */

/** The built-in moods, with the room each plays for under the default mapping (its message). */
export const MOODS: ReadonlyArray<readonly [string, AdminKey]> = [
  ['calm', 'admin.spotify.room.calm'],
  ['upbeat', 'admin.spotify.room.upbeat'],
  ['mellow', 'admin.spotify.room.mellow'],
  ['uplifting', 'admin.spotify.room.uplifting'],
  ['energetic', 'admin.spotify.room.energetic'],
  ['power', 'admin.spotify.room.power'],
];

/** What each `music.source` plays, in the owner's words (its message). */
export const SOURCES: Readonly<Record<string, AdminKey>> = {
  local: 'admin.spotify.source.local',
  spotify: 'admin.spotify.source.spotify',
  mixed: 'admin.spotify.source.mixed',
};

/** What the status line says: Spotify plays, the library plays instead, Spotify came back, or Spotify is not chosen. */
export function stateOf(s: SpotifyStatus): 'local' | 'fallback' | 'recovered' | 'playing' {
  if (s.source === 'local') return 'local';
  if (s.problem !== null) return 'fallback';
  if (s.recovered !== null) return 'recovered';
  return 'playing';
}

/** The configuration's `site.kind`, and where Spotify sends a sign-in back to (the box's own callback unless set). */
export function siteOf(config: Record<string, unknown>): { kind: string; redirect: string } {
  const section = (key: string): Record<string, unknown> => {
    const value = config[key];
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  };
  const kind = section('site')['kind'];
  const redirect = section('spotify')['redirectUri'];
  const port = section('server')['port'];
  return {
    kind: typeof kind === 'string' ? kind : 'business',
    redirect:
      typeof redirect === 'string' && redirect !== ''
        ? redirect
        : `http://127.0.0.1:${typeof port === 'number' ? port : 8080}/api/spotify/callback`,
  };
}

/** Spotify device names as people see them: case and spaces at the ends do not count. */
export function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The daemon's reasons are lowercase fragments; on the page they are sentences. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  const upper = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(upper) ? upper : `${upper}.`;
}
