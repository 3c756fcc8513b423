import type { Command } from 'commander';
import { registerAnalyze } from './analyze-command.js';
import { registerBackup } from './backup-command.js';
import { registerBench } from './bench-command.js';
import { registerConfig } from './config-command.js';
import { registerDoctor } from './doctor-command.js';
import { registerEval } from './eval-command.js';
import { registerFleet } from './fleet-command.js';
import { registerLibrary } from './library-command.js';
import { registerPlay } from './play-command.js';
import { registerRecommend } from './recommend-command.js';
import { registerStart } from './start-command.js';
import { registerUser } from './user-command.js';

/**
 * Every `moodbox` subcommand, one module each. A command module imports its heavy dependencies
 * (OpenCV, onnxruntime, the daemon) lazily inside its action, so `moodbox --help` stays instant.
 */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerStart,
  registerDoctor,
  registerUser,
  registerEval,
  registerAnalyze,
  registerBench,
  registerLibrary,
  registerRecommend,
  registerPlay,
  registerFleet,
  registerBackup,
  registerConfig,
];
