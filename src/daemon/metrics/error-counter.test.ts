import { describe, expect, it } from 'vitest';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { FakePlayer } from '../../player/testing/fake-player.js';
import { createLogger } from '../logging.js';
import { FakeClock } from '../testing/fake-clock.js';
import { ErrorCounter } from './error-counter.js';
import { MoodboxMetrics } from './moodbox-metrics.js';

/** The root logger as the daemon makes it, writing into `lines`, with the error counter on its hook. */
function logged(errors: ErrorCounter): { log: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) }, errors }), lines };
}

/** The count of each part. */
async function counts(errors: ErrorCounter): Promise<Record<string, number>> {
  const { values } = await errors.metric.get();
  return Object.fromEntries(values.map((v): [string, number] => [String(v.labels.part), v.value]));
}

describe('moodbox_errors_total, the lines logged at error level by part (issue 81)', () => {
  it('counts each line at error or fatal under its logger’s module, the root’s as daemon, and nothing below error', async () => {
    const errors = new ErrorCounter();
    const { log, lines } = logged(errors);
    const camera = log.child({ module: 'camera' });
    camera.error({ err: new Error('no frame for 10 s') }, 'camera lost');
    // A child of a part's logger (fastify's per request) is still that part.
    camera.child({ reqId: 'r1' }).error({}, 'frame unreadable');
    log.child({ module: 'store' }).fatal({}, 'database unreadable');
    log.child({ module: 'mqtt' }).warn({}, 'mqtt broker unreachable; retrying');
    log.info({}, 'moodbox ready');
    log.error({}, 'the restore was not done');

    expect(await counts(errors)).toEqual({ camera: 2, store: 1, mqtt: 0, daemon: 1 });
    // Counting writes nothing and drops nothing: every line still goes out.
    expect(lines).toHaveLength(6);
  });

  it('serves each part at 0 from when its logger is made, so that an increase() sees its first error', async () => {
    const errors = new ErrorCounter();
    const { log } = logged(errors);
    log.child({ module: 'camera' });
    log.child({ module: 'store' });
    expect(await counts(errors)).toEqual({ daemon: 0, camera: 0, store: 0 });
  });

  it('is served with the other metrics when they are on', async () => {
    const errors = new ErrorCounter();
    logged(errors).log.child({ module: 'music' }).error({}, 'nothing to play');
    const metrics = new MoodboxMetrics({
      bus: new EventBus(throwingReporter),
      player: new FakePlayer({ clock: new FakeClock() }),
      sourceOf: () => 'local',
      errors,
    });
    const { body } = await metrics.render('guest');
    expect(body).toContain('# TYPE moodbox_errors_total counter');
    expect(body).toMatch(/^moodbox_errors_total\{part="music"\} 1$/m);
  });
});
