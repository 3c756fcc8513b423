/**
 * Moodbox's own analysis, counted: each finished analysis appends `<pid>\t<path>` to the file named
 * by `MOODBOX_ANALYSIS_CALLS`. Given to `ForkedAnalysisWorker` as its `analyzerModule`, it shows
 * which process did the work and that no file was analysed twice.
 */
import { appendFileSync } from 'node:fs';
import { analyzeAudioFile as analyze, type AnalyzeOptions, type AudioAnalysis } from '../analysis/analyze-audio.js';

export async function analyzeAudioFile(path: string, options?: AnalyzeOptions): Promise<AudioAnalysis> {
  try {
    return await analyze(path, options);
  } finally {
    const log = process.env['MOODBOX_ANALYSIS_CALLS'];
    if (log !== undefined) appendFileSync(log, `${process.pid}\t${path}\n`);
  }
}
