import { pino } from 'pino';
import { systemClock } from '../../kernel/clock.js';
import { FleetMember } from '../mqtt/fleet-member.js';
import { boxTopics, type FleetCommand } from '../mqtt/fleet-topics.js';
import { MqttJsConnection } from '../mqtt/mqtt-js-connection.js';

const MOODS = ['happy', 'neutral', 'sad', 'surprise'] as const;

/** One simulated box: the fleet module on its own broker connection, recording the commands it got. */
export interface SimulatedBox {
  box: string;
  connection: MqttJsConnection;
  member: FleetMember;
  /** Each command carried out, with `performance.now()` when it arrived. */
  received: Array<{ command: FleetCommand; value: unknown; at: number }>;
}

/**
 * `count` boxes of `site` on the broker at `url`, as many daemons' MQTT clients would be (the
 * fleet module alone, not whole daemons): each connects with its own client id and last will,
 * publishes a retained state and health, and answers commands. Resolves once all are connected.
 */
export async function startSimulatedFleet(options: { url: string; site: string; count: number; heartbeatMs?: number }): Promise<{
  boxes: SimulatedBox[];
  stop: () => Promise<void>;
}> {
  const log = pino({ level: 'silent' });
  const boxes: SimulatedBox[] = [];
  for (let i = 0; i < options.count; i++) {
    const box = `box-${String(i + 1).padStart(3, '0')}`;
    const connection = new MqttJsConnection(
      { log, clock: systemClock },
      {
        url: options.url,
        clientId: `moodbox-${options.site}-${box}`,
        availability: { topic: boxTopics(options.site, box).availability, online: 'online', offline: 'offline' },
        minReconnectMs: 200,
        maxReconnectMs: 5000,
        keepaliveS: 30,
      },
    );
    const received: SimulatedBox['received'] = [];
    const member = new FleetMember(
      {
        connection,
        clock: systemClock,
        log,
        handle: async (command, value) => {
          received.push({ command, value, at: performance.now() });
        },
      },
      { site: options.site, box, heartbeatMs: options.heartbeatMs ?? 30_000, acceptCommands: true, events: true },
    );
    boxes.push({ box, connection, member, received });
  }
  await Promise.all(
    boxes.map(async ({ connection, member }, i) => {
      await connection.start();
      await member.start();
      member.setState({
        mood: MOODS[i % MOODS.length],
        faces: i % 3,
        playing: true,
        status: 'playing',
        nowPlaying: `Track ${i + 1}`,
        volume: 60,
        maxVolume: 80,
      });
      member.setHealth({ version: 'simulated', status: 'ready' });
    }),
  );
  const deadline = performance.now() + 20_000;
  while (boxes.some((b) => !b.connection.isConnected)) {
    if (performance.now() > deadline)
      throw new Error(
        `Expected ${options.count} boxes to connect within 20 s, got ${boxes.filter((b) => b.connection.isConnected).length}`,
      );
    await systemClock.sleep(20);
  }
  return {
    boxes,
    stop: async () => {
      await Promise.all(
        boxes.map(async ({ connection, member }) => {
          await member.stop();
          await connection.stop();
        }),
      );
    },
  };
}
