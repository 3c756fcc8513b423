import { connectAsync, type MqttClient } from 'mqtt';
import { topicMatches } from '../mqtt/mqtt-connection.js';

/** One message a probe heard. */
export interface HeardMessage {
  topic: string;
  payload: string;
  retain: boolean;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/**
 * A test's own MQTT client: it hears what Moodbox publishes, as Home Assistant or an operator
 * would, keeps every message, and publishes commands.
 */
export class MqttProbe {
  readonly messages: HeardMessage[] = [];
  readonly client: MqttClient;

  private constructor(client: MqttClient) {
    this.client = client;
    client.on('message', (topic, payload, packet) =>
      this.messages.push({ topic, payload: payload.toString('utf8'), retain: packet.retain, at: Date.now() }),
    );
  }

  static async connect(url: string, filters: readonly string[] = []): Promise<MqttProbe> {
    const client = await connectAsync(url, { reconnectPeriod: 200, clean: true });
    const probe = new MqttProbe(client);
    for (const filter of filters) await client.subscribeAsync(filter, { qos: 1 });
    return probe;
  }

  /** Messages heard on topics matching `filter`. */
  heard(filter: string): HeardMessage[] {
    return this.messages.filter((m) => topicMatches(filter, m.topic));
  }

  /** The newest message on a topic matching `filter`, parsed as JSON. */
  latest<T = Record<string, unknown>>(filter: string): T | undefined {
    const found = this.heard(filter).at(-1);
    return found === undefined ? undefined : (JSON.parse(found.payload) as T);
  }

  async publish(topic: string, payload: string, options: { retain?: boolean } = {}): Promise<void> {
    await this.client.publishAsync(topic, payload, { qos: 1, retain: options.retain ?? false });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
