import type { Command } from 'commander';
import { configOption } from './options.js';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the daemon (demo mode when no configuration is given)')
    .addOption(configOption())
    .action(async (opts: { config?: string }) => {
      const { runDaemon } = await import('../main.js');
      // Exit, not just set the code: once the daemon has stopped, nothing left behind (a broker's
      // reconnect timer, a read of a huge file in the thread pool) may keep the process alive.
      process.exit(await runDaemon({ configFile: opts.config, env: process.env }));
    });
}
