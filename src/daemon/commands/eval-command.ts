import type { Command } from 'commander';

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate the emotion model on a FER-2013-format CSV (.csv or .csv.gz, FER+ vote columns optional)')
    .argument('<file>', 'CSV with the columns emotion,pixels,Usage and optionally the 10 FER+ vote columns')
    .option('--model <path>', 'emotion model; its manifest.json must sit beside it (default: the installed int8 model)')
    .option('--usage <name>', 'evaluate only the rows with this Usage, e.g. PublicTest')
    .option('--flip-tta', 'average each face with its mirror (default: as the manifest says)')
    .option('--no-flip-tta', 'do not average with the mirror')
    .option('--threads <n>', 'onnxruntime threads per inference', (v) => Number(v), 1)
    .option('--batch <n>', 'faces per inference call', (v) => Number(v), 64)
    .option(
      '--shrink <px>',
      'evaluate each face as a face this many px wide in a camera frame reaches the model (shrunk, then scaled back up)',
      (v) => Number(v),
    )
    .option('--json', 'print one JSON object')
    .action(
      async (
        file: string,
        opts: { model?: string; usage?: string; flipTta?: boolean; threads: number; batch: number; json?: boolean; shrink?: number },
      ) => {
        const { runEvalCommand } = await import('../../vision/eval-command.js');
        const clock = await import('../../kernel/clock.js');
        const { INSTALL_DIR } = await import('../version.js');
        const path = await import('node:path');
        process.exitCode = await runEvalCommand(
          {
            file,
            model: opts.model ?? path.join(INSTALL_DIR, 'models', 'emotion-int8.onnx'),
            usage: opts.usage,
            flipTta: opts.flipTta,
            threads: opts.threads,
            batchSize: opts.batch,
            json: opts.json,
            shrink: opts.shrink,
          },
          { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), clock: clock.systemClock },
        );
      },
    );
}
