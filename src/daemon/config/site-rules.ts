import type { Config } from './schema.js';

/** Why a business plays only its own music: said wherever a setting is refused for it. */
export const BUSINESS_MUSIC_REASON =
  'streaming services (Spotify, YouTube) license their music for personal use only: a café or shop plays music it may play in public (its own library, or a stream licensed for it)';

/**
 * The rules between settings that a schema cannot say: a box set up for a business (`site.kind`)
 * plays only the local library, and Spotify's redirect is one it can come back to (a value that
 * would stop the start is refused when it is saved). Returns each problem as `path: message`.
 */
export function siteProblems(config: Pick<Config, 'site' | 'music'> & Partial<Pick<Config, 'spotify'>>): string[] {
  const problems: string[] = [];
  const redirect = config.spotify?.redirectUri ?? '';
  if (redirect !== '' && !isLoopbackRedirect(redirect)) {
    problems.push(
      `spotify.redirectUri: expected an http address on the box's loopback (http://127.0.0.1:<port>/api/spotify/callback, or [::1]), got \`${redirect.slice(0, 80)}\`: Spotify lets an app send the browser back over plain http only to a loopback IP, and Moodbox serves no https; leave it empty for the default`,
    );
  }
  if (config.site.kind === 'business' && config.music.source !== 'local') {
    problems.push(
      `music.source: expected \`local\` when \`site.kind\` is \`business\`, got \`${config.music.source}\`: ${BUSINESS_MUSIC_REASON}; set \`site.kind\` to \`home\` for a home`,
    );
  }
  if (config.site.kind === 'business' && config.music.youtube) {
    problems.push(
      `music.youtube: expected \`false\` when \`site.kind\` is \`business\`, got \`true\`: ${BUSINESS_MUSIC_REASON}; set \`site.kind\` to \`home\` for a home`,
    );
  }
  return problems;
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

/** The redirect Spotify sends the browser back to: `spotify.redirectUri`, or the box's own callback on the loopback address. */
export function spotifyRedirectUri(config: Pick<Config, 'spotify' | 'server'>): string {
  return config.spotify.redirectUri === '' ? `http://127.0.0.1:${config.server.port}/api/spotify/callback` : config.spotify.redirectUri;
}

/** Why a YouTube station cannot play: the box is a business's, YouTube is off, or yt-dlp is missing. */
export type YoutubeBlock = 'business' | 'off' | 'noYtDlp';

/**
 * Why a YouTube station cannot be added or played now, or undefined when it can: a business never
 * plays YouTube, a home only with `music.youtube` on and yt-dlp installed (`command -v yt-dlp`).
 * `STATION_REFUSALS.youtube` says it.
 */
export function youtubeBlock(config: Pick<Config, 'site' | 'music'>, hasYtDlp: boolean): YoutubeBlock | undefined {
  if (config.site.kind === 'business') return 'business';
  if (!config.music.youtube) return 'off';
  if (!hasYtDlp) return 'noYtDlp';
  return undefined;
}
