import { isAbsolute, relative, resolve } from 'node:path';
import type { Log } from '../../kernel/log.js';
import { groupRecordings } from '../../player/library/recordings.js';
import type { ScanReport } from '../../player/library/scanner.js';
import type { Clock } from '../../kernel/clock.js';
import { LIBRARY_REFUSALS } from './library-refusals.js';
import type { LibraryAnalysisState } from '../events.js';
import type { Store, Track } from '../store/store.js';
import { recordAudit, type Actor } from '../store/audit.js';

/**
 * The files of `files` that lie under none of `folders` (absolute paths, compared as written: a
 * folder on a drive not mounted still holds its songs). Missing ones are left out: they have left already.
 */
export function outsideFolders<T extends { uri: string; missing: boolean }>(files: readonly T[], folders: readonly string[]): T[] {
  const roots = folders.map((folder) => resolve(folder));
  const isInside = (path: string): boolean =>
    roots.some((root) => {
      const rel = relative(root, resolve(path));
      return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
    });
  return files.filter((file) => !file.missing && !isInside(file.uri));
}

/** Marks missing the local songs under none of `folders` (absolute), and says so; returns how many left. */
export function dropOutside(deps: { store: Pick<Store, 'tracks'>; log: Pick<Log, 'info'> }, folders: readonly string[]): number {
  const outside = outsideFolders(deps.store.tracks.files('local'), folders);
  if (outside.length === 0) return 0;
  deps.store.tracks.markMissing(outside.map((file) => file.id));
  deps.log.info({ left: outside.length, folders }, 'songs left the library: their folder is no longer a music folder');
  return outside.length;
}

/**
 * Groups the library's files into recordings again (`groupRecordings`): copies of one song in two
 * folders, an MP3 beside its FLAC, a re-rip are one song, and the best file of each plays. Returns
 * how many files changed group or role; logs when any did.
 */
export function regroupRecordings(deps: { store: Pick<Store, 'tracks'>; log: Pick<Log, 'info'> }): number {
  const { tracks } = deps.store;
  const changed = tracks.applyRecordings(groupRecordings(tracks.recordingFiles()));
  if (changed > 0) deps.log.info({ changed, songs: tracks.count() }, 'copies of one recording grouped into one song');
  return changed;
}

/**
 * The owner's pick of the file that plays for its recording, audited (`library.play-file`); the
 * copies are grouped again at once. Returns the song as it is now (the picked file); the library
 * service announces the change.
 */
export function pickFile(
  deps: { store: Pick<Store, 'tracks' | 'audit'>; log: Pick<Log, 'info'>; clock: Pick<Clock, 'now'> },
  track: Track,
  actor: Actor,
): Track {
  const { tracks, audit } = deps.store;
  if (track.source !== 'local' || track.missing) throw LIBRARY_REFUSALS.noFileToPlay(track.id);
  tracks.prefer(track.id);
  regroupRecordings(deps);
  recordAudit({ audit, clock: deps.clock }, actor, 'library.play-file', {
    target: `${track.artist} – ${track.title}`,
    detail: { trackId: track.id, uri: track.uri },
  });
  return tracks.get(track.id) ?? track;
}

/** The files the scans of every folder added, updated or found missing. */
export function scanTotal(reports: readonly ScanReport[], key: 'added' | 'updated' | 'missing'): number {
  return reports.reduce((n, r) => n + r[key], 0);
}

/**
 * The analysis as the admin panel shows it between runs: of the whole library (not of the last
 * run, which may have heard 12 files of 60), the songs heard or failed on, and those failed on.
 */
export function analysisDone(coverage: { songs: number; heard: number; failed: number }): LibraryAnalysisState {
  return { running: false, done: coverage.heard + coverage.failed, total: coverage.songs, failed: coverage.failed };
}
