import type { Command } from 'commander';
import { FLEET_COMMANDS, isFleetCommand } from '../mqtt/fleet-topics.js';
import type { FleetBox, FleetOperator, FleetOperatorOptions } from '../mqtt/fleet-operator.js';
import { parseJson } from '../../kernel/json.js';

const DEFAULT_URL = 'mqtt://127.0.0.1:1883';

interface BrokerOptions {
  url?: string;
}

/**
 * `moodbox fleet list|send`: the boxes on a broker and their state, and an operator's command to
 * one box or to every box of a site. The broker comes from `--url`, else `$MOODBOX_MQTT_URL`; the
 * credentials from `$MOODBOX_MQTT_USERNAME` and `$MOODBOX_MQTT_PASSWORD`.
 */
export function registerFleet(program: Command): void {
  const fleet = program.command('fleet').description('see and steer many boxes on one MQTT broker');

  fleet
    .command('list')
    .description('list the boxes on the broker with their state (from their retained messages)')
    .option('--url <url>', `the broker (default: $MOODBOX_MQTT_URL, else ${DEFAULT_URL})`)
    .option('--site <site>', 'only this site')
    .option('--json', 'print JSON')
    .action(async (opts: BrokerOptions & { site?: string; json?: boolean }) => {
      await withOperator(opts, async (operator) => {
        const boxes = await operator.list({ site: opts.site });
        if (opts.json === true) {
          process.stdout.write(`${JSON.stringify(boxes)}\n`);
          return;
        }
        if (boxes.length === 0) {
          process.stdout.write('no boxes on this broker\n');
          return;
        }
        for (const box of boxes) process.stdout.write(`${describeBox(box)}\n`);
        const online = boxes.filter((b) => b.availability === 'online').length;
        process.stdout.write(`${boxes.length} boxes, ${online} online\n`);
      });
    });

  fleet
    .command('send')
    .description(
      `send a command: ${Object.entries(FLEET_COMMANDS)
        .map(([name, what]) => `${name} (${what})`)
        .join('; ')}`,
    )
    .argument('<command>', Object.keys(FLEET_COMMANDS).join(', '))
    .argument('[value]', 'JSON value, e.g. 60, "lift", {"from":"22:00","to":"07:00"} or null')
    .requiredOption('--site <site>', 'the site')
    .option('--box <box>', 'one box (default: every box of the site)')
    .option('--url <url>', `the broker (default: $MOODBOX_MQTT_URL, else ${DEFAULT_URL})`)
    .option('--timeout <ms>', 'how long to wait for the answers', '5000')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        raw: string | undefined,
        opts: BrokerOptions & { site: string; box?: string; timeout: string; json?: boolean },
      ) => {
        if (!isFleetCommand(name)) throw new TypeError(`Expected one of ${Object.keys(FLEET_COMMANDS).join(', ')}, got \`${name}\``);
        const value = raw === undefined ? undefined : parseValue(raw);
        await withOperator(opts, async (operator) => {
          const targets = (await operator.list({ site: opts.site })).filter((b) => opts.box === undefined || b.box === opts.box);
          if (targets.length === 0) {
            // Nothing was sent, so nothing was done: a typo in a box's name is not a success.
            process.stderr.write(
              `${opts.box === undefined ? `No box at site ${opts.site}` : `No box ${opts.box} at site ${opts.site}`} (moodbox fleet list --site ${opts.site} lists them): nothing was sent\n`,
            );
            process.exitCode = 1;
            return;
          }
          const online = targets.filter((b) => b.availability === 'online');
          const offline = targets.filter((b) => b.availability !== 'online').map((b) => b.box);
          const { answers, kept } = await operator.send({
            site: opts.site,
            box: opts.box,
            command: name,
            value,
            expect: online.length,
            timeoutMs: Number(opts.timeout),
          });
          const silent = online.filter((b) => !answers.some((a) => a.box === b.box)).map((b) => b.box);
          if (opts.json === true) {
            process.stdout.write(`${JSON.stringify({ answers, silent, offline, kept })}\n`);
          } else {
            for (const a of answers)
              process.stdout.write(`${a.box.padEnd(20)} ${a.ok ? 'done' : `refused: ${a.error ?? ''}`} (${Math.round(a.afterMs)} ms)\n`);
            for (const box of silent) process.stdout.write(`${box.padEnd(20)} no answer\n`);
            // A site-wide setting is kept by the broker for the site: a box away applies it when it comes back.
            // Anything else is not kept for a box that is away: it did not do it.
            const away = kept ? 'offline: will be told when it comes back' : 'offline: not told';
            for (const box of offline) process.stdout.write(`${box.padEnd(20)} ${away}\n`);
            process.stdout.write(`${answers.filter((a) => a.ok).length} of ${targets.length} boxes did it\n`);
          }
          // Not done until every box did it: a box away has not, even when it will be told.
          if (silent.length + offline.length > 0 || answers.some((a) => !a.ok)) process.exitCode = 1;
        });
      },
    );
}

function describeBox(box: FleetBox): string {
  const s = box.state ?? {};
  const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '-');
  const playing = s['playing'] === true ? `playing ${text(s['nowPlaying'])}` : text(s['status']);
  const health = text(box.health?.['status']);
  const where = `${box.site}/${box.box}`;
  return `${where.padEnd(28)} ${box.availability.padEnd(7)} ${health.padEnd(8)} mood ${text(s['mood']).padEnd(8)} vol ${text(s['volume']).padStart(3)}/${text(s['maxVolume'])}  ${playing}`;
}

function parseValue(raw: string): unknown {
  try {
    return parseJson(raw);
  } catch {
    // A bare word (lift) is taken as a string.
    return raw;
  }
}

async function withOperator(opts: BrokerOptions, run: (operator: FleetOperator) => Promise<void>): Promise<void> {
  const [{ FleetOperator }, { systemClock }] = await Promise.all([import('../mqtt/fleet-operator.js'), import('../../kernel/clock.js')]);
  const env = process.env;
  const options: FleetOperatorOptions = {
    url: opts.url ?? env['MOODBOX_MQTT_URL'] ?? DEFAULT_URL,
    username: env['MOODBOX_MQTT_USERNAME'],
    password: env['MOODBOX_MQTT_PASSWORD'],
  };
  const operator = await FleetOperator.connect(options, { clock: systemClock });
  try {
    await run(operator);
  } finally {
    await operator.close();
  }
}
