import type { Command } from 'commander';

export function registerBench(program: Command): void {
  const bench = program.command('bench').description('measure this machine');
  bench
    .command('vision')
    .description(
      'latency of face detection, emotion classification and whole frames at 640x480 on one thread (one face, a group, an empty room, a crowd of 20); recall by face size; fps; RSS',
    )
    .option('--json', 'print one JSON object')
    .option('--frames <n>', 'frames per scene', (v) => Number(v), 150)
    .option('--model <path>', 'emotion model; its manifest.json must sit beside it (default: the installed int8 model)')
    .option('--cascade <path>', 'Haar cascade XML (default: haarcascade_frontalface_alt2 from opencv-data)')
    .option('--detector <kind>', 'yunet, haar, or both side by side', 'both')
    .option(
      '--fer <csv>',
      'FER-2013 CSV for the labelled frame set (default: $MOODBOX_FER_CSV or ../shared/datasets/fer2013/fer2013.csv.gz)',
    )
    .option('--labelled-frames <n>', 'generated frames in the labelled set', (v) => Number(v), 100)
    .option('--crowd-frames <n>', 'generated frames in the crowd set (5–30 faces of 14–60 px a frame)', (v) => Number(v), 60)
    .option('--one <image>', 'a photo of one face (default: the bundled test image)')
    .option('--group <image>', 'a photo of four faces (default: the bundled test image)')
    .action(
      async (opts: {
        json?: boolean;
        frames: number;
        model?: string;
        cascade?: string;
        detector: string;
        fer?: string;
        labelledFrames: number;
        crowdFrames: number;
        one?: string;
        group?: string;
      }) => {
        const { runBenchCommand } = await import('../../vision/lab/bench-command.js');
        const { systemClock } = await import('../../kernel/clock.js');
        const { INSTALL_DIR } = await import('../version.js');
        process.exitCode = await runBenchCommand(
          { ...opts, json: opts.json === true, installDir: INSTALL_DIR },
          { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), clock: systemClock },
        );
      },
    );
  bench
    .command('music')
    .description(
      'CPU time of the music analysis (Moodbox + ffprobe/ffmpeg) per track and per 4-minute song; 2,000 tracks here and on a Pi 4',
    )
    .option('--json', 'print one JSON object')
    .option('--dir <folder>', 'analyse the audio files of this folder (default: 4-minute songs made with ffmpeg)')
    .option(
      '--tracks <n>',
      'how many tracks',
      (v) => {
        if (!(Number.isInteger(Number(v)) && Number(v) >= 1))
          throw new RangeError(`Expected \`--tracks\` to be a whole number, at least 1, got \`${v}\``);
        return Number(v);
      },
      8,
    )
    .action(async (opts: { json?: boolean; dir?: string; tracks: number }) => {
      const { benchMusic, formatMusicBench } = await import('../../player/analysis/bench.js');
      const report = await benchMusic({ tracks: opts.tracks, ...(opts.dir === undefined ? {} : { dir: opts.dir }) });
      process.stdout.write(opts.json === true ? `${JSON.stringify(report)}\n` : `${formatMusicBench(report)}\n`);
    });
  bench
    .command('e2e')
    .description(
      'the whole appliance on a clip of a face flipping between happy and sad: mood change to music, pushes to the screens, start-up, RSS',
    )
    .option('--json', 'print one JSON object')
    .option(
      '--seconds <n>',
      'how long to run on the looping 20 s clip (at least 20)',
      (v) => {
        if (!(Number(v) >= 20)) throw new RangeError(`Expected \`--seconds\` to be a number of seconds, at least 20, got \`${v}\``);
        return Number(v);
      },
      60,
    )
    .action(async (opts: { json?: boolean; seconds: number }) => {
      const { benchE2e, formatE2eBench } = await import('../ops/bench-e2e.js');
      const { INSTALL_DIR } = await import('../version.js');
      const { systemClock } = await import('../../kernel/clock.js');
      const report = await benchE2e({
        installDir: INSTALL_DIR,
        seconds: opts.seconds,
        entry: [...process.execArgv, process.argv[1] ?? ''],
        clock: systemClock,
      });
      process.stdout.write(opts.json === true ? `${JSON.stringify(report)}\n` : `${formatE2eBench(report)}\n`);
    });
}
