import type { Command } from 'commander';
import { configOption } from './options.js';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the daemon (demo mode when no configuration is given)')
    .addOption(configOption())
    .action(async (opts: { config?: string }) => {
      const { runDaemon } = await import('../main.js');
      process.exitCode = await runDaemon({ configFile: opts.config, env: process.env });
    });
}
