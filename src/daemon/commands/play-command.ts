import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { configOption } from './options.js';
import { withLibrary } from './library-command.js';
import { readableText } from '../../kernel/visible-text.js';
import { TAG_TEXT_LIMITS } from '../../player/library/tag-reader.js';

/** `moodbox play FILE|ID`: plays one track through the configured output until it ends. */
export function registerPlay(program: Command): void {
  program
    .command('play')
    .description('play a file, or a library track by id, through the configured audio output until it ends')
    .argument('<file-or-id>', 'an audio file (added to the library if new) or a track id from `moodbox library list`')
    .addOption(configOption())
    .action(async (target: string, opts: { config?: string }) => {
      const [
        { MpvPlayer },
        { PlayRecorder },
        { MusicMetadataTagReader },
        { audioOutputArgs, resolveAudioOutput, snapcastPipe, snapcastPipeProblem },
      ] = await Promise.all([
        import('../../player/mpv-player.js'),
        import('../../player/play-recorder.js'),
        import('../../player/library/music-metadata-tag-reader.js'),
        import('../../player/audio-output.js'),
      ]);
      await withLibrary(opts.config, async ({ config, store, clock }) => {
        let track = /^\d+$/.test(target) ? store.tracks.get(Number(target)) : store.tracks.byUri(resolve(target));
        if (!track && !/^\d+$/.test(target)) {
          const path = resolve(target);
          if (!existsSync(path)) throw new Error(`Expected an audio file or a track id, got \`${target}\` (no such file)`);
          // A new file goes into the library first, so that the play can be kept in the history.
          const tags = await new MusicMetadataTagReader().read(path).catch((err: unknown) => {
            throw new Error(`cannot read \`${target}\` as audio: ${(err as Error).message}`);
          });
          track = store.tracks.upsert({
            uri: path,
            title: tags.title ?? readableText(path, TAG_TEXT_LIMITS.title),
            artist: tags.artist ?? '',
            durationMs: tags.durationMs,
          });
        }
        if (!track) throw new RangeError(`Expected the id of a track in the library (see \`moodbox library list\`), got \`${target}\``);
        if (track.missing) throw new Error(`the file of track ${track.id} is missing: ${track.uri}`);

        const log = {
          info() {},
          debug() {},
          warn: (obj: object, msg: string) => process.stderr.write(`moodbox: ${msg}\n`),
          error: (obj: object, msg: string) => process.stderr.write(`moodbox: ${msg}\n`),
        };
        const pipe = snapcastPipe(config.player.audioOutput, config.player.snapcastPipe, config.player.mpvArgs);
        const problem = pipe === undefined ? undefined : snapcastPipeProblem(pipe);
        if (problem !== undefined) throw new Error(problem);
        const player = new MpvPlayer(
          { clock, log },
          {
            mpvPath: config.player.mpvPath,
            audioOutput: resolveAudioOutput(config.player.audioOutput, process.env),
            extraArgs: [...audioOutputArgs(config.player.audioOutput, config.player.snapcastPipe), ...config.player.mpvArgs],
            pcmPipe: snapcastPipe(config.player.audioOutput, config.player.snapcastPipe, config.player.mpvArgs),
          },
        );
        const recorder = new PlayRecorder({ player, history: store.plays, clock, log });
        let outcome = 'interrupted';
        const ended = new Promise<void>((done) => {
          player.events.on('trackEnded', (e) => (outcome = e.outcome), 'moodbox play');
          player.events.on(
            'trackFailed',
            (e) => process.stderr.write(`moodbox: cannot play ${e.item.track.uri}: ${e.error}\n`),
            'moodbox play',
          );
          player.events.on('queueEnded', () => done(), 'moodbox play');
          process.once('SIGINT', () => done());
        });
        await recorder.start();
        await player.start();
        try {
          // A row an older version stored may hold a file's raw tags: what reaches the terminal is readable text.
          const artist = readableText(track.artist, TAG_TEXT_LIMITS.artist);
          const title = `${artist === '' ? '' : `${artist} – `}${readableText(track.title, TAG_TEXT_LIMITS.title)}`;
          process.stdout.write(`playing ${title}\n`);
          await player.play([{ track: { id: track.id, uri: track.uri }, reason: 'tap', note: 'played from the command line' }]);
          await ended;
        } finally {
          await player.stop();
          await recorder.stop();
        }
        process.stdout.write(`${outcome}\n`);
        if (outcome === 'failed') process.exitCode = 1;
      });
    });
}
