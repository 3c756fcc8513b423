/**
 * What a scan reads under a music folder: the audio files Moodbox plays, and the music files of
 * formats it does not play (named in the scan's report rather than passed over).
 */
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** File extensions the scanner reads (lowercase, with the dot). */
export const AUDIO_EXTENSIONS: readonly string[] = [
  '.mp3',
  '.flac',
  '.ogg',
  '.oga',
  '.opus',
  '.m4a',
  '.aac',
  '.wav',
  '.aif',
  '.aiff',
  '.wv',
  '.ape',
  '.mpc',
  '.wma',
];

/**
 * Music files Moodbox does not play (lowercase extension → what it is): tracker modules, MIDI, the
 * sound chips' formats, DSD, RealAudio. A scan names each, rather than passing it over unsaid.
 */
const UNSUPPORTED_MUSIC: Readonly<Record<string, string>> = {
  '.mod': 'a tracker module',
  '.xm': 'a tracker module',
  '.s3m': 'a tracker module',
  '.it': 'a tracker module',
  '.mptm': 'a tracker module',
  '.mo3': 'a tracker module',
  '.umx': 'a tracker module',
  '.mid': 'MIDI',
  '.midi': 'MIDI',
  '.kar': 'MIDI karaoke',
  '.rmi': 'MIDI',
  '.sid': 'a C64 tune',
  '.nsf': 'an NES tune',
  '.spc': 'an SNES tune',
  '.vgm': 'a sound chip log',
  '.dsf': 'DSD audio',
  '.dff': 'DSD audio',
  '.ra': 'RealAudio',
  '.rm': 'RealAudio',
};

/** Why a scan skips `path`, a music file of a format Moodbox does not play. */
export function unsupportedFormat(path: string): string {
  const ext = extname(path).toLowerCase();
  return `not a format Moodbox plays (${ext}, ${UNSUPPORTED_MUSIC[ext] ?? 'unknown'}): convert it to FLAC, Ogg or MP3 to hear it`;
}

/**
 * Every audio file under `root`, and every music file of a format Moodbox does not play, each
 * sorted; hidden files and folders are left out.
 */
export async function listAudioFiles(root: string, signal: AbortSignal | undefined): Promise<{ audio: string[]; unsupported: string[] }> {
  const audio: string[] = [];
  const unsupported: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    signal?.throwIfAborted();
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (!entry.isFile()) continue;
      else if (AUDIO_EXTENSIONS.includes(extname(entry.name).toLowerCase())) audio.push(path);
      else if (UNSUPPORTED_MUSIC[extname(entry.name).toLowerCase()] !== undefined) unsupported.push(path);
    }
  };
  await walk(root);
  return { audio: audio.sort(), unsupported: unsupported.sort() };
}
