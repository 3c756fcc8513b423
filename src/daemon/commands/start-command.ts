import type { Command } from 'commander';
import { restarterOf } from '../ops/restarter.js';
import { configOption } from './options.js';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the daemon (demo mode when no configuration is given)')
    .addOption(configOption())
    .action(async (opts: { config?: string }) => {
      const { EXIT, runDaemon } = await import('../main.js');
      const code = await runDaemon({ configFile: opts.config, env: process.env });
      // A restart asked for (a restore, the memory guard, the fleet) where nothing starts it again: said, not left to guess.
      if (code === EXIT.RESTART && restarterOf(process.env) === undefined) {
        process.stderr.write('moodbox: stopped to restart, but it was started by hand: start it again with the same command\n');
      }
      // Exit, not just set the code: once the daemon has stopped, nothing left behind (a broker's
      // reconnect timer, a read of a huge file in the thread pool) may keep the process alive.
      process.exit(code);
    });
}
