import type { ListenerOwner } from '../../kernel/event-bus.js';

/**
 * The MQTT connection port: what Home Assistant's bridge and the fleet member need of a broker.
 * Publishing never waits and never throws: while the broker is away, what is not retained is
 * dropped and what is retained is published again on the next connection by whoever owns it
 * (they listen for `connected`). Nothing in the vision loop or the music waits on the broker.
 */
export interface MqttConnection {
  /** True while connected to the broker. */
  readonly isConnected: boolean;
  /**
   * Publishes `payload` on `topic`. MUST NOT throw or block; while disconnected a message MAY be
   * dropped. `retain` asks the broker to keep it for later subscribers.
   */
  publish(topic: string, payload: string, options?: { retain?: boolean; qos?: 0 | 1 }): void;
  /**
   * Subscribes to `filter` (MQTT wildcards allowed), again after every reconnection; `listener`
   * gets each message's topic, UTF-8 payload and whether the broker kept it (`retain`: a message
   * published before this subscription). A payload over `MAX_PAYLOAD_BYTES` MUST be dropped before
   * it reaches a listener. `owner` (a service, as on the app's bus) lets `removeListeners` end it.
   * Returns the function that unsubscribes.
   */
  subscribe(filter: string, listener: MessageListener, owner?: ListenerOwner): () => void;
  /** Calls `listener` after every (re)connection, the first one included. Returns the function that stops it. */
  onConnected(listener: () => void, owner?: ListenerOwner): () => void;
  /** Ends every subscription and connection listener `owner` made (a service, on stop); returns how many. */
  removeListeners(owner: ListenerOwner): number;
}

/** What a subscriber hears: the topic, the UTF-8 payload, and whether the broker had kept the message. */
export type MessageListener = (topic: string, payload: string, message: { retain: boolean }) => void;

/**
 * The largest payload Moodbox takes from a broker (64 KiB): its commands are a few bytes, and
 * anything larger is dropped unread, with one log line.
 */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/**
 * The largest MQTT packet the box accepts (MQTT v5 `maximumPacketSize`): the payload cap and room
 * for the topic and properties. A broker that speaks v5 does not send the box a larger one at all.
 */
export const MAX_PACKET_BYTES = MAX_PAYLOAD_BYTES + 4 * 1024;

/** Whether `topic` matches the subscription `filter` (`+` one level, `#` the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** A topic level made of what MQTT and Home Assistant allow in an id: `[a-zA-Z0-9_-]`. */
export function topicId(text: string): string {
  const id = text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return id === '' ? 'moodbox' : id;
}
