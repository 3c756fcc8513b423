#!/usr/bin/env node
import { Command, Option } from 'commander';
import { VERSION } from './version.js';

// @u4/opencv4nodejs must never try to build OpenCV itself: Moodbox links against the system OpenCV.
process.env['OPENCV4NODEJS_DISABLE_AUTOBUILD'] ??= '1';

const program = new Command()
  .name('moodbox')
  .description('A hands-free mood jukebox: a camera reads the room, the music follows.')
  .version(VERSION, '-v, --version', 'print the version')
  .helpOption('-h, --help', 'show help')
  .showHelpAfterError('(run `moodbox --help` for the commands)');

const configOption = (): Option => new Option('-c, --config <file>', 'configuration file (JSON); default: $MOODBOX_CONFIG, else demo mode');

program
  .command('start')
  .description('run the daemon (demo mode when no configuration is given)')
  .addOption(configOption())
  .action(async (opts: { config?: string }) => {
    const { runDaemon } = await import('./main.js');
    process.exitCode = await runDaemon({ configFile: opts.config, env: process.env });
  });

program
  .command('doctor')
  .description('check this machine: camera, model, mpv, audio, database, disk, port, RFID reader')
  .addOption(configOption())
  .option('--json', 'print the checks as JSON')
  .action(async (opts: { config?: string; json?: boolean }) => {
    const { runDoctor, formatChecks } = await import('./doctor.js');
    const checks = await runDoctor({ configFile: opts.config });
    process.stdout.write(opts.json === true ? `${JSON.stringify({ checks }, null, 2)}\n` : `${formatChecks(checks)}\n`);
    process.exitCode = checks.some((c) => c.status === 'fail') ? 1 : 0;
  });

await program.parseAsync(process.argv);
