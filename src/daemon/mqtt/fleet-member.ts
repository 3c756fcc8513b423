import type { Clock, Timer } from '../kernel/clock.js';
import type { Log } from '../kernel/log.js';
import type { Service } from '../kernel/lifecycle.js';
import {
  boxTopics,
  isFleetCommand,
  type BoxTopics,
  type FleetCommand,
  type FleetCommandMessage,
  type FleetCommandResult,
} from './fleet-topics.js';
import type { MqttConnection } from './mqtt-connection.js';

/** Carries out an operator's command; rejects with the reason when the box refuses it. */
export type FleetCommandHandler = (command: FleetCommand, value: unknown) => Promise<void>;

export interface FleetMemberOptions {
  site: string;
  box: string;
  /** How often a heartbeat goes out (ms). */
  heartbeatMs: number;
  /** Whether operators' commands (`…/cmd/…`) are carried out; off: the box only reports. */
  acceptCommands: boolean;
  /** Whether plays and mood changes go out as events. */
  events: boolean;
}

/** How many command ids are remembered, so that a command heard twice is carried out once. */
const SEEN_IDS = 256;

/**
 * One box as the fleet sees it: its retained state and health (published again on every
 * reconnection, and only when they change), a heartbeat, play and mood events, and the operators'
 * commands to this box or to its whole site, each answered on `cmd-result`. It knows nothing of the
 * rest of Moodbox: a daemon feeds it, and a fleet simulation can run many of them on one process.
 */
export class FleetMember implements Service {
  readonly name = 'fleet';
  readonly topics: BoxTopics;
  readonly #deps: { connection: MqttConnection; clock: Clock; log: Log; handle: FleetCommandHandler };
  readonly #options: FleetMemberOptions;
  #state: string | undefined;
  #health: string | undefined;
  #heartbeat: Timer | undefined;
  #startedAt = 0;
  #off: Array<() => void> = [];
  readonly #seen = new Set<string>();

  constructor(deps: { connection: MqttConnection; clock: Clock; log: Log; handle: FleetCommandHandler }, options: FleetMemberOptions) {
    this.#deps = deps;
    this.#options = options;
    this.topics = boxTopics(options.site, options.box);
  }

  async start(): Promise<void> {
    const { connection, clock } = this.#deps;
    this.#startedAt = clock.monotonic();
    this.#off.push(connection.onConnected(() => this.republish()));
    if (this.#options.acceptCommands) {
      const onCommand = (topic: string, payload: string): void => void this.#command(topic, payload);
      this.#off.push(connection.subscribe(this.topics.commands, onCommand), connection.subscribe(this.topics.siteCommands, onCommand));
    }
    this.#heartbeat = clock.setInterval(() => this.#beat(), this.#options.heartbeatMs);
  }

  async stop(): Promise<void> {
    this.#heartbeat?.cancel();
    for (const off of this.#off) off();
    this.#off = [];
  }

  /** The box's state now: published (retained) when it differs from the last one. */
  setState(state: Record<string, unknown>): void {
    const text = JSON.stringify(state);
    if (text === this.#state) return;
    this.#state = text;
    this.#deps.connection.publish(this.topics.state, text, { retain: true, qos: 1 });
  }

  /** The box's health now: published (retained) when it differs from the last one. */
  setHealth(health: Record<string, unknown>): void {
    const text = JSON.stringify(health);
    if (text === this.#health) return;
    this.#health = text;
    this.#deps.connection.publish(this.topics.health, text, { retain: true, qos: 1 });
  }

  /** Publishes the state and health again, changed or not (Home Assistant has just subscribed). */
  republish(): void {
    const { connection } = this.#deps;
    if (this.#state !== undefined) connection.publish(this.topics.state, this.#state, { retain: true, qos: 1 });
    if (this.#health !== undefined) connection.publish(this.topics.health, this.#health, { retain: true, qos: 1 });
  }

  /** A play started or the room mood changed (not retained; dropped while the broker is away). */
  event(kind: 'play' | 'mood', payload: Record<string, unknown>): void {
    if (!this.#options.events) return;
    this.#deps.connection.publish(this.topics.event(kind), JSON.stringify({ at: this.#deps.clock.now(), ...payload }));
  }

  #beat(): void {
    const { connection, clock } = this.#deps;
    const uptimeS = Math.round((clock.monotonic() - this.#startedAt) / 1000);
    connection.publish(this.topics.heartbeat, JSON.stringify({ at: clock.now(), uptimeS }));
  }

  async #command(topic: string, payload: string): Promise<void> {
    const name = topic.slice(topic.lastIndexOf('/') + 1);
    let message: FleetCommandMessage;
    try {
      message = parseMessage(payload);
    } catch (err) {
      this.#deps.log.warn({ topic, err: { message: (err as Error).message } }, 'fleet command ignored: not a command message');
      return;
    }
    if (this.#seen.has(message.id)) return;
    this.#seen.add(message.id);
    if (this.#seen.size > SEEN_IDS) this.#seen.delete(this.#seen.values().next().value as string);
    const result: FleetCommandResult = { id: message.id, command: name, box: this.#options.box, ok: true };
    try {
      if (!isFleetCommand(name)) throw new TypeError(`Expected a fleet command, got \`${name}\``);
      this.#deps.log.info({ command: name, id: message.id }, 'fleet command');
      await this.#deps.handle(name, message.value);
    } catch (err) {
      result.ok = false;
      result.error = err instanceof Error ? err.message : String(err);
      this.#deps.log.warn({ command: name, id: message.id, error: result.error }, 'fleet command refused');
    }
    this.#deps.connection.publish(this.topics.commandResult, JSON.stringify(result), { qos: 1 });
  }
}

function parseMessage(payload: string): FleetCommandMessage {
  const value: unknown = JSON.parse(payload);
  if (typeof value !== 'object' || value === null || typeof (value as { id?: unknown }).id !== 'string') {
    throw new TypeError(`Expected {"id": "…", "value": …}, got \`${payload.slice(0, 80)}\``);
  }
  return value as FleetCommandMessage;
}
