import type { Command } from 'commander';

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('find faces and read their emotions in an image, a video, or a folder of images')
    .argument('<path>', 'an image, a video file, or a folder of images')
    .option('--json', 'print one JSON object per image or frame')
    .option('--model <path>', 'emotion model; its manifest.json must sit beside it (default: the installed int8 model)')
    .option('--detector <kind>', 'face detector: yunet or haar', 'yunet')
    .option('--no-align', 'cut faces out by their box instead of turning tilted ones upright by their eyes')
    .option('--cascade <path>', 'Haar cascade XML for --detector haar (default: haarcascade_frontalface_alt2 from opencv-data)')
    .option('--fps <n>', 'frames analysed per second of video', (v) => Number(v), 10)
    .action(
      async (path: string, opts: { json?: boolean; model?: string; cascade?: string; detector: string; align: boolean; fps: number }) => {
        const { runAnalyzeCommand } = await import('../../vision/lab/analyze-command.js');
        const { INSTALL_DIR } = await import('../version.js');
        process.exitCode = await runAnalyzeCommand(
          {
            path,
            json: opts.json === true,
            model: opts.model,
            cascade: opts.cascade,
            detector: opts.detector,
            align: opts.align,
            fps: opts.fps,
            installDir: INSTALL_DIR,
          },
          { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) },
        );
      },
    );
}
