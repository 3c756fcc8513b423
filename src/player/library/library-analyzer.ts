import type { Clock } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import { AnalysisProcessExited, type AnalysisWorker, type AnalyzeOutcome } from './analysis-worker.js';
import { applyAudioMoods, dropAudioMoods } from './audio-moods.js';
import type { LibraryAnalyses, LibraryStore, PendingAnalysis, StoredAnalysis, TrackAudio } from './library.js';

/** The store as the analysis uses it. */
export interface AnalysisStore extends LibraryStore {
  readonly analyses: LibraryAnalyses;
}

export interface AnalysisProgress {
  /** Files analysed (or failed) so far in this run, of `total`. */
  done: number;
  total: number;
  /** Of `done`, the files that could not be analysed. */
  failed: number;
  /** The file just done. */
  path: string;
}

export interface AnalysisReport {
  /** Files to do when the run started. */
  total: number;
  analysed: number;
  failed: Array<{ path: string; reason: string; message: string }>;
  /** Tracks whose moods changed. */
  moodsChanged: number;
  /** Whether the run stopped before the end (aborted); what was done is kept. */
  stopped: boolean;
  ms: number;
}

export interface LibraryAnalyzerDeps {
  store: AnalysisStore;
  /** Where the files are analysed (`ForkedAnalysisWorker`: a child process). */
  worker: AnalysisWorker;
  clock: Clock;
  log?: Pick<Log, 'info' | 'warn'>;
  /** Places a measured point among the moods (the analysis's `moodsFromPlane`). */
  moodsFromPlane: (point: { arousal: number; valence: number }) => ReadonlyArray<{ mood: string; weight: number }>;
}

export interface LibraryAnalyzerOptions {
  /** `ANALYSIS_VERSION`: analyses of another version are done again. */
  version: number;
  /** One file's analysis ends with reason `timeout` after this long (ms). @default 60000 */
  timeoutMs?: number;
}

/** Why a file was not analysed when its analysing process died on it twice. */
const CRASHED = 'crashed';

/**
 * Analyses the local files the store has not analysed yet, in this version of each file and of the
 * analysis (`LibraryAnalyses.pending`): one file at a time, each result stored as it comes, so a
 * kill or a restart goes on where it stopped and never does a file twice. A file that cannot be
 * analysed keeps its track: the reason is stored and logged once, and the run goes on.
 */
export class LibraryAnalyzer {
  readonly #deps: LibraryAnalyzerDeps;
  readonly #version: number;
  readonly #timeoutMs: number;

  constructor(deps: LibraryAnalyzerDeps, options: LibraryAnalyzerOptions) {
    this.#deps = deps;
    this.#version = options.version;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** The library's songs, and how many of them this version of the analysis heard or failed on (`LibraryAnalyses.coverage`). */
  coverage(): { songs: number; heard: number; failed: number } {
    return this.#deps.store.analyses.coverage(this.#version);
  }

  /** How many files a run would analyse now. */
  pendingCount(options: { force?: boolean } = {}): number {
    return this.#deps.store.analyses.pending(this.#version, options).length;
  }

  /**
   * Analyses every pending file (with `force`, every local file). Resolves when done or, once
   * `signal` aborts, after the file in hand is given up (nothing is stored for it).
   */
  async analyze(
    options: { force?: boolean; signal?: AbortSignal; onProgress?: (progress: AnalysisProgress) => void } = {},
  ): Promise<AnalysisReport> {
    const { store, clock, log } = this.#deps;
    const started = clock.monotonic();
    const pending = store.analyses.pending(this.#version, { force: options.force === true });
    const report: AnalysisReport = { total: pending.length, analysed: 0, failed: [], moodsChanged: 0, stopped: false, ms: 0 };
    if (pending.length > 0) log?.info({ files: pending.length }, 'analysing music');
    const stop = new Promise<'stopped'>((resolve) => {
      if (options.signal?.aborted === true) resolve('stopped');
      options.signal?.addEventListener('abort', () => resolve('stopped'), { once: true });
    });
    try {
      for (const track of pending) {
        const outcome = await Promise.race([this.#analyzeOne(track, options.signal), stop]);
        if (outcome === 'stopped') {
          report.stopped = true;
          break;
        }
        if (this.#store(track, outcome)) report.moodsChanged++;
        if (outcome.ok) report.analysed++;
        else {
          report.failed.push({ path: track.uri, reason: outcome.reason, message: outcome.message });
          log?.warn({ path: track.uri, reason: outcome.reason, error: outcome.message }, 'file not analysed');
        }
        options.onProgress?.({
          done: report.analysed + report.failed.length,
          total: pending.length,
          failed: report.failed.length,
          path: track.uri,
        });
      }
    } finally {
      // An aborted run ends the process with the file in hand; a finished one lets it go too.
      await this.#deps.worker.close();
    }
    report.ms = Math.round(clock.monotonic() - started);
    if (pending.length > 0) {
      log?.info(
        {
          analysed: report.analysed,
          failed: report.failed.length,
          moodsChanged: report.moodsChanged,
          stopped: report.stopped,
          ms: report.ms,
        },
        'music analysed',
      );
    }
    return report;
  }

  /** One file; a process that dies on it is started again once, and a second death is the file's failure. */
  async #analyzeOne(track: PendingAnalysis, signal: AbortSignal | undefined): Promise<AnalyzeOutcome | 'stopped'> {
    let lastExit: AnalysisProcessExited | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        return await this.#deps.worker.analyze(track.uri, this.#timeoutMs);
      } catch (err) {
        if (!(err instanceof AnalysisProcessExited)) throw err;
        // Ended because the run stops: no new process for it.
        if (signal?.aborted === true) return 'stopped';
        lastExit = err;
      }
    }
    return { ok: false, reason: CRASHED, message: lastExit?.message ?? 'the analysing process ended' };
  }

  /** Stores the outcome and the track's moods in one transaction; returns whether the moods changed. */
  #store(track: PendingAnalysis, outcome: AnalyzeOutcome): boolean {
    const { store, clock } = this.#deps;
    return store.transaction(() => {
      const base = { trackId: track.id, fileSize: track.fileSize, fileMtimeMs: track.fileMtimeMs, analysedAt: clock.now() };
      if (outcome.ok) {
        const { analysis } = outcome;
        const audio: TrackAudio = {
          arousal: clamp(analysis.arousal),
          valence: clamp(analysis.valence),
          tempoBpm: numberOrNull(analysis.features['tempoBpm']),
          loudnessLufs: numberOrNull(analysis.features['loudnessLufs']),
          features: analysis.features,
          print: typeof analysis.print === 'string' ? Buffer.from(analysis.print, 'base64') : null,
        };
        store.analyses.save({ ...base, version: analysis.version, audio, error: null } satisfies StoredAnalysis);
        return applyAudioMoods(store.tracks, track.id, this.#deps.moodsFromPlane(audio));
      }
      const before = store.analyses.get(track.id);
      if (outcome.reason === 'missing') {
        // The file went away during the analysis: what was heard before stays; the next scan marks
        // the track missing, or, should the file come back, the next run tries it again.
        if (before?.audio != null) return false;
        store.analyses.save({ ...base, fileSize: null, fileMtimeMs: null, version: this.#version, audio: null, error: errorOf(outcome) });
        return false;
      }
      store.analyses.save({ ...base, version: this.#version, audio: null, error: errorOf(outcome) });
      return dropAudioMoods(store.tracks, track.id, track.genre);
    });
  }
}

function errorOf(outcome: { reason: string; message: string }): { reason: string; message: string } {
  return { reason: outcome.reason, message: outcome.message };
}

function clamp(value: number): number {
  return Math.min(1, Math.max(-1, value));
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
