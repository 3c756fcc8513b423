import type { Command } from 'commander';
import { registerDoctor } from './doctor-command.js';
import { registerStart } from './start-command.js';
import { registerUser } from './user-command.js';

/**
 * Every `moodbox` subcommand, one module each. A command module imports its heavy dependencies
 * (OpenCV, onnxruntime, the daemon) lazily inside its action, so `moodbox --help` stays instant.
 */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [registerStart, registerDoctor, registerUser];
