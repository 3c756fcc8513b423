/**
 * Stream entries: web radio (HTTP MP3/AAC/Ogg, HLS, m3u/pls playlists) and, at home, YouTube
 * playlists and videos. They live in the library as tracks of source `stream` whose uri is the URL;
 * mpv opens them itself (it reads playlists, HLS and ICY metadata).
 */

import { ownEntryOption } from './station-guard.js';

/** The library's `source` for stream entries. */
export const STREAM_SOURCE = 'stream';

/** What a stream URL points at, for the panel: a YouTube entry needs yt-dlp and a home box. */
export type StreamKind = 'radio' | 'playlist' | 'hls' | 'youtube';

/** How long mpv waits for a stream to connect or send data before it is counted as dead (s). */
export const DEFAULT_STREAM_TIMEOUT_S = 10;

const YOUTUBE_HOSTS = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com', 'music.youtube.com', 'youtu.be', 'www.youtu.be']);

/**
 * Checks a stream URL typed by a person or read from a file: http or https, with a host, and no
 * user name or password (refused, and not shown back). Returns it normalised; throws a `TypeError` naming `field` otherwise.
 */
export function parseStreamUrl(value: unknown, field = 'url'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`\`${field}\`: expected an http or https URL, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  }
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`\`${field}\`: expected an http or https URL, got \`${shorten(text)}\` (not a URL)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`\`${field}\`: expected an http or https URL, got \`${url.protocol.replace(/:$/, '')}\` (\`${shorten(text)}\`)`);
  }
  if (url.hostname === '') throw new TypeError(`\`${field}\`: expected a URL with a host, got \`${shorten(text)}\``);
  if (url.username !== '' || url.password !== '') {
    // Never echoed back: the text holds a password.
    throw new TypeError(
      `\`${field}\`: expected a URL without a user name or password (\`user:pass@\`), got one for \`${url.host}\`; stations are stored and shown as they are, so use a station that needs no sign-in`,
    );
  }
  return url.href;
}

/** Whether `uri` is a stream entry's (an http or https URL) rather than a file of the library. */
export function isStreamUri(uri: string): boolean {
  return uri.startsWith('http://') || uri.startsWith('https://');
}

/** Whether `uri` is a YouTube video or playlist (played through mpv's ytdl hook and yt-dlp). */
export function isYouTubeUrl(uri: string): boolean {
  try {
    return YOUTUBE_HOSTS.has(new URL(uri).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/** What a stream URL points at, from its host and path. */
export function streamKind(uri: string): StreamKind {
  if (isYouTubeUrl(uri)) return 'youtube';
  const path = new URL(uri).pathname.toLowerCase();
  if (path.endsWith('.m3u8')) return 'hls';
  if (path.endsWith('.m3u') || path.endsWith('.pls')) return 'playlist';
  return 'radio';
}

/**
 * mpv's ytdl hook, for YouTube entries alone. mpv (0.35) loads the hook only at its start, so it is
 * loaded there with every URL excluded from it; a YouTube entry reaches it as `ytdl://<url>`
 * (`mpvUrl`), which the hook takes whatever it excludes. No radio URL is ever handed to yt-dlp.
 */
export const MPV_YTDL_ARGS: readonly string[] = ['--ytdl=yes', '--script-opts-append=ytdl_hook-exclude=.'];

/** What mpv opens for an entry: its uri, with `ytdl://` before a YouTube one so that yt-dlp resolves it. */
export function mpvUrl(uri: string): string {
  return isYouTubeUrl(uri) ? `ytdl://${uri}` : uri;
}

/**
 * mpv's per-file options for an entry (`loadfile`'s `options`), or undefined for a file of the
 * library. A stream gets a network timeout, so a station that never answers is given up on; a
 * YouTube entry asks for the ytdl hook (see `MPV_YTDL_ARGS`).
 */
export function mpvFileOptions(uri: string, options: { timeoutS?: number } = {}): string | undefined {
  if (!isStreamUri(uri)) return undefined;
  // Marked as Moodbox's own: the station guard then holds only the entries its playlist adds.
  const timeout = `network-timeout=${options.timeoutS ?? DEFAULT_STREAM_TIMEOUT_S}`;
  return isYouTubeUrl(uri) ? `${timeout},ytdl=yes,${ownEntryOption('youtube')}` : `${timeout},${ownEntryOption('station')}`;
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
