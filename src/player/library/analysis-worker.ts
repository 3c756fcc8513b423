import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What the analysis of one file gave: the measured point and features, or why there is none. */
export type AnalyzeOutcome =
  | {
      ok: true;
      analysis: {
        version: number;
        arousal: number;
        valence: number;
        features: Record<string, number | string | null>;
        /** The audio print (`encodePrint`, base64), when one could be made. */
        print?: string | null;
      };
    }
  | { ok: false; reason: string; message: string };

/** A request to the analysing process, and its answer. */
export interface AnalyzeRequest {
  id: number;
  path: string;
  timeoutMs: number;
}
export type AnalyzeAnswer = AnalyzeOutcome & { id: number };

/** Raised when the analysing process ended before it answered (killed, out of memory, crashed). */
export class AnalysisProcessExited extends Error {
  constructor(readonly detail: string) {
    super(`the analysing process ended before it answered (${detail})`);
    this.name = 'AnalysisProcessExited';
  }
}

/** Analyses files one at a time, away from the caller's memory. */
export interface AnalysisWorker {
  /** The process id doing the work, or undefined before the first file and after `close`. */
  readonly pid: number | undefined;
  /**
   * Analyses one file. MUST resolve with the outcome for any bad file; MAY reject with
   * `AnalysisProcessExited` when the analysing process dies (the next call starts a new one).
   */
  analyze(path: string, timeoutMs: number): Promise<AnalyzeOutcome>;
  /** Ends the analysing process, if any. */
  close(): Promise<void>;
}

export interface ForkedAnalysisWorkerOptions {
  /** The V8 heap bound of the analysing process (MB): it dies rather than grow past it. @default 128 */
  maxOldSpaceMb?: number;
  /** Its niceness: the music and the camera come first. @default 10 */
  nice?: number;
  /** A module exporting `analyzeAudioFile` in its place (a file URL); left out, Moodbox's own analysis. */
  analyzerModule?: string;
}

const here = import.meta.url;
// Run from the sources (tests, `node --import tsx`) the child is TypeScript too.
const isSource = here.endsWith('.ts');
const CHILD_ENTRY = fileURLToPath(new URL(isSource ? './analysis-child.ts' : './analysis-child.js', here));

/**
 * Analyses in a child process (`child_process.fork` of `analysis-child`), niced, with its own
 * heap bound: the daemon's memory stays as it is whatever the files are. One file at a time; the
 * process is started on the first file and kept until `close`.
 */
export class ForkedAnalysisWorker implements AnalysisWorker {
  readonly #options: Required<Omit<ForkedAnalysisWorkerOptions, 'analyzerModule'>> & { analyzerModule: string | undefined };
  #child: ChildProcess | undefined;
  #nextId = 1;
  readonly #waiting = new Map<number, { resolve: (o: AnalyzeOutcome) => void; reject: (e: Error) => void }>();

  constructor(options: ForkedAnalysisWorkerOptions = {}) {
    this.#options = { maxOldSpaceMb: options.maxOldSpaceMb ?? 128, nice: options.nice ?? 10, analyzerModule: options.analyzerModule };
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  analyze(path: string, timeoutMs: number): Promise<AnalyzeOutcome> {
    const child = this.#start();
    const id = this.#nextId++;
    return new Promise<AnalyzeOutcome>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      child.send({ id, path, timeoutMs } satisfies AnalyzeRequest);
    });
  }

  async close(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    this.#child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  #start(): ChildProcess {
    if (this.#child !== undefined) return this.#child;
    const { maxOldSpaceMb, nice, analyzerModule } = this.#options;
    const child = fork(CHILD_ENTRY, [], {
      execArgv: [`--max-old-space-size=${maxOldSpaceMb}`, ...(isSource ? ['--import', 'tsx'] : [])],
      env: {
        ...process.env,
        MOODBOX_ANALYSIS_NICE: String(nice),
        ...(analyzerModule === undefined ? {} : { MOODBOX_ANALYZER_MODULE: analyzerModule }),
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'json',
    });
    child.on('message', (message: AnalyzeAnswer) => {
      const waiting = this.#waiting.get(message.id);
      if (waiting === undefined) return;
      this.#waiting.delete(message.id);
      waiting.resolve(
        message.ok ? { ok: true, analysis: message.analysis } : { ok: false, reason: message.reason, message: message.message },
      );
    });
    child.on('exit', (code, signal) => {
      if (this.#child === child) this.#child = undefined;
      const error = new AnalysisProcessExited(signal === null ? `exit code ${code}` : `signal ${signal}`);
      for (const waiting of this.#waiting.values()) waiting.reject(error);
      this.#waiting.clear();
    });
    child.on('error', () => {
      // An 'exit' follows and answers every waiting call.
    });
    this.#child = child;
    return child;
  }
}
