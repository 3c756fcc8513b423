import { join } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../config/schema.js';
import type { Clock } from '../kernel/clock.js';
import type { SqliteStore } from '../store/sqlite-store.js';
import type { Track, TrackMood } from '../store/store.js';
import { configOption } from './options.js';

/** What the library commands work with: the configuration, the open database and the clock. */
export interface LibraryContext {
  config: Config;
  store: SqliteStore;
  clock: Clock;
}

/** Opens the configured database for `fn` and closes it afterwards, whatever happens. */
export async function withLibrary<T>(configFile: string | undefined, fn: (ctx: LibraryContext) => Promise<T>): Promise<T> {
  const [path, { loadConfig }, { openSqliteStore }, { systemClock }] = await Promise.all([
    import('node:path'),
    import('../config/load-config.js'),
    import('../store/sqlite-store.js'),
    import('../kernel/clock.js'),
  ]);
  const { config } = loadConfig({ file: configFile, env: process.env });
  const quiet = { info() {}, warn() {} };
  const store = openSqliteStore({ clock: systemClock, log: quiet }, { path: path.join(config.dataDir, 'moodbox.db') });
  try {
    return await fn({ config, store, clock: systemClock });
  } finally {
    store.close();
  }
}

/** Where extracted cover art lives: `covers/` in the data directory. */
export function coversDir(config: Config): string {
  return join(config.dataDir, 'covers');
}

/** `moodbox library scan DIR` and `moodbox library list`. */
export function registerLibrary(program: Command): void {
  const library = program.command('library').description('the local music library');

  library
    .command('scan')
    .description('scan a folder of music into the library (again: only changed files are read; removed ones are marked missing)')
    .argument('<dir>', 'folder to scan, recursively; a moods.json or moods.csv at its top is imported')
    .option('--json', 'print the report as JSON')
    .addOption(configOption())
    .action(async (dir: string, opts: { json?: boolean; config?: string }) => {
      const [{ LibraryScanner }, { MusicMetadataTagReader }] = await Promise.all([
        import('../../player/library/scanner.js'),
        import('../../player/library/music-metadata-tag-reader.js'),
      ]);
      await withLibrary(opts.config, async ({ config, store, clock }) => {
        const scanner = new LibraryScanner({ store, tags: new MusicMetadataTagReader(), clock }, { coversDir: coversDir(config) });
        const isTty = process.stderr.isTTY;
        let shown = -1;
        const report = await scanner.scan(dir, {
          onProgress: ({ done, total }) => {
            const tenth = Math.floor((done * 10) / Math.max(total, 1));
            if (isTty) process.stderr.write(`\rscanning: ${done}/${total}`);
            else if (tenth !== shown) process.stderr.write(`scanning: ${done}/${total}\n`);
            shown = tenth;
          },
        });
        if (isTty) process.stderr.write('\n');
        if (opts.json === true) {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          return;
        }
        const lines = [
          `${report.root}: ${report.files} audio files in ${report.ms} ms`,
          `  added ${report.added}, updated ${report.updated}, unchanged ${report.unchanged}, now missing ${report.missing}, covers written ${report.coversWritten}`,
        ];
        if (report.sidecar) {
          const s = report.sidecar.report;
          lines.push(
            `  moods from ${report.sidecar.file}: ${s.tagged} tracks tagged, ${s.unmatched.length} entries unmatched, ${s.invalid.length} invalid`,
          );
          for (const u of s.unmatched) lines.push(`    line ${u.line}: no track for ${u.key}`);
          for (const i of s.invalid) lines.push(`    line ${i.line}: ${i.message}`);
        }
        if (report.failed.length > 0) {
          lines.push(`  skipped ${report.failed.length} unreadable file(s):`);
          for (const f of report.failed) lines.push(`    ${f.path}: ${f.error}`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
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
        const tracks: Array<Track & { moods: TrackMood[] }> = [];
        for (let offset = 0; ; offset += 1000) {
          const page = store.tracks.list({
            limit: 1000,
            offset,
            includeMissing: opts.missing === true,
            ...(opts.mood === undefined ? {} : { mood: opts.mood.trim().toLowerCase() }),
            ...(opts.search === undefined ? {} : { search: opts.search }),
          });
          tracks.push(...page.items.map((t) => ({ ...t, moods: store.tracks.moods(t.id) })));
          if (page.items.length < 1000) break;
        }
        if (opts.json === true) {
          process.stdout.write(`${JSON.stringify(tracks)}\n`);
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
          const moods = t.moods.map((m) => `${m.mood} ${m.weight.toFixed(1)}`).join(', ');
          const length = t.durationMs === null ? '' : `  ${formatDuration(t.durationMs)}`;
          process.stdout.write(
            `${String(t.id).padStart(5)}  ${t.artist === '' ? '(unknown artist)' : t.artist} – ${t.title}${length}${moods === '' ? '' : `  [${moods}]`}${t.missing ? '  (missing)' : ''}\n`,
          );
        }
      });
    });
}

/** `m:ss`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
