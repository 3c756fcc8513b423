import type { LibraryAnalysisState, LibraryScanState, MoodboxBus } from '../events.js';
import type { Clock } from '../../kernel/clock.js';
import { MoodboxError } from '../../kernel/errors.js';
import { LIBRARY_REFUSALS } from './library-refusals.js';
import type { Log } from '../../kernel/log.js';
import { analysisDone, dropOutside, pickFile, regroupRecordings, scanTotal } from './library-folders.js';
import { tracksLine } from '../../kernel/health-words.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import type { AnalysisProgress, AnalysisReport } from '../../player/library/library-analyzer.js';
import type { ScanProgress, ScanReport } from '../../player/library/scanner.js';
import { DEFAULT_EMOTION_MOODS, knownMoods } from '../../player/moods.js';
import type { Store, Track, TrackMood } from '../store/store.js';
import { recordAudit, type Actor } from '../store/audit.js';

/** Progress is pushed to the UIs at most this often (ms). */
const PROGRESS_EVERY_MS = 200;
/** Files that could not be read, listed in the state (the full list is in the log). */
const FAILED_SHOWN = 20;
/** While analysing, the music picks from the new moods after this many tracks' moods changed (and at the end). */
const RELOAD_EVERY_CHANGES = 100;
const NOT_ANALYSING: LibraryAnalysisState = { running: false, done: 0, total: 0, failed: 0 };

/** The scanner as the library service drives it (`LibraryScanner` fits). */
export interface Scanner {
  scan(dir: string, options?: { signal?: AbortSignal; onProgress?: (progress: ScanProgress) => void }): Promise<ScanReport>;
}

/** The analysis of the library as the library service drives it (`LibraryAnalyzer` fits). */
export interface Analyzer {
  /** How many files a run would analyse now. */
  pendingCount(options?: { force?: boolean }): number;
  /** The library's songs, and how many the analysis heard or failed on. */
  coverage(): { songs: number; heard: number; failed: number };
  analyze(options?: { force?: boolean; signal?: AbortSignal; onProgress?: (progress: AnalysisProgress) => void }): Promise<AnalysisReport>;
}

export interface LibraryServiceDeps {
  scanner: Scanner;
  /** Analyses the local files after each scan (and at start what is left); left out, none is. */
  analyzer?: Analyzer | undefined;
  clock: Clock;
  log: Log;
  bus: MoodboxBus;
  /** Tracks in the library now. */
  count: () => number;
  /** The folders to scan (absolute). */
  folders: () => readonly string[];
  /** The tracks and their mood tags, the emotion → mood table (the moods a track may have), and the audit log. */
  store: Pick<Store, 'tracks' | 'settings' | 'audit' | 'transaction'>;
}

/**
 * Keeps the library in step with the music folders: a scan at start (in the background, so the
 * music can start from what is already known) and on request from the admin panel, one at a time,
 * with its progress announced (`libraryScanChanged`), and `libraryChanged` when the tracks changed.
 * Unreadable files are listed, never fatal.
 */
export class LibraryService implements Service {
  readonly name = 'library';
  readonly #deps: LibraryServiceDeps;
  readonly #scanAtStart: boolean;
  #scan: Promise<ScanReport[]> | undefined;
  #abort: AbortController | undefined;
  #lastProgressAt = Number.NEGATIVE_INFINITY;
  #lastError: string | undefined;
  #analysis: Promise<AnalysisReport | undefined> | undefined;
  #again: Promise<AnalysisReport | undefined> | undefined;
  #analysisAbort: AbortController | undefined;
  #isAgainForced = false;
  #state: LibraryScanState = { scanning: false, done: 0, total: 0, tracks: 0, lastScan: null, analysis: NOT_ANALYSING };

  constructor(deps: LibraryServiceDeps, options: { scanAtStart: boolean }) {
    this.#deps = deps;
    this.#scanAtStart = options.scanAtStart;
  }

  async start(): Promise<void> {
    const bus = this.#deps.bus;
    // The stations are tracks too: the library changes with them.
    bus.on('stationsChanged', () => bus.emit('libraryChanged', { tracks: this.#deps.count(), why: 'stations' }), this);
    // A music folder saved in the panel is scanned at once: its songs play without a restart.
    bus.on('settingsChanged', ({ changed }) => void (changed.includes('library.folders') && this.#scanAgain()), this);
    this.#publish({ scanning: false, done: 0, total: 0 });
    // A scan analyses what it finds; without one, what an earlier run left is analysed now.
    if (this.#scanAtStart) this.scan().catch(() => undefined);
    else this.analyze().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.#abort?.abort(new Error('Moodbox is stopping'));
    this.#analysisAbort?.abort(new Error('Moodbox is stopping'));
    await this.#scan?.catch(() => undefined);
    await this.#analysis?.catch(() => undefined);
    this.#analysisAbort?.abort(new Error('Moodbox is stopping'));
    await this.#again?.catch(() => undefined);
  }

  health(): ServiceHealth {
    const count = this.#deps.count();
    if (this.#lastError !== undefined) return { status: 'degraded', detail: this.#lastError };
    const doing = this.#scan !== undefined ? 'scanning' : this.#analysis !== undefined ? 'analysing' : null;
    return { status: 'ready', ...tracksLine(count, doing) };
  }

  get isScanning(): boolean {
    return this.#scan !== undefined;
  }

  get isAnalysing(): boolean {
    return this.#analysis !== undefined;
  }

  /**
   * Analyses the local files not analysed yet (with `force`, all of them) in the background, one at
   * a time in a child process; resolves with its report, or undefined without an analyzer. A run
   * already going is joined (a forced request waits for it and then runs again).
   */
  analyze(options: { force?: boolean } = {}): Promise<AnalysisReport | undefined> {
    const analyzer = this.#deps.analyzer;
    if (analyzer === undefined) return Promise.resolve(undefined);
    if (this.#analysis !== undefined) {
      // Files a scan found (or a forced run) are done in one more run once this one ends.
      this.#isAgainForced ||= options.force === true;
      this.#again ??= this.#analysis
        .catch(() => undefined)
        .then(() => {
          const force = this.#isAgainForced;
          this.#again = undefined;
          this.#isAgainForced = false;
          return this.analyze({ force });
        });
      return this.#again;
    }
    this.#analysis = this.#runAnalysis(analyzer, options.force === true).finally(() => {
      this.#analysis = undefined;
      this.#analysisAbort = undefined;
    });
    return this.#analysis;
  }

  async #runAnalysis(analyzer: Analyzer, force: boolean): Promise<AnalysisReport> {
    // Nothing new: the state says what the analysis has done of the whole library (after a restart, a scan of copies).
    if (analyzer.pendingCount({ force }) === 0) {
      this.#publishAnalysis(analysisDone(analyzer.coverage()));
      return { total: 0, analysed: 0, failed: [], moodsChanged: 0, stopped: false, ms: 0 };
    }
    const abort = new AbortController();
    this.#analysisAbort = abort;
    let changedSinceReload = 0;
    this.#publishAnalysis({ running: true, done: 0, total: 0, failed: 0 });
    try {
      const report = await analyzer.analyze({
        force,
        signal: abort.signal,
        onProgress: (p) => {
          this.#progressAnalysis(p);
          changedSinceReload++;
          if (changedSinceReload >= RELOAD_EVERY_CHANGES) {
            changedSinceReload = 0;
            this.#deps.bus.emit('libraryChanged', { tracks: this.#deps.count(), why: 'analysis' });
          }
        },
      });
      // New prints may show copies whose tags differ; emitted even when no mood changed: the music counts what is analysed.
      const regrouped = report.analysed > 0 ? regroupRecordings(this.#deps) : 0;
      this.#publishAnalysis(analysisDone(analyzer.coverage()));
      if (report.analysed + regrouped + report.failed.length + report.moodsChanged > 0)
        this.#deps.bus.emit('libraryChanged', { tracks: this.#deps.count(), why: 'analysis' });
      return report;
    } catch (err) {
      this.#deps.log.error({ err }, 'cannot analyse the library');
      this.#publishAnalysis({ ...this.#state.analysis, running: false });
      throw err;
    }
  }

  #progressAnalysis(p: AnalysisProgress): void {
    const now = this.#deps.clock.monotonic();
    if (now - this.#lastProgressAt < PROGRESS_EVERY_MS && p.done < p.total) return;
    this.#lastProgressAt = now;
    this.#publishAnalysis({ running: true, done: p.done, total: p.total, failed: p.failed });
  }

  #publishAnalysis(analysis: LibraryAnalysisState): void {
    this.#state = { ...this.#state, analysis };
    this.#deps.bus.emit('libraryScanChanged', this.#state);
  }

  /** The library and its scan now. */
  get state(): LibraryScanState {
    return this.#state;
  }

  /** The moods tracks may be tagged with: those of the emotion → mood table. */
  knownMoods(): string[] {
    return knownMoods(DEFAULT_EMOTION_MOODS);
  }

  /**
   * Replaces `trackId`'s mood tags for `actor` (audited `track.moods`); the music picks from them at
   * once (`libraryChanged`). A mood the track does not have yet must be known (400 naming it); each once.
   */
  setMoods(trackId: number, moods: ReadonlyArray<{ mood: string; weight: number }>, actor: Actor): Track {
    const { tracks } = this.#deps.store;
    const track = this.#track(trackId);
    const had = new Set(tracks.moods(trackId).map((m) => m.mood));
    this.#mustKnow(moods.map((m) => m.mood).filter((m) => !had.has(m)));
    const seen = new Set<string>();
    for (const { mood } of moods) {
      if (seen.has(mood)) throw LIBRARY_REFUSALS.moodTwice(mood);
      seen.add(mood);
    }
    this.#deps.store.transaction(() => {
      tracks.setMoods(
        trackId,
        moods.map((m) => ({ mood: m.mood, weight: m.weight, origin: 'admin' as const })),
      );
      recordAudit({ audit: this.#deps.store.audit, clock: this.#deps.clock }, actor, 'track.moods', {
        target: `${track.artist} - ${track.title}`,
        detail: { moods: moods.map((m) => m.mood) },
      });
    });
    this.#edited();
    return track;
  }

  /**
   * Adds moods to (at full weight) and removes moods from several tracks at once, for `actor`
   * (audited): every change lands or none. 400 naming a mood to add that is not known, 404 naming
   * the first track that does not exist.
   */
  editMoods(change: { trackIds: readonly number[]; add: readonly string[]; remove: readonly string[] }, actor: Actor): Track[] {
    const { trackIds, add, remove } = change;
    const { tracks: repository } = this.#deps.store;
    if (add.length === 0 && remove.length === 0) throw LIBRARY_REFUSALS.moodNeither();
    const both = add.find((m) => remove.includes(m));
    if (both !== undefined) throw LIBRARY_REFUSALS.moodBoth(both);
    this.#mustKnow(add);
    const tracks = trackIds.map((id) => this.#track(id));
    this.#deps.store.transaction(() => {
      for (const track of tracks) {
        const kept: TrackMood[] = repository.moods(track.id).filter((m) => !remove.includes(m.mood) && !add.includes(m.mood));
        repository.setMoods(track.id, [...kept, ...add.map((mood) => ({ mood, weight: 1, origin: 'admin' as const }))]);
      }
      recordAudit({ audit: this.#deps.store.audit, clock: this.#deps.clock }, actor, 'track.moods', {
        target: `${tracks.length} track${tracks.length === 1 ? '' : 's'}`,
        detail: { add, remove, tracks: trackIds.length },
      });
    });
    this.#edited();
    return tracks;
  }

  /** The owner's pick of the file that plays for its recording (any of its copies may be named), audited. */
  playFile(trackId: number, actor: Actor): Track {
    const track = pickFile(this.#deps, this.#track(trackId), actor);
    this.#edited();
    return track;
  }

  /** `id`'s track, or 404. */
  #track(id: number): Track {
    const track = this.#deps.store.tracks.get(id);
    if (track === undefined) throw LIBRARY_REFUSALS.noTrack(id);
    return track;
  }

  /** Throws, naming the first mood of `added` that is not known. */
  #mustKnow(added: Iterable<string>): void {
    const moods = this.knownMoods();
    for (const mood of added) {
      if (!moods.includes(mood)) throw LIBRARY_REFUSALS.unknownMood(mood, moods);
    }
  }

  /** An admin changed the library (mood tags): the music picks from it at once. */
  #edited(): void {
    this.#deps.bus.emit('libraryChanged', { tracks: this.#deps.count(), why: 'edit' });
  }

  /**
   * A rescan asked for by `actor` (staff, a fleet operator), audited (`library.scan`, and whether it
   * joined a scan already running); it runs on, and its progress and outcome are announced.
   */
  rescan(actor: Actor): { joined: boolean } {
    const joined = this.isScanning;
    // Not awaited: the scan logs and publishes its own outcome.
    this.scan().catch(() => undefined);
    recordAudit({ audit: this.#deps.store.audit, clock: this.#deps.clock }, actor, 'library.scan', { detail: { joined } });
    return { joined };
  }

  /**
   * Scans every music folder; resolves with one report per folder. A scan already running is
   * joined rather than started twice.
   */
  scan(): Promise<ScanReport[]> {
    this.#scan ??= this.#run().finally(() => {
      this.#scan = undefined;
      this.#abort = undefined;
    });
    return this.#scan;
  }

  async #run(): Promise<ScanReport[]> {
    const { scanner, log } = this.#deps;
    const abort = new AbortController();
    this.#abort = abort;
    const folders = this.#deps.folders();
    const reports: ScanReport[] = [];
    const problems: string[] = [];
    let base = 0;
    this.#publish({ scanning: true, done: 0, total: 0 });
    for (const folder of folders) {
      try {
        const report = await scanner.scan(folder, {
          signal: abort.signal,
          onProgress: (p) => this.#progress({ scanning: true, done: base + p.done, total: base + p.total, folder }),
        });
        base += report.files;
        reports.push(report);
        for (const failed of report.failed) log.warn({ path: failed.path, error: failed.error }, 'skipped a file that cannot be read');
        log.info(
          {
            folder,
            files: report.files,
            added: report.added,
            updated: report.updated,
            missing: report.missing,
            failed: report.failed.length,
            ms: report.ms,
          },
          'music folder scanned',
        );
      } catch (err) {
        if (abort.signal.aborted) throw err;
        problems.push(err instanceof MoodboxError ? err.message : `${folder}: ${(err as Error).message}`);
        log.error({ err, folder }, 'cannot scan a music folder');
      }
    }
    this.#lastError = problems.length === 0 ? undefined : problems.join('; ');
    // Songs whose folder is no longer a music folder leave the library (the demo's, once the owner's own folder is in).
    const left = abort.signal.aborted ? 0 : dropOutside(this.#deps, folders);
    const regrouped = abort.signal.aborted ? 0 : regroupRecordings(this.#deps);
    const failed = reports.flatMap((r) => r.failed);
    this.#publish({
      scanning: false,
      done: base,
      total: base,
      lastScan: {
        at: this.#deps.clock.now(),
        files: base,
        added: scanTotal(reports, 'added'),
        updated: scanTotal(reports, 'updated'),
        missing: scanTotal(reports, 'missing') + left,
        failed: failed.slice(0, FAILED_SHOWN).map((f) => ({ path: f.path, error: f.error })),
        failedCount: failed.length,
        problems,
      },
    });
    // Said once the folders are read, not before: a first start's empty database is not an empty library.
    if (!abort.signal.aborted && folders.length > 0 && this.#deps.count() === 0) {
      log.warn({ folders: folders.length }, 'the music library is empty: no songs in the music folders; add music in the admin panel');
    }
    if (left + regrouped > 0 || reports.some((r) => r.added + r.updated + r.missing > 0) || reports.some((r) => r.sidecar !== undefined)) {
      this.#deps.bus.emit('libraryChanged', { tracks: this.#deps.count(), why: 'scan' });
    }
    if (!abort.signal.aborted) this.analyze().catch(() => undefined);
    return reports;
  }

  /** Scans again once the scan running (if any) is done: the folders changed under it. */
  #scanAgain(): void {
    void (this.#scan ?? Promise.resolve()).catch(() => undefined).then(() => this.scan().catch(() => undefined));
  }

  #progress(progress: Pick<LibraryScanState, 'scanning' | 'done' | 'total'> & { folder: string }): void {
    const now = this.#deps.clock.monotonic();
    if (now - this.#lastProgressAt < PROGRESS_EVERY_MS && progress.done < progress.total) return;
    this.#lastProgressAt = now;
    this.#publish({ scanning: true, done: progress.done, total: progress.total });
  }

  #publish(state: Partial<LibraryScanState> & Pick<LibraryScanState, 'scanning' | 'done' | 'total'>): void {
    this.#state = {
      scanning: state.scanning,
      done: state.done,
      total: state.total,
      tracks: this.#deps.count(),
      lastScan: state.lastScan ?? this.#state.lastScan,
      analysis: this.#state.analysis,
    };
    this.#deps.bus.emit('libraryScanChanged', this.#state);
  }
}
