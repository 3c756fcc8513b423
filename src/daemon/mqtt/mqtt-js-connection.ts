import type { Duplex } from 'node:stream';
import type { IClientOptions, MqttClient } from 'mqtt';
import { Backoff } from '../../kernel/backoff.js';
import type { ListenerOwner } from '../../kernel/event-bus.js';
import type { Clock } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import { KEPT_CHECK_MS, keptCheckWait } from './kept-check-wait.js';
import { MAX_PACKET_BYTES, MAX_PAYLOAD_BYTES, topicMatches, type MessageListener, type MqttConnection } from './mqtt-connection.js';
import { OversizePublishGuard, type DroppedPublish } from './oversize-publish-filter.js';

/** Where the box says it is online (retained), and the last will the broker sends when it is not. */
export interface Availability {
  topic: string;
  online: string;
  offline: string;
}

export interface MqttJsConnectionOptions {
  /** `mqtt://host:1883`, `mqtts://host:8883` (TLS), `ws://…` or `wss://…`. */
  url: string;
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
  /** PEM contents for TLS: the broker's CA, and a client certificate and key when the broker asks for one. */
  tls?: { ca?: string | undefined; cert?: string | undefined; key?: string | undefined; rejectUnauthorized: boolean } | undefined;
  /** Where the box announces itself: `online` (retained) on each connection, and the last will's topic. */
  availability: Availability;
  /** The first wait before reconnecting (ms); it doubles after each failed try up to `maxReconnectMs`. */
  minReconnectMs: number;
  maxReconnectMs: number;
  /** Seconds between MQTT pings; the broker sends the last will after 1.5 times this without one. */
  keepaliveS: number;
  /**
   * MQTT 5 (the default: the broker learns the box's `maximumPacketSize` and never sends it more),
   * or 3.1.1 for a broker that speaks only that (the box then drops large payloads itself).
   * @default 5
   */
  protocolVersion?: 4 | 5 | undefined;
}

/** How long a stop waits for the broker to take the goodbye, and then for the disconnect (ms). */
const GOODBYE_MS = 500;

/**
 * MQTT 5 subscription options: `rap` (retain as published) keeps the retain flag on a message
 * delivered live, so that a command published with retain while the box is connected is seen as
 * kept; without it the broker clears the flag and only a redelivery on (re)subscribing carries it.
 */
const SUBSCRIBE_V5 = { qos: 1, rap: true } as const;

/**
 * The MQTT connection through mqtt.js (loaded when the service starts). Starting does not wait for
 * the broker: the box runs without it, reconnects with a doubling backoff, and reports `degraded`
 * while the broker is away. The last will marks the box `offline` on its availability topic when
 * the connection drops without a goodbye (a crash, SIGKILL, a lost network); a clean stop
 * publishes `offline` itself.
 */
export class MqttJsConnection implements MqttConnection, Service {
  readonly name = 'mqtt';
  readonly #log: Log;
  readonly #clock: Pick<Clock, 'setTimeout' | 'monotonic'>;
  /** When the broker last sent any bytes (monotonic ms; MQTT 3.1.1, where the box reads its stream itself). */
  #heardAt = 0;
  readonly #options: MqttJsConnectionOptions;
  #client: MqttClient | undefined;
  #subscriptions = new Map<string, Set<MessageListener>>();
  #connectedListeners = new Set<() => void>();
  /** What each owner subscribed, as the functions that end it. */
  readonly #owned = new Map<ListenerOwner, Array<() => void>>();
  /** The waits between tries to reach the broker: doubled after each closed try, reset by a connection. */
  readonly #reconnect: Backoff;
  #lastError: string | undefined;
  #connections = 0;
  /** Messages are handed to listeners in the order they came, each after its retain check (MQTT 3.1.1). */
  #delivery: Promise<void> = Promise.resolve();
  /** The retain check running now (MQTT 3.1.1): its topic, and the kept payloads the broker sent back. */
  #keptCheck: { topic: string; heard: string[] } | undefined;

  constructor(deps: { log: Log; clock: Pick<Clock, 'setTimeout' | 'monotonic'> }, options: MqttJsConnectionOptions) {
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#options = options;
    this.#reconnect = new Backoff({ firstMs: options.minReconnectMs, maxMs: options.maxReconnectMs });
  }

  get isConnected(): boolean {
    return this.#client?.connected === true;
  }

  async start(): Promise<void> {
    const { connect } = await import('mqtt');
    const o = this.#options;
    const will = o.availability;
    const isV5 = (o.protocolVersion ?? 5) === 5;
    const options: IClientOptions = {
      clientId: o.clientId,
      clean: true,
      protocolVersion: o.protocolVersion ?? 5,
      ...(isV5 ? { properties: { maximumPacketSize: MAX_PACKET_BYTES } } : {}),
      // Over 3.1.1 the connection is opened below, once it reads through the size guard.
      manualConnect: !isV5,
      keepalive: o.keepaliveS,
      reconnectPeriod: this.#reconnect.delayMs,
      connectTimeout: 10_000,
      // State is republished on each connection; nothing stale piles up in memory while the broker is away.
      queueQoSZero: false,
      resubscribe: false,
      ...(o.username === undefined || o.username === '' ? {} : { username: o.username }),
      ...(o.password === undefined ? {} : { password: o.password }),
      ...(o.tls === undefined
        ? {}
        : { ...stripUndefined({ ca: o.tls.ca, cert: o.tls.cert, key: o.tls.key }), rejectUnauthorized: o.tls.rejectUnauthorized }),
      will: { topic: will.topic, payload: Buffer.from(will.offline), retain: true, qos: 1 },
    };
    const client = connect(o.url, options);
    this.#client = client;
    if (!isV5) {
      guardPacketSize(
        client,
        (dropped) => this.#droppedTooLarge(dropped),
        () => (this.#heardAt = this.#clock.monotonic()),
      );
      client.connect();
    }
    client.on('connect', () => {
      this.#connections += 1;
      this.#reconnect.reset();
      client.options.reconnectPeriod = this.#reconnect.delayMs;
      this.#lastError = undefined;
      this.#log.info({ url: redactUrl(o.url), connections: this.#connections }, 'connected to the mqtt broker');
      for (const filter of this.#subscriptions.keys()) client.subscribe(filter, this.#subscribeOptions());
      client.publish(will.topic, will.online, { retain: true, qos: 1 });
      for (const listener of [...this.#connectedListeners]) {
        try {
          listener();
        } catch (err) {
          this.#log.error({ err }, 'an mqtt connection listener failed');
        }
      }
    });
    client.on('close', () => {
      // The next try waits longer, up to the most; a connection resets it.
      this.#reconnect.fail();
      client.options.reconnectPeriod = this.#reconnect.delayMs;
    });
    client.on('offline', () =>
      this.#log.warn({ url: redactUrl(o.url), retryInMs: this.#reconnect.delayMs }, 'mqtt broker unreachable; retrying'),
    );
    client.on('error', (err) => {
      this.#lastError = err.message;
      this.#log.warn({ err: { message: err.message } }, 'mqtt connection error');
    });
    client.on('message', (topic, payload, packet) => {
      if (payload.length > MAX_PAYLOAD_BYTES) {
        // Never the payload itself, nor a topic of any length: one short line.
        this.#log.warn({ topic: topic.slice(0, 200), bytes: payload.length, max: MAX_PAYLOAD_BYTES }, 'mqtt message dropped: too large');
        return;
      }
      const text = payload.toString('utf8');
      const check = this.#keptCheck;
      if (check !== undefined && packet.retain && check.topic === topic) {
        // The broker's answer to a retain check, not a message of its own.
        check.heard.push(text);
        return;
      }
      if (packet.retain || !this.#needsKeptCheck(topic)) {
        this.#deliver(topic, text, packet.retain);
        return;
      }
      // MQTT 3.1.1 clears the retain flag of a message delivered live: ask the broker whether it keeps this one.
      this.#delivery = this.#delivery.then(async () => {
        let kept: string[];
        try {
          kept = await this.#keptOn(client, topic);
        } catch (err) {
          this.#log.warn(
            { topic: topic.slice(0, 200), err: { message: (err as Error).message } },
            'mqtt message dropped: cannot tell whether the broker kept it',
          );
          return;
        }
        this.#dispatch(topic, text, kept.includes(text));
      });
    });
  }

  #droppedTooLarge(dropped: DroppedPublish): void {
    this.#log.warn(
      { topic: dropped.topic, bytes: dropped.bytes, max: MAX_PAYLOAD_BYTES, retain: dropped.retain },
      'mqtt message dropped: too large',
    );
  }

  #subscribeOptions(): { qos: 1; rap?: true } {
    return (this.#options.protocolVersion ?? 5) === 5 ? SUBSCRIBE_V5 : { qos: 1 };
  }

  /** Hands a message to its listeners after those before it. */
  #deliver(topic: string, text: string, retain: boolean): void {
    this.#delivery = this.#delivery.then(() => this.#dispatch(topic, text, retain));
  }

  #dispatch(topic: string, text: string, retain: boolean): void {
    const message = { retain };
    for (const [filter, listeners] of this.#subscriptions) {
      if (!topicMatches(filter, topic)) continue;
      for (const listener of [...listeners]) {
        try {
          listener(topic, text, message);
        } catch (err) {
          this.#log.error({ err, topic }, 'an mqtt message listener failed');
        }
      }
    }
  }

  /**
   * Whether a message that came without the retain flag needs the broker asked: over MQTT 3.1.1 the
   * flag is always clear on a live delivery, so a message on a wildcard subscription (the box's
   * commands, `…/cmd/+` and `…/set/+`) is checked. A topic the box subscribed to by its exact name
   * cannot be checked this way (subscribing again would replace that subscription) and is taken as it came.
   */
  #needsKeptCheck(topic: string): boolean {
    if ((this.#options.protocolVersion ?? 5) === 5) return false;
    if (this.#subscriptions.has(topic)) return false;
    for (const filter of this.#subscriptions.keys()) if (topicMatches(filter, topic)) return true;
    return false;
  }

  /**
   * The payloads the broker keeps on `topic` (none, or one): a subscription to the exact topic makes
   * the broker send its retained message, with the flag set, before it acknowledges the
   * unsubscription that follows (the broker answers in order, on one connection).
   */
  async #keptOn(client: MqttClient, topic: string): Promise<string[]> {
    const check = { topic, heard: [] as string[] };
    this.#keptCheck = check;
    let timer: { cancel(): void } | undefined;
    /** Set once the check is over: a judgement already queued then starts no new timer. */
    let isOver = false;
    const asked = (async () => {
      await client.subscribeAsync(topic, { qos: 0 });
      await client.unsubscribeAsync(topic);
    })();
    asked.catch(() => undefined);
    const started = this.#clock.monotonic();
    try {
      await Promise.race([
        asked,
        new Promise<never>((_resolve, reject) => {
          // Given up after KEPT_CHECK_MS of silence from the broker, not while it is still sending.
          // The silence is judged after the bytes already waiting are read (setImmediate runs after
          // the loop's reads): a box too busy to run for a few seconds runs this timer first, before
          // the broker's bytes that came meanwhile, and would otherwise hear silence that was not.
          const judge = (): void => {
            if (isOver) return;
            const next = keptCheckWait({ now: this.#clock.monotonic(), started, heardAt: this.#heardAt });
            if (typeof next === 'string') reject(new Error(next));
            else timer = this.#clock.setTimeout(wait, next);
          };
          const wait = (): void => void setImmediate(judge);
          timer = this.#clock.setTimeout(wait, KEPT_CHECK_MS);
        }),
      ]);
      return check.heard;
    } finally {
      isOver = true;
      timer?.cancel();
      this.#keptCheck = undefined;
    }
  }

  async stop(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (client === undefined) return;
    let saidGoodbye = false;
    if (client.connected) {
      // A clean goodbye: say offline ourselves, since the broker does not send the will on a clean
      // disconnect. Bounded: a broker that went away with us never acknowledges it.
      const { topic, offline } = this.#options.availability;
      saidGoodbye = await new Promise<boolean>((resolve) => {
        const timer = this.#clock.setTimeout(() => resolve(false), GOODBYE_MS);
        client.publish(topic, offline, { retain: true, qos: 1 }, (err) => {
          timer.cancel();
          resolve(err === undefined || err === null);
        });
      });
    }
    // Forced unless the goodbye went through: no reconnect may be scheduled after this, whatever
    // the socket is doing, so that nothing keeps a stopping daemon alive.
    client.options.reconnectPeriod = 0;
    let waited: { cancel(): void } | undefined;
    await Promise.race([
      client.endAsync(!saidGoodbye || !client.connected),
      new Promise<void>((resolve) => (waited = this.#clock.setTimeout(resolve, GOODBYE_MS))),
    ]);
    waited?.cancel();
  }

  health(): ServiceHealth {
    if (this.isConnected) return { status: 'ready', detail: `connected to ${redactUrl(this.#options.url)}` };
    return {
      status: 'degraded',
      detail: `broker ${redactUrl(this.#options.url)} unreachable${this.#lastError === undefined ? '' : ` (${this.#lastError})`}; retrying`,
    };
  }

  publish(topic: string, payload: string, options: { retain?: boolean; qos?: 0 | 1 } = {}): void {
    const client = this.#client;
    if (client === undefined || !client.connected) return;
    client.publish(topic, payload, { retain: options.retain ?? false, qos: options.qos ?? 0 }, (err) => {
      if (err) this.#log.debug({ topic, err: { message: err.message } }, 'mqtt publish dropped');
    });
  }

  subscribe(filter: string, listener: MessageListener, owner?: ListenerOwner): () => void {
    return this.#own(owner, this.#subscribe(filter, listener));
  }

  #subscribe(filter: string, listener: MessageListener): () => void {
    let listeners = this.#subscriptions.get(filter);
    if (listeners === undefined) {
      listeners = new Set();
      this.#subscriptions.set(filter, listeners);
      if (this.#client?.connected === true) this.#client.subscribe(filter, this.#subscribeOptions());
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) {
        this.#subscriptions.delete(filter);
        if (this.#client?.connected === true) this.#client.unsubscribe(filter);
      }
    };
  }

  onConnected(listener: () => void, owner?: ListenerOwner): () => void {
    this.#connectedListeners.add(listener);
    return this.#own(owner, () => this.#connectedListeners.delete(listener));
  }

  removeListeners(owner: ListenerOwner): number {
    const offs = this.#owned.get(owner) ?? [];
    this.#owned.delete(owner);
    for (const off of offs) off();
    return offs.length;
  }

  /** Keeps `off` under `owner`, for `removeListeners`; returns it (it may still be called by itself). */
  #own(owner: ListenerOwner | undefined, off: () => void): () => void {
    if (owner === undefined) return off;
    let offs = this.#owned.get(owner);
    if (offs === undefined) this.#owned.set(owner, (offs = []));
    offs.push(off);
    return off;
  }
}

/**
 * Makes every connection `client` opens read through `OversizePublishGuard`, so that a PUBLISH
 * over `MAX_PACKET_BYTES` is dropped as it arrives instead of gathered whole (MQTT 3.1.1 cannot ask
 * the broker not to send it). mqtt.js keeps how it opens a connection in a private field; the
 * version is pinned, and the daemon's 3.1.1 tests fail if the field moves.
 */
function guardPacketSize(client: MqttClient, onDropped: (dropped: DroppedPublish) => void, onBytes: () => void): void {
  const open = client as unknown as { streamBuilder?: (client: MqttClient) => Duplex };
  const build = open.streamBuilder;
  if (typeof build !== 'function') throw new Error('mqtt.js no longer has `streamBuilder`: cannot bound MQTT 3.1.1 packets');
  open.streamBuilder = (c) => {
    const socket = build(c);
    socket.on('data', onBytes);
    return new OversizePublishGuard(socket, MAX_PACKET_BYTES, onDropped);
  };
}

/** The broker's address without a password in it, for logs and health. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
