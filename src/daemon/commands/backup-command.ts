import type { Command } from 'commander';
import { configOption } from './options.js';

/**
 * `moodbox backup [FILE]` and `moodbox restore FILE`: a consistent copy of the database, taken
 * while the daemon runs (SQLite's online backup), and a backup readied to go back in at the next
 * start, through the same restore as the admin panel's (`stageRestore`).
 */
export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('copy the database (accounts, history, settings, calibrations) while Moodbox runs; default: into <dataDir>/backups')
    .argument('[file]', 'where to write the copy')
    .addOption(configOption())
    .action(async (file: string | undefined, opts: { config?: string }) => {
      const [path, { loadConfig }, backups, { systemClock }, { asDataOwner }] = await Promise.all([
        import('node:path'),
        import('../config/load-config.js'),
        import('../backups/backups.js'),
        import('../../kernel/clock.js'),
        import('./data-owner.js'),
      ]);
      const { config } = loadConfig({ file: opts.config, env: process.env });
      // Into the data folder: with its owner's rights, never root's.
      if (file === undefined) asDataOwner(config.dataDir);
      const target =
        file === undefined
          ? path.join(backups.backupsDir(config.dataDir), backups.backupName('manual', systemClock.now()))
          : path.resolve(file);
      await backups.backupDatabase(path.join(config.dataDir, backups.DATABASE_FILE), target);
      process.stdout.write(`backed up to ${target}\n`);
    });

  program
    .command('restore')
    .description(
      'ready a backup to replace the database at the next start of Moodbox, as the admin panel does: today’s people stay, everyone is signed out, and its settings and rows pass today’s rules; the database it replaces is kept beside it',
    )
    .argument('<file>', 'a backup written by `moodbox backup`, the nightly copy, or one downloaded from the admin panel')
    .option('--with-people', 'bring back the backup’s people, PINs, passphrases and cards too, instead of today’s')
    .addOption(configOption())
    .action(async (file: string, opts: { config?: string; withPeople?: boolean }) => {
      const [path, fs, { loadConfig }, { runningDaemon }, { stageRestore }, { systemClock }, { actors }, { asDataOwner }] =
        await Promise.all([
          import('node:path'),
          import('node:fs'),
          import('../config/load-config.js'),
          import('../backups/backups.js'),
          import('../backups/restore-stage.js'),
          import('../../kernel/clock.js'),
          import('../store/audit.js'),
          import('./data-owner.js'),
        ]);
      const { config } = loadConfig({ file: opts.config, env: process.env });
      const source = path.resolve(file);
      // Opened with the caller's rights (a backup in root's home, say); written with the data folder owner's.
      const backup = fs.createReadStream(source, { fd: fs.openSync(source, 'r') });
      asDataOwner(config.dataDir);
      const people = opts.withPeople === true;
      await stageRestore(config.dataDir, backup, { from: source, by: actors.cli.name, at: systemClock.now(), people });
      const pid = runningDaemon(config.dataDir);
      const when =
        pid === undefined
          ? 'it goes in when Moodbox next starts'
          : `Moodbox is running (pid ${pid}): it goes in when it restarts (sudo systemctl restart moodbox)`;
      const who = people ? 'the backup’s people come back too' : 'today’s people, PINs, passphrases and cards stay';
      process.stdout.write(`readied ${source}: ${when}; ${who}, everyone is signed out, and the database it replaces is kept\n`);
    });
}
