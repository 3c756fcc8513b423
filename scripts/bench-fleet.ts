/**
 * How a fleet behaves on one Mosquitto broker: simulated boxes (the fleet module alone, each on its
 * own MQTT connection, as many daemons would be) of one site, a `moodbox fleet list` of them, and
 * site-wide commands. Prints, for each fleet size, how long the list took, how long a site-wide
 * command took to reach every box and to be answered by every box (median and worst of the
 * rounds), and the broker's memory. Starts its own broker on a free port of 127.0.0.1.
 *
 *   node --import tsx scripts/bench-fleet.ts [--sizes 50,200,500] [--rounds 20] [--json]
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/kernel/clock.js';
import { FleetOperator } from '../src/daemon/mqtt/fleet-operator.js';
import { TestBroker } from '../src/daemon/testing/mosquitto.js';
import { startSimulatedFleet } from '../src/daemon/testing/simulated-fleet.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '50,200,500' },
    rounds: { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map(Number);
const rounds = Number(values.rounds);

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function brokerRssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kb / 102.4) / 10;
}

const results = [];
for (const size of sizes) {
  const broker = await TestBroker.start();
  const connectStart = performance.now();
  const fleet = await startSimulatedFleet({ url: broker.url, site: 'bench', count: size });
  const connectMs = performance.now() - connectStart;
  const operator = await FleetOperator.connect({ url: broker.url }, { clock: systemClock });
  const listStart = performance.now();
  const listed = await operator.list({ site: 'bench', quietMs: 100 });
  const listMs = performance.now() - listStart;
  const reachAll: number[] = [];
  const answeredAll: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const box of fleet.boxes) box.received.length = 0;
    const sentAt = performance.now();
    const { answers } = await operator.send({
      site: 'bench',
      command: 'volume-cap',
      value: 50 + (round % 30),
      expect: size,
      timeoutMs: 10_000,
    });
    const arrivals = fleet.boxes.map((b) => b.received[0]?.at ?? Number.NaN);
    reachAll.push(Math.max(...arrivals) - sentAt);
    answeredAll.push(answers.length === size ? Math.max(...answers.map((a) => a.afterMs)) : Number.NaN);
  }
  reachAll.sort((a, b) => a - b);
  answeredAll.sort((a, b) => a - b);
  const result = {
    boxes: size,
    listed: listed.length,
    connectAllMs: Math.round(connectMs),
    listMs: Math.round(listMs),
    reachAllMs: { median: Math.round(quantile(reachAll, 0.5) * 10) / 10, max: Math.round((reachAll.at(-1) ?? Number.NaN) * 10) / 10 },
    answeredAllMs: {
      median: Math.round(quantile(answeredAll, 0.5) * 10) / 10,
      max: Math.round((answeredAll.at(-1) ?? Number.NaN) * 10) / 10,
    },
    brokerRssMb: brokerRssMb(broker.pid),
  };
  results.push(result);
  if (!values.json)
    process.stdout.write(
      `${String(size).padStart(4)} boxes: all connected in ${result.connectAllMs} ms; fleet list saw ${result.listed} in ${result.listMs} ms (100 ms of quiet included); ` +
        `a site-wide command reached all in ${result.reachAllMs.median} ms median, ${result.reachAllMs.max} ms worst of ${rounds}; ` +
        `all answers back in ${result.answeredAllMs.median} ms median, ${result.answeredAllMs.max} ms worst; broker RSS ${result.brokerRssMb} MB\n`,
    );
  await operator.close();
  await fleet.stop();
  await broker.close();
}
if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
