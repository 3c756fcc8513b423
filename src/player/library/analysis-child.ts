/**
 * The analysing process (forked by `ForkedAnalysisWorker`): niced, with its own heap bound, it
 * answers one `AnalyzeRequest` at a time over the IPC channel. A file that cannot be analysed is
 * an answer (`ok: false` with the reason), never a crash.
 */
import { setPriority } from 'node:os';
import { encodePrint, type AudioPrint } from '../analysis/audio-print.js';
import type { AnalyzeAnswer, AnalyzeRequest } from './analysis-worker.js';

interface Analyzer {
  analyzeAudioFile(
    path: string,
    options?: { timeoutMs?: number },
  ): Promise<{
    version: number;
    arousal: number;
    valence: number;
    features: Record<string, number | string | null>;
    print?: AudioPrint | null;
  }>;
}

const nice = Number(process.env['MOODBOX_ANALYSIS_NICE'] ?? '10');
try {
  setPriority(nice);
} catch {
  // A niceness the system refuses (lowering it needs privileges) leaves it as it is.
}

const analyzer = (await import(process.env['MOODBOX_ANALYZER_MODULE'] ?? '../analysis/analyze-audio.js')) as Analyzer;

// One at a time: the next request waits for the answer to the one before.
let queue: Promise<void> = Promise.resolve();

process.on('message', (request: AnalyzeRequest) => {
  queue = queue.then(() => answer(request));
});

async function answer({ id, path, timeoutMs }: AnalyzeRequest): Promise<void> {
  let reply: AnalyzeAnswer;
  try {
    const analysis = await analyzer.analyzeAudioFile(path, { timeoutMs });
    reply = {
      id,
      ok: true,
      analysis: {
        version: analysis.version,
        arousal: analysis.arousal,
        valence: analysis.valence,
        features: { ...analysis.features },
        print: analysis.print === undefined || analysis.print === null ? null : encodePrint(analysis.print).toString('base64'),
      },
    };
  } catch (err) {
    const reason = (err as { reason?: unknown }).reason;
    reply = {
      id,
      ok: false,
      reason: typeof reason === 'string' ? reason : 'failed',
      message: err instanceof Error ? err.message : String(err),
    };
  }
  process.send?.(reply);
}

// The parent gone, nothing is left to answer.
process.on('disconnect', () => process.exit(0));
