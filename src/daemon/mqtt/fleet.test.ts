import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMoodbox } from '../testing/daemon-process.js';
import { TestBroker } from '../testing/mosquitto.js';
import { MqttProbe } from '../testing/mqtt-probe.js';
import { startSimulatedFleet } from '../testing/simulated-fleet.js';
import type { FleetBox } from './fleet-operator.js';

const FLEET_SIZE = 50;

let broker: TestBroker;
let fleet: Awaited<ReturnType<typeof startSimulatedFleet>>;

/** `moodbox fleet …` as an operator runs it, against the test broker. */
function moodbox(...args: string[]): Promise<{ stdout: string; code: number }> {
  return runMoodbox(['fleet', ...args, '--url', broker.url]);
}

beforeAll(async () => {
  broker = await TestBroker.start();
  fleet = await startSimulatedFleet({ url: broker.url, site: 'cafe', count: FLEET_SIZE });
}, 60_000);

afterAll(async () => {
  await fleet.stop();
  await broker.close();
});

describe('a fleet of boxes on one broker', () => {
  it(`lists ${FLEET_SIZE} boxes with their state, and a site-wide command reaches every one of them`, async () => {
    const listed = await moodbox('list', '--site', 'cafe', '--json');
    expect(listed.code).toBe(0);
    const boxes = JSON.parse(listed.stdout) as FleetBox[];
    expect(boxes).toHaveLength(FLEET_SIZE);
    expect(boxes.every((b) => b.availability === 'online' && b.health?.['status'] === 'ready')).toBe(true);
    expect(boxes[0]).toMatchObject({ site: 'cafe', box: 'box-001', state: { mood: 'happy', playing: true, volume: 60, maxVolume: 80 } });

    const sent = await moodbox('send', 'volume-cap', '60', '--site', 'cafe', '--json');
    expect(sent.code).toBe(0);
    const { answers, silent } = JSON.parse(sent.stdout) as { answers: Array<{ box: string; ok: boolean }>; silent: string[] };
    expect(silent).toEqual([]);
    expect(answers.filter((a) => a.ok)).toHaveLength(FLEET_SIZE);
    for (const box of fleet.boxes) expect(box.received).toEqual([{ command: 'volume-cap', value: 60, at: expect.any(Number) }]);
  }, 60_000);

  it('a stopped fleet member hears no more commands on a connection that stays up', async () => {
    const box = fleet.boxes[9];
    if (box === undefined) throw new Error('Expected a tenth box');
    const before = box.received.length;
    await box.member.stop();
    // Heard on the same connection, after the member would have been: the member's listener is gone, not slow.
    const heard: string[] = [];
    box.connection.subscribe(box.member.topics.commands, (topic) => heard.push(topic), 'test');
    const probe = await MqttProbe.connect(broker.url);
    await probe.publish(`${box.member.topics.commands.replace(/[+#]$/, '')}policy`, JSON.stringify({ id: 'after-stop', value: 'lift' }));
    await expect.poll(() => heard.length).toBe(1);
    expect(box.received).toHaveLength(before);
    expect(box.connection.removeListeners('test')).toBe(1);
    await probe.close();
  });

  it('sends a command to one box only, refuses an unknown one, and lists a stopped box as offline', async () => {
    const one = await moodbox('send', 'policy', 'lift', '--site', 'cafe', '--box', 'box-007', '--json');
    expect(one.code).toBe(0);
    expect(fleet.boxes.filter((b) => b.received.some((r) => r.command === 'policy')).map((b) => b.box)).toEqual(['box-007']);

    const probe = await MqttProbe.connect(broker.url, ['moodbox/cafe/box-002/cmd-result']);
    await probe.publish('moodbox/cafe/box-002/cmd/shutdown', JSON.stringify({ id: 'x1' }));
    await expect.poll(() => probe.latest('moodbox/cafe/box-002/cmd-result')).toMatchObject({ id: 'x1', ok: false });
    await probe.close();

    // A box that stops says it is offline, and the list shows it.
    await fleet.boxes[2]?.connection.stop();
    await expect
      .poll(
        async () =>
          (JSON.parse((await moodbox('list', '--site', 'cafe', '--json')).stdout) as FleetBox[]).find((b) => b.box === 'box-003')
            ?.availability,
        {
          timeout: 15_000,
        },
      )
      .toBe('offline');

    // A command that reached no box is a failure: an offline box, a site-wide one that missed it, a box that is not there (issue 62).
    const toOffline = await moodbox('send', 'policy', 'lift', '--site', 'cafe', '--box', 'box-003');
    expect(toOffline.code).toBe(1);
    expect(toOffline.stdout).toContain('box-003              offline: not told');
    expect(toOffline.stdout).toContain('0 of 1 boxes did it');
    const siteWide = await moodbox('send', 'volume-cap', '55', '--site', 'cafe', '--json');
    expect(siteWide.code).toBe(1);
    // A site-wide setting is kept for it by the broker (issue 62), yet it has not done it yet.
    expect(JSON.parse(siteWide.stdout) as { offline: string[]; kept: boolean }).toMatchObject({
      offline: expect.arrayContaining(['box-003']) as string[],
      kept: true,
    });
    const ghost = await moodbox('send', 'policy', 'lift', '--site', 'cafe', '--box', 'ghost');
    expect(ghost).toEqual({ stdout: '', code: 1 });
    expect(fleet.boxes.some((b) => b.received.some((r) => r.command === 'policy' && b.box !== 'box-007'))).toBe(false);
  }, 60_000);
});
