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
   * gets each message's topic and UTF-8 payload. Returns the function that unsubscribes.
   */
  subscribe(filter: string, listener: (topic: string, payload: string) => void): () => void;
  /** Calls `listener` after every (re)connection, the first one included. Returns the function that stops it. */
  onConnected(listener: () => void): () => void;
}

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
