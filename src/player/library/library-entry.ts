import { isAbsolute } from 'node:path';
import { SOURCES } from '../sources/registered-sources.js';
import { parseStreamUrl, STREAM_SOURCE } from '../streams/stream-url.js';

/**
 * Why the player cannot play a library entry of `source` with `uri`, as today's rules store it, or
 * undefined when it can:
 * - `local`: a file, by its absolute path; never a URL (mpv would open `gopher://` or `http://` as one);
 * - `stream` (a station): an http or https URL written exactly as `parseStreamUrl` writes it (not
 *   `HTTP://…`, not a path, no user name or password);
 * - a registered source (`registered-sources.ts`): as it says (Spotify: `spotify:track:<id>`);
 * - any other source: nothing plays it.
 * An entry written straight into the database (a restored backup, an older version) is checked here
 * before it plays, whatever checks let it in.
 */
export function entryProblem(entry: { source: string; uri: string }): string | undefined {
  const { source, uri } = entry;
  switch (source) {
    case 'local':
      return isAbsolute(uri) && !uri.includes('\0') ? undefined : 'a song of the library is a file by its absolute path';
    case STREAM_SOURCE: {
      let url: string;
      try {
        url = parseStreamUrl(uri);
      } catch (err) {
        return (err as Error).message;
      }
      return url === uri ? undefined : 'a station is kept as its address is written once checked (`http://` or `https://`, in lower case)';
    }
    default: {
      const registered = SOURCES.byKind(source);
      return registered === undefined ? 'no source of the music plays this kind of entry' : registered.entryProblem(uri);
    }
  }
}
