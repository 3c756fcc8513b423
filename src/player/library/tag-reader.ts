/** What the scanner needs from a file's tags and stream info. */
export interface AudioTags {
  title?: string;
  artist?: string;
  album?: string;
  year?: number;
  genre?: string;
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
