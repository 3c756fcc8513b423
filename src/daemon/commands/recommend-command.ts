import type { Command } from 'commander';
import { configOption } from './options.js';
import { withLibrary } from './library-command.js';

/** `moodbox recommend --mood M`: what Moodbox would play now, with its reasons. */
export function registerRecommend(program: Command): void {
  program
    .command('recommend')
    .description('show the next track and six suggestions for a mood, with the reason for each')
    .requiredOption('--mood <mood>', 'a mood (calm, upbeat, …) or an emotion (happy, sad, …), mapped through the emotion → mood table')
    .option('--lift <mood>', 'step from the mood toward this one instead of matching it')
    .option('--user <id>', "use this person's languages, artists, avoided moods, likes and skips")
    .option('--seed <n>', 'seed for the random choice: the same seed gives the same picks')
    .option('--json', 'print JSON')
    .addOption(configOption())
    .action(async (opts: { mood: string; lift?: string; user?: string; seed?: string; json?: boolean; config?: string }) => {
      const [{ MusicCatalogue }, moods, { seededRandom }, { recommendFor }] = await Promise.all([
        import('../music/music-catalogue.js'),
        import('../../player/moods.js'),
        import('../../kernel/random.js'),
        import('../music/recommend-for.js'),
      ]);
      const seed = opts.seed === undefined ? undefined : Number(opts.seed);
      if (seed !== undefined && !Number.isInteger(seed)) throw new TypeError(`Expected \`--seed\` to be an integer, got \`${opts.seed}\``);
      const userId = opts.user === undefined ? undefined : Number(opts.user);
      if (userId !== undefined && !Number.isInteger(userId))
        throw new TypeError(`Expected \`--user\` to be a user id, got \`${opts.user}\``);

      await withLibrary(opts.config, async ({ store, clock }) => {
        const name = moods.moodName(opts.mood);
        const emotion = moods.EMOTIONS.find((e) => e === name);

        if (userId !== undefined && !store.users.get(userId)) {
          throw new RangeError(`Expected the id of a person (see \`moodbox user list\`), got \`${userId}\``);
        }
        // The daemon's own catalogue: what the music may pick by itself (no jingle or sting under
        // 30 s, no Spotify track), so the CLI suggests what the box would play.
        const quiet = { debug() {}, info() {}, warn() {}, error() {} };
        const catalogue = new MusicCatalogue({ log: quiet, store });
        catalogue.reload();
        const result = recommendFor(
          {
            store,
            clock,
            random: seededRandom(seed ?? clock.now()),
            recommender: catalogue.recommender,
          },
          {
            // An emotion goes through the emotion → mood table, as the camera's would; a mood is aimed at as named.
            ...(emotion === undefined ? { scores: {}, moods: { [name]: 1 } } : { scores: { [emotion]: 1 } }),
            ...(opts.lift === undefined ? {} : { policy: 'lift', liftTo: moods.moodName(opts.lift) }),
            userId: userId ?? null,
          },
        );
        const describe = (pick: (typeof result.suggestions)[number]) => {
          const track = store.tracks.get(pick.trackId);
          return { ...pick, title: track?.title ?? '', artist: track?.artist ?? '', uri: track?.uri ?? '' };
        };
        const out = { aim: result.aim, next: result.next && describe(result.next), suggestions: result.suggestions.map(describe) };
        if (opts.json === true) {
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        if (!out.next) {
          process.stdout.write(
            catalogue.size === 0
              ? 'nothing to recommend: the library is empty (add music with `moodbox library scan DIR`)\n'
              : 'nothing to recommend: the music picks none of the library by itself (songs under 30 s play only when chosen)\n',
          );
          process.exitCode = 1;
          return;
        }
        const line = (p: NonNullable<typeof out.next>) =>
          `${p.artist === '' ? '(unknown artist)' : p.artist} – ${p.title}  (${p.reason.text}; fit ${p.fit.toFixed(2)})`;
        process.stdout.write(`next: ${line(out.next)}\n`);
        out.suggestions.forEach((s, k) => process.stdout.write(`  ${k + 1}. ${line(s)}\n`));
      });
    });
}
