/**
 * The room simulator: café days (scripted scenes read by the real mood tracker) played to by the
 * real music director in accelerated time. Prints, per trace and per rule, the songs cut an hour,
 * the seconds from a lasting change to fitting music, and the share of the time the music fits.
 *
 * Run: node --import tsx scripts/simulate-room.ts [--compare]
 *   --compare  also runs the rule of a box that switches at once, and other holds and distances
 */
import { CAFE_TRACES } from '../src/daemon/testing/cafe-traces.js';
import { simulateRoom, type SimulationOptions, type SimulationReport } from '../src/daemon/testing/room-simulator.js';
import { SWITCH_AT_ONCE } from '../src/daemon/testing/director-harness.js';
import { loadConfig } from '../src/daemon/config/load-config.js';

const shipped = loadConfig({ env: {} }).config;
const rules: Array<{ name: string; options: SimulationOptions }> = [
  {
    name: `shipped (distance ${shipped.player.transitions.cutDistance}, hold ${shipped.player.transitions.cutHoldMs / 1000} s, dwell ${shipped.mood.dwellMs / 1000} s)`,
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
    { name: 'dwell 10 s', options: { mood: { dwellMs: 10_000 } } },
  );
}

const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');

console.log(
  '| rule | trace | hours | songs | cuts an hour | cut in first 60 s | mood changes | lasting changes | to fitting music, median (max) s | within one song | music fits |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const rule of rules) {
  const all: SimulationReport[] = [];
  for (const trace of CAFE_TRACES) {
    const r = await simulateRoom(trace, { library: { perMood: 25, seed: 3 }, ...rule.options });
    all.push(r);
    console.log(
      `| ${rule.name} | ${r.trace} | ${fmt(r.hours)} | ${r.songs} | ${fmt(r.cutsPerHour, 2)} (${r.cuts}) | ${r.cutsInFirstMinute} | ${r.moodChanges} | ${r.lastingChanges} | ${fmt(r.medianToFitS, 0)} (${fmt(Math.max(...r.toFitS), 0)}) | ${r.withinOneSong} of ${r.lastingChanges} | ${fmt(r.fitShare * 100, 0)}% |`,
    );
  }
  if (process.argv.includes('--verbose')) {
    for (const r of all) {
      for (const c of r.changes) {
        console.log(
          `${r.trace} ${new Date(c.at).toISOString().slice(11, 16)} ${c.what} → ${c.top}: fitting after ${c.toFitS} s, ${c.songs} songs started`,
        );
      }
      console.log(
        `\n${r.trace}: ${r.plays.map((p) => `${new Date(p.startedAt).toISOString().slice(11, 16)} ${p.mood}${p.outcome === 'switched' ? ` CUT after ${Math.round(((p.endedAt ?? 0) - p.startedAt) / 1000)} s, fade ${p.fade.length} steps` : ''}`).join('\n  ')}`,
      );
    }
  }
}
