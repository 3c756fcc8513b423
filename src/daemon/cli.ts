#!/usr/bin/env node
import { Command } from 'commander';
import { COMMANDS } from './commands/index.js';
import { VERSION } from './version.js';

// @u4/opencv4nodejs must never try to build OpenCV itself: Moodbox links against the system OpenCV.
process.env['OPENCV4NODEJS_DISABLE_AUTOBUILD'] ??= '1';

const program = new Command()
  .name('moodbox')
  .description('A hands-free mood jukebox: a camera reads the room, the music follows.')
  .version(VERSION, '-v, --version', 'print the version')
  .helpOption('-h, --help', 'show help')
  .showHelpAfterError('(run `moodbox --help` for the commands)');

for (const register of COMMANDS) register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Commands throw errors meant for the person at the terminal: the message, not a stack trace.
  process.stderr.write(`moodbox: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode =
    (err as { code?: unknown }).code === 'MB_ERR_CONFIG_INVALID' || (err as { code?: unknown }).code === 'MB_ERR_CONFIG_READ' ? 78 : 1;
}
