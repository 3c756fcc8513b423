/**
 * The room simulator: café days (scripted scenes read by the real mood tracker) played to by the
 * real music director in accelerated time. Prints, per trace and per rule, the songs cut an hour,
 * the seconds from a lasting change to fitting music, and the share of the time the music fits.
 *
 * Run: node --import tsx scripts/simulate-room.ts [--compare] [--verbose]
 *   --compare  also runs the rule of a box that switches at once, and other holds, distances and dwells
 *   --verbose  also prints each lasting change and each day's songs
 */
import { CAFE_TRACES } from '../src/daemon/testing/cafe-traces.js';
import { median, simulateRoom, type SimulationOptions, type SimulationReport } from '../src/daemon/testing/room-simulator.js';
import { SWITCH_AT_ONCE } from '../src/daemon/testing/director-harness.js';
import { loadConfig } from '../src/daemon/config/load-config.js';

const shipped = loadConfig({ env: {} }).config;
const rules: Array<{ name: string; options: SimulationOptions }> = [
  {
    name: `shipped (distance ${shipped.player.transitions.cutDistance}, hold ${shipped.player.transitions.cutHoldMs / 1000} s, mood dwell ${shipped.mood.dwellMs / 1000} s)`,
    options: {},
  },
];
if (process.argv.includes('--compare')) {
  const t = shipped.player.transitions;
  rules.push(
    { name: 'switch at once (the rule before)', options: { player: { transitions: SWITCH_AT_ONCE } } },
    { name: 'hold 30 s', options: { player: { transitions: { ...t, cutHoldMs: 30_000 } } } },
    { name: 'hold 120 s', options: { player: { transitions: { ...t, cutHoldMs: 120_000 } } } },
    { name: 'distance 0.5', options: { player: { transitions: { ...t, cutDistance: 0.5 } } } },
    { name: 'distance 0.5, hold 30 s', options: { player: { transitions: { ...t, cutDistance: 0.5, cutHoldMs: 30_000 } } } },
    { name: 'mood dwell 6 s', options: { mood: { dwellMs: 6000 } } },
    { name: 'mood dwell 10 s', options: { mood: { dwellMs: 10_000 } } },
    { name: 'mood dwell 15 s', options: { mood: { dwellMs: 15_000 } } },
  );
}

const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
/** Each trace is played with these seeds (the faces' noise, and the library's); a row sums them. */
const SEEDS = [1, 2, 3, 4, 5];

console.log(
  `Each row: the trace played ${SEEDS.length} times (seeds ${SEEDS.join(', ')}), summed.\n\n` +
    '| rule | trace | hours | songs | cuts an hour | cut in first 60 s | mood changes | lasting changes | to fitting music, median (max) s | within one song | music fits |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const rule of rules) {
  for (const trace of CAFE_TRACES) {
    const runs: SimulationReport[] = [];
    for (const seed of SEEDS) runs.push(await simulateRoom(trace, { seed, library: { perMood: 25, seed: 2 + seed }, ...rule.options }));
    const sum = (f: (r: SimulationReport) => number): number => runs.reduce((a, r) => a + f(r), 0);
    const toFit = runs.flatMap((r) => r.toFitS).filter(Number.isFinite);
    const hours = sum((r) => r.hours);
    console.log(
      `| ${rule.name} | ${trace.name} | ${fmt(hours)} | ${sum((r) => r.songs)} | ${fmt(sum((r) => r.cuts) / hours, 2)} (${sum((r) => r.cuts)}) | ${sum((r) => r.cutsInFirstMinute)} | ${sum((r) => r.moodChanges)} | ${sum((r) => r.lastingChanges)} | ${fmt(median(toFit), 0)} (${fmt(Math.max(...toFit), 0)}) | ${sum((r) => r.withinOneSong)} of ${sum((r) => r.lastingChanges)} | ${fmt((sum((r) => r.fitShare * r.hours) / hours) * 100, 0)}% |`,
    );
    if (process.argv.includes('--verbose')) verbose(runs);
  }
}

function verbose(runs: readonly SimulationReport[]): void {
  for (const [i, r] of runs.entries()) {
    for (const c of r.changes) {
      console.log(
        `seed ${SEEDS[i]} ${r.trace} ${new Date(c.at).toISOString().slice(11, 16)} ${c.what} → ${c.top}: fitting after ${c.toFitS} s, ${c.songs} songs started`,
      );
    }
    console.log(
      `\nseed ${SEEDS[i]} ${r.trace}: ${r.plays.map((p) => `${new Date(p.startedAt).toISOString().slice(11, 16)} ${p.mood}${p.outcome === 'switched' ? ` CUT after ${Math.round(((p.endedAt ?? 0) - p.startedAt) / 1000)} s, fade ${p.fade.length} steps` : ''}`).join('\n  ')}`,
    );
  }
}
