/**
 * The mood's lag with faces read at a pace (`src/vision/read-pace.ts`) against reading every face
 * in every frame: the café days of the room simulator (src/daemon/testing/room-simulator.ts), read
 * at 10 frames a second by the real mood tracker, the faces read in every frame, or at the vision
 * loop's pace (`READ_PACE`: a steady face twice a second, every face in every frame while the room's
 * mood is contested) with a change of expression seen at once, or missed until its next paced read
 * (the worst case: a change the crop's test did not see); a steady face twice a second even while
 * the mood is contested (the pace before); and, as the simulator reads by default, every face twice
 * a second. Each simulated reading's noise is drawn afresh, so reading a face ten
 * times a second averages ten independent readings, where a camera's frames of a still face read
 * nearly alike: reading every frame is the optimistic bound. Prints, per rule, the median and 90th
 * percentile of the lag from a change of the room's top emotion to the room mood following it, the
 * changes it never followed within their scene, the room mood's changes, and the share of faces read.
 *
 * Run: node --import tsx scripts/measure-read-pace.ts
 */
import { CAFE_TRACES } from '../src/daemon/testing/cafe-traces.js';
import { simulateRoom, type SimulationOptions } from '../src/daemon/testing/room-simulator.js';
import { READ_PACE } from '../src/vision/read-pace.js';

const FRAME_MS = 100;
const SEEDS = [1, 2];
const rules: Array<{ name: string; options: SimulationOptions }> = [
  { name: 'every face in every frame', options: { frameMs: FRAME_MS } },
  { name: 'paced, change seen', options: { frameMs: FRAME_MS, readPace: { ...READ_PACE, seesChange: true } } },
  { name: 'paced, change missed', options: { frameMs: FRAME_MS, readPace: { ...READ_PACE, seesChange: false } } },
  // Steady faces twice a second even while the mood is contested (the pace before `contestedMs`).
  {
    name: 'paced 500 ms throughout',
    options: { frameMs: FRAME_MS, readPace: { ...READ_PACE, contestedMs: READ_PACE.steadyMs, seesChange: true } },
  },
  // The simulator's own cadence: each face read twice a second, every reading's noise its own.
  { name: 'every face, 2 frames a second', options: { frameMs: 500 } },
];

const at = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

console.log(`${CAFE_TRACES.length} café days x ${SEEDS.length} seeds, ${1000 / FRAME_MS} analysed frames a second`);
for (const rule of rules) {
  const lags: number[] = [];
  let [missed, moodChanges, share, runs] = [0, 0, 0, 0];
  for (const trace of CAFE_TRACES) {
    for (const seed of SEEDS) {
      const report = await simulateRoom(trace, { ...rule.options, seed });
      for (const lag of report.moodLagS) {
        if (Number.isFinite(lag)) lags.push(lag);
        else missed += 1;
      }
      moodChanges += report.moodChanges;
      share += report.readShare;
      runs += 1;
    }
  }
  lags.sort((a, b) => a - b);
  console.log(
    `${rule.name.padEnd(30)} lag median ${at(lags, 0.5).toFixed(1)} s, p90 ${at(lags, 0.9).toFixed(1)} s, mean ` +
      `${(lags.reduce((a, b) => a + b, 0) / lags.length).toFixed(2)} s (${lags.length} followed, ${missed} not within the scene); ` +
      `mood changes ${moodChanges}; faces read ${((100 * share) / runs).toFixed(0)}%`,
  );
}
process.exit(0);
