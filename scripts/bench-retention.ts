// Retention on a simulated year: fills a real SQLite file with a year of a busy café (the mood
// log every few seconds of 12 opening hours, a song every 3.5 minutes, the audit log), runs the
// nightly retention job on it, and prints the file before and after, the job's time, and how long
// a month of history and of the dashboard's charts take to read (median of 20, CPU time of this
// process: the machines here are shared, so wall time says little).
//
//   node --import tsx scripts/bench-retention.ts [--mood-every 5] [--json]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DATABASE_FILE } from '../src/daemon/config/paths.js';
import { loadConfig } from '../src/daemon/config/load-config.js';
import { chartStats } from '../src/daemon/http/chart-stats.js';
import { RetentionService } from '../src/daemon/ops/retention-service.js';
import { openSqliteStore } from '../src/daemon/store/sqlite-store.js';
import { FakeClock } from '../src/daemon/testing/fake-clock.js';
import { simulateYear } from '../src/daemon/testing/simulated-year.js';

const { values } = parseArgs({ options: { 'mood-every': { type: 'string', default: '5' }, json: { type: 'boolean', default: false } } });
const moodEveryS = Number(values['mood-every']);
if (!(moodEveryS > 0))
  throw new RangeError(`Expected \`--mood-every\` to be a positive number of seconds, got \`${values['mood-every']}\``);

const DAY_MS = 86_400_000;
const MIB = 1024 * 1024;
const cpuMs = (fn: () => unknown): number => {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};
const median = (fn: () => unknown, runs = 20): number => {
  const times = Array.from({ length: runs }, () => cpuMs(fn)).sort((a, b) => a - b);
  return times[Math.floor(runs / 2)] ?? 0;
};
const silent = { info: () => {}, warn: () => {}, error: () => {} };

const dir = mkdtempSync(join(tmpdir(), 'moodbox-bench-retention-'));
try {
  const clock = new FakeClock(Date.UTC(2026, 10, 24, 3, 30));
  const path = join(dir, DATABASE_FILE);
  openSqliteStore({ clock, log: silent }, { path }).close();
  let written: ReturnType<typeof simulateYear> | undefined;
  const fillMs = cpuMs(() => (written = simulateYear(path, clock.now(), { moodEveryS })));
  const before = statSync(path).size;
  const store = openSqliteStore({ clock, log: silent }, { path });
  const queries = (): Record<string, number> => {
    const to = clock.now();
    const from = to - 30 * DAY_MS;
    return {
      historyPageMs: median(() => store.plays.list({ from, to, limit: 50 })),
      moodLogMonthMs: median(() => store.stats.moodLog(from, to)),
      playsPerMoodPerDayMs: median(() => store.stats.playsPerMoodPerBucket(from, to, DAY_MS)),
      playsPerHourMs: median(() => store.stats.playsPerHourOfDay(from, to, 0)),
      topTracksMs: median(() => store.stats.topTracks(from, to, 10)),
      // The dashboard's week (its longest range): from a midnight, the mood in half hours, plays per day.
      dashboardWeekMs: median(() =>
        chartStats(store.stats, { from: Math.floor(to / DAY_MS) * DAY_MS - 6 * DAY_MS, to, bucketMs: DAY_MS / 48, playsBucketMs: DAY_MS }),
      ),
      // A whole month: all of the above, the mood timeline in 6-hour buckets.
      dashboardMonthMs: median(() => chartStats(store.stats, { from, to, bucketMs: DAY_MS / 4, playsBucketMs: DAY_MS })),
    };
  };
  const beforeQueries = queries();
  const rowsBefore = store.maintenance.use().tables;
  const service = new RetentionService(
    { clock, log: silent, store, settings: () => loadConfig({ env: {} }).config.retention },
    { coversDir: join(dir, 'covers') },
  );
  const jobCpu = process.cpuUsage();
  const report = await service.run();
  const jobUsed = process.cpuUsage(jobCpu);
  const after = statSync(path).size;
  const afterQueries = queries();
  const result = {
    moodEveryS,
    written,
    fillCpuMs: Math.round(fillMs),
    fileMiBBefore: +(before / MIB).toFixed(1),
    fileMiBAfter: +(after / MIB).toFixed(1),
    tablesBefore: rowsBefore.slice(0, 4).map((t) => `${t.name} ${(t.bytes / MIB).toFixed(1)} MiB`),
    tablesAfter: store.maintenance
      .use()
      .tables.slice(0, 4)
      .map((t) => `${t.name} ${(t.bytes / MIB).toFixed(1)} MiB`),
    job: { ...report, ms: undefined, cpuMs: Math.round((jobUsed.user + jobUsed.system) / 1000) },
    monthQueriesBefore: beforeQueries,
    monthQueriesAfter: afterQueries,
  };
  store.close();
  process.stdout.write(values.json === true ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
