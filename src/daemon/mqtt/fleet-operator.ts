import { randomUUID } from 'node:crypto';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { Clock } from '../../kernel/clock.js';
import {
  commandTopic,
  desiredTopic,
  FLEET_ROOT,
  isSiteSetting,
  parseBoxTopic,
  SITE_WIDE,
  type FleetCommand,
  type FleetCommandMessage,
  type FleetCommandResult,
} from './fleet-topics.js';
import { parseJson } from '../../kernel/json.js';

/** One box as an operator sees it on the broker. */
export interface FleetBox {
  site: string;
  box: string;
  /** `online`, `offline` (its last will, or a clean stop), or `unknown` when it never said. */
  availability: 'online' | 'offline' | 'unknown';
  state: Record<string, unknown> | null;
  health: Record<string, unknown> | null;
}

/** A command's outcome at one box, with when its answer came (ms after sending). */
export interface FleetAnswer extends FleetCommandResult {
  afterMs: number;
}

export interface FleetOperatorOptions {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
}

/**
 * What `moodbox fleet` does on a broker: reads the boxes' retained availability, state and health,
 * and sends a command to one box or to every box of a site, collecting their answers. The broker's
 * ACLs decide who may do either (see docs/fleet.md).
 */
export class FleetOperator {
  readonly #client: MqttClient;
  readonly #clock: Clock;

  private constructor(client: MqttClient, clock: Clock) {
    this.#client = client;
    this.#clock = clock;
  }

  static async connect(options: FleetOperatorOptions, deps: { clock: Clock }): Promise<FleetOperator> {
    const { connectAsync } = await import('mqtt');
    const clientOptions: IClientOptions = {
      clientId: `moodbox-fleet-${randomUUID().slice(0, 8)}`,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      ...(options.username === undefined || options.username === '' ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
    };
    return new FleetOperator(await connectAsync(options.url, clientOptions), deps.clock);
  }

  /**
   * The boxes of `site` (every site when undefined), from the retained messages the broker hands a
   * new subscriber; waits until `quietMs` pass without a new one (at most `maxWaitMs`).
   */
  async list(options: { site?: string | undefined; quietMs?: number; maxWaitMs?: number } = {}): Promise<FleetBox[]> {
    const site = options.site ?? '+';
    const boxes = new Map<string, FleetBox>();
    let last = this.#clock.monotonic();
    const onMessage = (topic: string, payload: Buffer): void => {
      const parsed = parseBoxTopic(topic);
      if (parsed === undefined || parsed.box === SITE_WIDE) return;
      const key = `${parsed.site}/${parsed.box}`;
      const entry = boxes.get(key) ?? { site: parsed.site, box: parsed.box, availability: 'unknown', state: null, health: null };
      const text = payload.toString('utf8');
      if (parsed.rest === 'availability') entry.availability = text === 'online' ? 'online' : text === 'offline' ? 'offline' : 'unknown';
      else if (parsed.rest === 'state') entry.state = parseObject(text);
      else if (parsed.rest === 'health') entry.health = parseObject(text);
      boxes.set(key, entry);
      last = this.#clock.monotonic();
    };
    this.#client.on('message', onMessage);
    const filters = ['availability', 'state', 'health'].map((leaf) => `${FLEET_ROOT}/${site}/+/${leaf}`);
    try {
      await this.#client.subscribeAsync(filters, { qos: 1 });
      const started = this.#clock.monotonic();
      const quietMs = options.quietMs ?? 300;
      const maxWaitMs = options.maxWaitMs ?? 5000;
      for (;;) {
        await this.#clock.sleep(50);
        const now = this.#clock.monotonic();
        if (now - last >= quietMs || now - started >= maxWaitMs) break;
      }
    } finally {
      await this.#client.unsubscribeAsync(filters);
      this.#client.off('message', onMessage);
    }
    return [...boxes.values()].sort((a, b) => a.site.localeCompare(b.site) || a.box.localeCompare(b.box));
  }

  /**
   * Sends `command` to `box` of `site`, or to every box of the site when `box` is undefined, and
   * collects the answers until `expect` boxes have answered or `timeoutMs` passes. A setting sent to
   * the whole site is also kept by the broker as the site's desired state (`kept`), with the same id:
   * a box away now applies it when it comes back, and a box that hears both carries it out once.
   */
  async send(options: {
    site: string;
    box?: string | undefined;
    command: FleetCommand;
    value?: unknown;
    expect: number;
    timeoutMs?: number;
  }): Promise<{ id: string; answers: FleetAnswer[]; kept: boolean }> {
    const id = randomUUID();
    const kept = options.box === undefined && isSiteSetting(options.command);
    const answers: FleetAnswer[] = [];
    const resultFilter = `${FLEET_ROOT}/${options.site}/${options.box ?? '+'}/cmd-result`;
    let sentAt = this.#clock.monotonic();
    const onMessage = (topic: string, payload: Buffer): void => {
      if (!topic.endsWith('/cmd-result')) return;
      const result = parseObject(payload.toString('utf8')) as FleetCommandResult | null;
      if (result?.id !== id) return;
      answers.push({ ...result, afterMs: this.#clock.monotonic() - sentAt });
    };
    this.#client.on('message', onMessage);
    try {
      await this.#client.subscribeAsync(resultFilter, { qos: 1 });
      const message: FleetCommandMessage = { id, ...(options.value === undefined ? {} : { value: options.value }) };
      sentAt = this.#clock.monotonic();
      if (kept && isSiteSetting(options.command)) {
        const desired: FleetCommandMessage = { ...message, at: this.#clock.now() };
        await this.#client.publishAsync(desiredTopic(options.site, options.command), JSON.stringify(desired), { qos: 1, retain: true });
      }
      await this.#client.publishAsync(commandTopic(options.site, options.box, options.command), JSON.stringify(message), { qos: 1 });
      const timeoutMs = options.timeoutMs ?? 5000;
      while (answers.length < options.expect && this.#clock.monotonic() - sentAt < timeoutMs) await this.#clock.sleep(10);
    } finally {
      await this.#client.unsubscribeAsync(resultFilter);
      this.#client.off('message', onMessage);
    }
    return { id, answers: answers.sort((a, b) => a.box.localeCompare(b.box)), kept };
  }

  async close(): Promise<void> {
    await this.#client.endAsync();
  }
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = parseJson(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
