import type { Command } from 'commander';
import { configOption } from './options.js';

/**
 * `moodbox backup [FILE]` and `moodbox restore FILE`: a consistent copy of the database, taken
 * while the daemon runs (SQLite's online backup), and putting one back while it does not.
 */
export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('copy the database (accounts, history, settings, calibrations) while Moodbox runs; default: into <dataDir>/backups')
    .argument('[file]', 'where to write the copy')
    .addOption(configOption())
    .action(async (file: string | undefined, opts: { config?: string }) => {
      const [path, { loadConfig }, backups, { systemClock }] = await Promise.all([
        import('node:path'),
        import('../config/load-config.js'),
        import('../store/backups.js'),
        import('../../kernel/clock.js'),
      ]);
      const { config } = loadConfig({ file: opts.config, env: process.env });
      const target =
        file === undefined
          ? path.join(backups.backupsDir(config.dataDir), backups.backupName('manual', systemClock.now()))
          : path.resolve(file);
      await backups.backupDatabase(path.join(config.dataDir, backups.DATABASE_FILE), target);
      process.stdout.write(`backed up to ${target}\n`);
    });

  program
    .command('restore')
    .description('put a backup in place of the database (stop Moodbox first); the database it replaces is kept beside it')
    .argument('<file>', 'a backup written by `moodbox backup` or the nightly copy')
    .addOption(configOption())
    .action(async (file: string, opts: { config?: string }) => {
      const [path, { loadConfig }, { restoreDatabase }, { systemClock }] = await Promise.all([
        import('node:path'),
        import('../config/load-config.js'),
        import('../store/backups.js'),
        import('../../kernel/clock.js'),
      ]);
      const { config } = loadConfig({ file: opts.config, env: process.env });
      const source = path.resolve(file);
      const { kept } = restoreDatabase(config.dataDir, source, systemClock.now());
      process.stdout.write(`restored ${source}${kept === undefined ? '' : `; the database it replaced is kept as ${kept}`}\n`);
    });
}
