import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { benchE2e, formatE2eBench } from '../../src/daemon/ops/bench-e2e.js';
import { systemClock } from '../../src/kernel/clock.js';
import { ROOT } from './harness.js';
import { MOODBOX_CLI } from '../../src/daemon/testing/daemon-process.js';

describe('moodbox bench e2e', () => {
  it('measures the music following mood flips, pushes, start-up and memory on the looping clip', async () => {
    const report = await benchE2e({
      installDir: ROOT,
      seconds: 22,
      // A busy machine reads the clip late: the changes are waited for, not a fixed time.
      minMoodChanges: 2,
      entry: [MOODBOX_CLI],
      clock: systemClock,
    });
    // Happy, then sad: at least those two settled changes, each followed by a track for it.
    expect(report.moodToTrackMs.samples).toBeGreaterThanOrEqual(2);
    expect(report.pushMs.samples).toBeGreaterThanOrEqual(2);
    expect(report.startupMs.reported).toBeGreaterThan(0);
    expect(report.rssMiB.daemon).toBeGreaterThan(50);
    expect(report.rssMiB.mpv).toBeGreaterThan(5);
    // The daemon read the clip all along: it used some CPU, and never more than the machine's cores.
    expect(report.cpuPercent.daemon).toBeGreaterThan(1);
    expect(report.cpuPercent.daemon).toBeLessThan(100 * availableParallelism());
    expect(formatE2eBench(report)).toMatch(/daemon: [\d.]+% of one core over the run, [\d.]+ MiB/);
    expect(formatE2eBench(report)).toContain('settled mood change → fitting track playing: p50');
    // A clean stop with a screen connected, its time a figure rather than a bound.
    expect(report.stop.code).toBe(0);
    expect(formatE2eBench(report)).toMatch(/stop: exited \d+ ms after SIGTERM with a screen connected \(cleanly, code 0\)/);
  }, 150_000);
});
