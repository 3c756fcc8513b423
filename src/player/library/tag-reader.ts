/**
 * The most characters (code points) each text tag keeps: a file's tags are untrusted, and a title
 * of 100,000 characters is no title.
 */
export const TAG_TEXT_LIMITS = { title: 300, artist: 300, album: 300, genre: 100, language: 32, mood: 100 } as const;

/**
 * Language codes (ISO 639-2) that name no language a person could prefer: no words (`zxx`, an
 * instrumental), undetermined, several, uncoded. A file tagged with one has no language here.
 */
export const NOT_A_LANGUAGE: ReadonlySet<string> = new Set(['zxx', 'und', 'mul', 'mis']);

/**
 * What the scanner needs from a file's tags and stream info. Each text is readable (`readableText`
 * from `kernel/visible-text.ts`: no control, direction override or line break, NFC, trimmed), not
 * empty, and at most its `TAG_TEXT_LIMITS` long; a tag with nothing left is left out.
 */
export interface AudioTags {
  title?: string;
  artist?: string;
  album?: string;
  year?: number;
  genre?: string;
  /** Never one of `NOT_A_LANGUAGE`. */
  language?: string;
  /** Beats per minute, when tagged. */
  bpm?: number;
  /** A free-text mood tag (ID3 TMOO, Vorbis MOOD), when tagged. */
  mood?: string;
  /** Duration in ms. */
  durationMs: number;
  /** Track ReplayGain in dB. */
  replayGainDb?: number;
  /** iTunes' content advisory: explicit (true) or clean (false); left out when the tags say nothing. */
  explicit?: boolean;
  /** The MusicBrainz recording id (a UUID, lower case), when tagged. */
  recordingMbid?: string;
  /** The first embedded picture. */
  picture?: { mime: string; data: Uint8Array };
}

export interface ReadOptions {
  /** Stops the read at once (the scan was stopped, the daemon shuts down): it then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Reads tags from audio files. */
export interface TagReader {
  /**
   * Reads the tags of the file at `path` (absolute). MUST reject when the file cannot be read or is
   * not audio it can make sense of (no stream, no duration): such files are skipped by the scanner.
   */
  read(path: string, options?: ReadOptions): Promise<AudioTags>;
}
