import type { Command } from 'commander';
import { configOption } from './options.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check this machine: camera, model, mpv, audio, database, disk, port, RFID reader')
    .addOption(configOption())
    .option('--json', 'print the checks as JSON')
    .action(async (opts: { config?: string; json?: boolean }) => {
      const { runDoctor, formatChecks } = await import('../ops/doctor.js');
      const checks = await runDoctor({ configFile: opts.config });
      process.stdout.write(opts.json === true ? `${JSON.stringify({ checks }, null, 2)}\n` : `${formatChecks(checks)}\n`);
      process.exitCode = checks.some((c) => c.status === 'fail') ? 1 : 0;
    });
}
