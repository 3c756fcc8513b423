import type { Command } from 'commander';

/**
 * `moodbox config init`: a box's first configuration file from a few answers (the camera, the
 * music folders, the kind of place, the address to serve, the kiosk's language), checked as the
 * daemon checks it. `scripts/setup.sh install` asks the questions and calls it.
 */
export function registerConfig(program: Command): void {
  const config = program.command('config').description('the configuration file');
  config
    .command('init')
    .description('write a first configuration file (kept if one is there, unless --force)')
    .requiredOption('--out <file>', 'where to write it, e.g. /etc/moodbox/config.json')
    .option('--camera <source>', 'a camera device (/dev/video0), a stream URL, or none', '/dev/video0')
    .option('--music <folder>', 'a music folder (absolute path); give it again for more', (v: string, all: string[]) => [...all, v], [])
    .option('--venue <kind>', 'business (a café, a shop, a lobby) or home', 'business')
    .option('--host <address>', '0.0.0.0: the admin panel and guests’ phones on the LAN; 127.0.0.1: the box alone', '0.0.0.0')
    .option('--language <code>', "the kiosk's language: en, de, fr, es, it, pt, nl, or auto (the kiosk browser's)", 'auto')
    .option('--force', 'replace a file that is there')
    .action(
      async (opts: { out: string; camera: string; music: string[]; venue: string; host: string; language: string; force?: boolean }) => {
        const [{ initialConfig, writeConfigFile }, { ConfigError }, path] = await Promise.all([
          import('../config/config-init.js'),
          import('../config/config-error.js'),
          import('node:path'),
        ]);
        try {
          const file = path.resolve(opts.out);
          const written = initialConfig({
            camera: opts.camera,
            music: opts.music.length === 0 ? ['/srv/music'] : opts.music,
            venue: opts.venue as 'business' | 'home',
            host: opts.host,
            language: opts.language,
          });
          writeConfigFile(file, written, { force: opts.force === true });
          process.stdout.write(`wrote ${file}\n`);
        } catch (err) {
          if (!(err instanceof ConfigError)) throw err;
          process.stderr.write(`moodbox config init: ${err.message}\n`);
          // 78 (EX_CONFIG), as the daemon exits on a bad configuration.
          process.exitCode = 78;
        }
      },
    );
}
