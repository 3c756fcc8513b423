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
    .option(
      '--mirror-below-margin <p>',
      'with flip-TTA: read a face mirrored too only when its first read is unsure, its top two probabilities closer than this (0–1)',
      (v) => Number(v),
    )
    .option('--threads <n>', 'onnxruntime threads per inference', (v) => Number(v), 1)
    .option('--batch <n>', 'faces per inference call', (v) => Number(v), 64)
    .option(
      '--shrink <px>',
      'evaluate each face as a face this many px wide in a camera frame reaches the model (shrunk, then scaled back up)',
      (v) => Number(v),
    )
    .option(
      '--light <share>',
      'evaluate each face as a webcam shows it with the room lit at this share of daylight (e.g. 0.04 for a dim bar): shot and read noise, exposure, the 2.2 curve, JPEG 75',
      (v) => Number(v),
    )
    .option('--exposure <mode>', "with --light: the camera's exposure, auto (a gain up to 8x) or fixed (default: auto)")
    .option('--seed <n>', 'with --light: the seed of the camera noise (default: 1)', (v) => Number(v))
    .option(
      '--backlight <ratio>',
      'with --light: the background this many times brighter than the face, so the auto-exposure darkens the face (default: 1)',
      (v) => Number(v),
    )
    .option('--cast <lamp>', "with --light: the lamp's colour, none, warm (a 2,700 K bulb) or candle (about 1,900 K) (default: none)")
    .option('--json', 'print one JSON object')
    .action(
      async (
        file: string,
        opts: {
          model?: string;
          usage?: string;
          flipTta?: boolean;
          mirrorBelowMargin?: number;
          threads: number;
          batch: number;
          json?: boolean;
          shrink?: number;
          light?: number;
          exposure?: string;
          seed?: number;
          backlight?: number;
          cast?: string;
        },
      ) => {
        const { runEvalCommand } = await import('../../vision/lab/eval-command.js');
        const clock = await import('../../kernel/clock.js');
        const { INSTALL_DIR } = await import('../version.js');
        const path = await import('node:path');
        process.exitCode = await runEvalCommand(
          {
            file,
            model: opts.model ?? path.join(INSTALL_DIR, 'models', 'emotion-int8.onnx'),
            usage: opts.usage,
            flipTta: opts.flipTta,
            mirrorBelowMargin: opts.mirrorBelowMargin,
            threads: opts.threads,
            batchSize: opts.batch,
            json: opts.json,
            shrink: opts.shrink,
            light: opts.light,
            exposure: opts.exposure as 'auto' | 'fixed' | undefined,
            seed: opts.seed,
            backlight: opts.backlight,
            cast: opts.cast as 'none' | 'warm' | 'candle' | undefined,
          },
          { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), clock: clock.systemClock },
        );
      },
    );
}
