import type { Command } from 'commander';
import { coversDir, databasePath } from '../config/paths.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { SqliteStore } from '../store/sqlite-store.js';
import type { Track, TrackMood } from '../store/store.js';
import type { AnalysisReport } from '../../player/library/library-analyzer.js';
import { configOption } from './options.js';
import { progressBar } from './progress.js';
import { audioView, type AudioView } from '../../player/library/audio-view.js';
import { terminalJson } from './terminal-text.js';
import { readableText } from '../../kernel/visible-text.js';
import { TAG_TEXT_LIMITS } from '../../player/library/tag-reader.js';

/** What the library commands work with: the configuration, the open database and the clock. */
export interface LibraryContext {
  config: Config;
  store: SqliteStore;
  clock: Clock;
}

/** Opens the configured database for `fn` and closes it afterwards, whatever happens. */
export async function withLibrary<T>(configFile: string | undefined, fn: (ctx: LibraryContext) => Promise<T>): Promise<T> {
  const [{ loadConfig }, { openSqliteStore }, { systemClock }] = await Promise.all([
    import('../config/load-config.js'),
    import('../store/sqlite-store.js'),
    import('../../kernel/clock.js'),
  ]);
  const { config } = loadConfig({ file: configFile, env: process.env });
  const quiet = { info() {}, warn() {} };
  const store = openSqliteStore({ clock: systemClock, log: quiet }, { path: databasePath(config) });
  try {
    return await fn({ config, store, clock: systemClock });
  } finally {
    store.close();
  }
}

/** `moodbox library scan DIR` and `moodbox library list`. */
export function registerLibrary(program: Command): void {
  const library = program.command('library').description('the local music library');

  library
    .command('scan')
    .description('scan a folder of music into the library (again: only changed files are read; removed ones are marked missing)')
    .argument('<dir>', 'folder to scan, recursively; a moods.json or moods.csv at its top is imported')
    .option('--json', 'print the report as JSON')
    .option('--no-analysis', 'do not analyse the audio of new and changed files (`moodbox library analyze` does it later)')
    .addOption(configOption())
    .action(async (dir: string, opts: { json?: boolean; analysis: boolean; config?: string }) => {
      const [{ LibraryScanner }, { MusicMetadataTagReader }] = await Promise.all([
        import('../../player/library/scanner.js'),
        import('../../player/library/music-metadata-tag-reader.js'),
      ]);
      await withLibrary(opts.config, async ({ config, store, clock }) => {
        const scanner = new LibraryScanner({ store, tags: new MusicMetadataTagReader(), clock }, { coversDir: coversDir(config) });
        const bar = progressBar('scanning');
        const scanned = await scanner.scan(dir, { onProgress: ({ done, total }) => bar.update(done, total) });
        bar.end();
        const analysis = opts.analysis ? await analyzeLibrary(store, clock, {}) : undefined;
        const report = analysis === undefined ? scanned : { ...scanned, analysis };
        if (opts.json === true) {
          process.stdout.write(`${terminalJson(report, 2)}\n`);
          return;
        }
        const lines = [
          `${readableText(report.root)}: ${report.files} audio files in ${report.ms} ms`,
          `  added ${report.added}, updated ${report.updated}, unchanged ${report.unchanged}, now missing ${report.missing}, covers written ${report.coversWritten}`,
        ];
        if (report.sidecar) {
          const s = report.sidecar.report;
          lines.push(
            `  moods from ${readableText(report.sidecar.file)}: ${s.tagged} tracks tagged, ${s.unmatched.length} entries unmatched, ${s.invalid.length} invalid`,
          );
          for (const u of s.unmatched) lines.push(`    line ${u.line}: no track for ${readableText(u.key)}`);
          for (const i of s.invalid) lines.push(`    line ${i.line}: ${readableText(i.message)}`);
        }
        if (report.failed.length > 0) {
          lines.push(`  skipped ${report.failed.length} file(s) it cannot read or play:`);
          for (const f of report.failed) lines.push(`    ${readableText(f.path)}: ${readableText(f.error)}`);
        }
        if (analysis !== undefined) lines.push(...analysisLines(analysis));
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });

  library
    .command('analyze')
    .description('analyse the audio of the tracks not analysed yet (in this version of their file), in a niced background process')
    .option('--force', 'analyse every track again')
    .option('--json', 'print the report as JSON')
    .addOption(configOption())
    .action(async (opts: { force?: boolean; json?: boolean; config?: string }) => {
      await withLibrary(opts.config, async ({ store, clock }) => {
        const report = await analyzeLibrary(store, clock, { force: opts.force === true });
        if (opts.json === true) process.stdout.write(`${terminalJson(report, 2)}\n`);
        else process.stdout.write(`${analysisLines(report).join('\n')}\n`);
      });
    });

  library
    .command('list')
    .description('list the tracks in the library')
    .option('--mood <mood>', 'only tracks tagged with this mood')
    .option('--search <text>', 'only tracks whose title, artist or album contains this')
    .option('--missing', 'include tracks whose file is gone')
    .option('--json', 'print JSON')
    .addOption(configOption())
    .action(async (opts: { mood?: string; search?: string; missing?: boolean; json?: boolean; config?: string }) => {
      await withLibrary(opts.config, async ({ store }) => {
        const tracks: Array<Track & { moods: TrackMood[]; audio: AudioView | null }> = [];
        for (let offset = 0; ; offset += 1000) {
          const page = store.tracks.list({
            limit: 1000,
            offset,
            includeMissing: opts.missing === true,
            ...(opts.mood === undefined ? {} : { mood: opts.mood.trim().toLowerCase() }),
            ...(opts.search === undefined ? {} : { search: opts.search }),
          });
          tracks.push(...page.items.map((t) => ({ ...t, moods: store.tracks.moods(t.id), audio: audioView(store.analyses.get(t.id)) })));
          if (page.items.length < 1000) break;
        }
        if (opts.json === true) {
          process.stdout.write(`${terminalJson(tracks)}\n`);
          return;
        }
        if (tracks.length === 0) {
          process.stdout.write(
            opts.mood === undefined
              ? 'the library is empty: add music with `moodbox library scan DIR`\n'
              : `no track is tagged ${opts.mood}\n`,
          );
          return;
        }
        for (const t of tracks) {
          const moods = t.moods.map((m) => `${readableText(m.mood)} ${m.weight.toFixed(1)}`).join(', ');
          const length = t.durationMs === null ? '' : `  ${formatDuration(t.durationMs)}`;
          // A row an older version stored may hold a file's raw tags: what reaches the terminal is readable text.
          const artist = readableText(t.artist, TAG_TEXT_LIMITS.artist);
          process.stdout.write(
            `${String(t.id).padStart(5)}  ${artist === '' ? '(unknown artist)' : artist} – ${readableText(t.title, TAG_TEXT_LIMITS.title)}${length}${moods === '' ? '' : `  [${moods}]`}${t.missing ? '  (missing)' : ''}\n`,
          );
        }
      });
    });
}

/** Analyses the library's pending tracks in a child process, with a progress bar on stderr. */
async function analyzeLibrary(store: SqliteStore, clock: Clock, options: { force?: boolean }): Promise<AnalysisReport> {
  const { libraryAnalyzer } = await import('../adapters/music-adapters.js');
  const analyzer = libraryAnalyzer(store, { clock });
  const bar = progressBar('analysing');
  const stop = new AbortController();
  // Ctrl-C keeps what was analysed: the next run goes on from there.
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  try {
    return await analyzer.analyze({
      ...options,
      signal: stop.signal,
      onProgress: ({ done, total, failed }) => bar.update(done, total, failed === 0 ? '' : `${failed} failed`),
    });
  } finally {
    process.off('SIGINT', onSignal);
    bar.end();
  }
}

function analysisLines(report: AnalysisReport): string[] {
  const lines = [
    report.total === 0
      ? 'analysis: every track was already analysed'
      : `analysis: ${report.analysed} of ${report.total} tracks analysed in ${report.ms} ms, moods placed on ${report.moodsChanged}${report.stopped ? ' (stopped: run it again to go on)' : ''}`,
  ];
  if (report.failed.length > 0) {
    lines.push(`  ${report.failed.length} could not be analysed (they keep their track):`);
    for (const f of report.failed) lines.push(`    ${readableText(f.path)}: ${f.reason} (${readableText(f.message)})`);
  }
  return lines;
}

/** `m:ss`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
