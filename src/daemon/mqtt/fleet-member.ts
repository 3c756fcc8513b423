import type { Clock, Timer } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import type { Service } from '../../kernel/lifecycle.js';
import {
  boxTopics,
  isFleetCommand,
  isSiteSetting,
  type BoxTopics,
  type FleetCommand,
  type FleetCommandMessage,
  type FleetCommandResult,
} from './fleet-topics.js';
import type { MqttConnection } from './mqtt-connection.js';
import { parseJson } from '../../kernel/json.js';

/** Carries out an operator's command; rejects with the reason when the box refuses it. */
export type FleetCommandHandler = (command: FleetCommand, value: unknown) => Promise<void>;

/**
 * The ids of the commands a box has carried out (or refused). The daemon keeps them in its database,
 * so that a command heard again after a restart (a broker's redelivery) is not carried out twice.
 */
export interface SeenCommands {
  has(id: string): boolean;
  /** Remembers `id`; MAY forget the oldest ids past a few hundred. */
  add(id: string): void;
}

/** How many command ids are remembered, so that a command heard twice is carried out once. */
export const SEEN_IDS = 256;

/** Seen ids in memory only (a simulated box); forgets the oldest past `SEEN_IDS`. */
export function seenInMemory(initial: readonly string[] = []): SeenCommands & { ids(): string[] } {
  const seen = new Set(initial);
  return {
    has: (id) => seen.has(id),
    add(id) {
      seen.delete(id);
      seen.add(id);
      while (seen.size > SEEN_IDS) seen.delete(seen.values().next().value as string);
    },
    ids: () => [...seen],
  };
}

/**
 * Which id of each site-wide setting (`volume-cap`, `policy`…) the box applied last. The daemon keeps
 * them in its database, so that the site's desired state, handed over again at every connection, is
 * applied once. One id per setting: it never forgets the one the broker keeps.
 */
export interface AppliedSettings {
  get(setting: string): string | undefined;
  set(setting: string, id: string): void;
}

/** Applied settings in memory only (a simulated box). */
export function appliedInMemory(initial: Readonly<Record<string, string>> = {}): AppliedSettings & { all(): Record<string, string> } {
  const applied = new Map(Object.entries(initial));
  return {
    get: (setting) => applied.get(setting),
    set(setting, id) {
      applied.set(setting, id);
    },
    all: () => Object.fromEntries(applied),
  };
}

type FleetMemberDeps = {
  connection: MqttConnection;
  clock: Clock;
  log: Log;
  handle: FleetCommandHandler;
  seen?: SeenCommands | undefined;
  applied?: AppliedSettings | undefined;
};

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

/**
 * One box as the fleet sees it: its retained state and health (published again on every
 * reconnection, and only when they change), a heartbeat, play and mood events, and the operators'
 * commands to this box or to its whole site, each answered on `cmd-result`. A command the broker
 * kept (retained) is never obeyed: it would be carried out again on every connection, and a
 * retained `restart` would keep every box of a site restarting. Each id is carried out once. The
 * site's desired settings (`…/all/desired/<setting>`, retained) are the exception: the last site-wide
 * setting of each kind, which a box that was away when it was sent applies when it comes back, once
 * (its id is remembered per setting). It knows nothing of the rest of Moodbox: a daemon feeds it,
 * and a fleet simulation can run many of them on one process.
 */
export class FleetMember implements Service {
  readonly name = 'fleet';
  readonly topics: BoxTopics;
  readonly #deps: FleetMemberDeps;
  readonly #options: FleetMemberOptions;
  #state: string | undefined;
  #health: string | undefined;
  #heartbeat: Timer | undefined;
  #startedAt = 0;
  readonly #seen: SeenCommands;
  readonly #applied: AppliedSettings;

  constructor(deps: FleetMemberDeps, options: FleetMemberOptions) {
    this.#deps = deps;
    this.#seen = deps.seen ?? seenInMemory();
    this.#applied = deps.applied ?? appliedInMemory();
    this.#options = options;
    this.topics = boxTopics(options.site, options.box);
  }

  async start(): Promise<void> {
    const { connection, clock } = this.#deps;
    this.#startedAt = clock.monotonic();
    connection.onConnected(() => this.#republish(), this);
    if (this.#options.acceptCommands) {
      const onCommand = (topic: string, payload: string, { retain }: { retain: boolean }): void => {
        if (retain) {
          this.#deps.log.warn({ topic }, 'fleet command ignored: the broker kept it (retained); send commands without retain');
          return;
        }
        void this.#command(topic, payload);
      };
      connection.subscribe(this.topics.commands, onCommand, this);
      connection.subscribe(this.topics.siteCommands, onCommand, this);
      // Kept by the broker on purpose: handed over at every connection, and applied once per id.
      connection.subscribe(this.topics.siteDesired, (topic, payload) => void this.#desired(topic, payload), this);
    }
    this.#heartbeat = clock.setInterval(() => this.#beat(), this.#options.heartbeatMs);
  }

  async stop(): Promise<void> {
    this.#heartbeat?.cancel();
    this.#deps.connection.removeListeners(this);
  }

  /** The box's state now: published (retained) when it differs from the last one, never the same payload twice in a row. */
  setState(state: Record<string, unknown>): void {
    const text = JSON.stringify(state);
    if (text === this.#state) return;
    this.#state = text;
    this.#deps.connection.publish(this.topics.state, text, { retain: true, qos: 1 });
  }

  /**
   * The box's health now: published (retained) when it differs from the last one. The caller
   * decides how often it changes: the daemon's bridge at a part's change of status and at the heartbeat.
   */
  setHealth(health: Record<string, unknown>): void {
    const text = JSON.stringify(health);
    if (text === this.#health) return;
    this.#health = text;
    this.#deps.connection.publish(this.topics.health, text, { retain: true, qos: 1 });
  }

  /** Publishes the state and health again on a new connection: a broker without persistence forgot them. */
  #republish(): void {
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
    const message = this.#parse(topic, payload);
    if (message === undefined) return;
    if (this.#seen.has(message.id)) {
      this.#deps.log.info({ command: name, id: message.id }, 'fleet command ignored: already carried out');
      return;
    }
    await this.#carryOut(name, message, 'fleet command');
  }

  /**
   * The site's desired setting, as the broker keeps it: applied unless this id of it was (at an
   * earlier connection, or as the live command sent with it). An empty payload is the operator
   * clearing it.
   */
  async #desired(topic: string, payload: string): Promise<void> {
    if (payload === '') return;
    const name = topic.slice(topic.lastIndexOf('/') + 1);
    const message = this.#parse(topic, payload);
    if (message === undefined) return;
    if (!isSiteSetting(name)) {
      this.#deps.log.warn({ topic }, 'fleet setting ignored: not a site-wide setting');
      return;
    }
    if (this.#applied.get(name) === message.id) {
      this.#deps.log.info({ command: name, id: message.id }, 'fleet setting ignored: already applied');
      return;
    }
    // Remembered before it runs, as a command is: a restart must find it applied. Not remembered (a
    // full disk), it is not applied either: it would be again at every connection; the next one tries again.
    try {
      this.#applied.set(name, message.id);
    } catch (err) {
      this.#deps.log.warn(
        { command: name, id: message.id, err: { message: (err as Error).message } },
        'fleet setting not applied: it could not be remembered',
      );
      return;
    }
    if (this.#seen.has(message.id)) {
      // The live command sent with it came first and was carried out.
      this.#deps.log.info({ command: name, id: message.id }, 'fleet setting ignored: already carried out');
      return;
    }
    await this.#carryOut(name, message, 'fleet setting from the site');
  }

  #parse(topic: string, payload: string): FleetCommandMessage | undefined {
    try {
      return parseMessage(payload);
    } catch (err) {
      this.#deps.log.warn({ topic, err: { message: (err as Error).message } }, 'fleet command ignored: not a command message');
      return undefined;
    }
  }

  /** Carries out a command not seen before, and answers on `cmd-result`. */
  async #carryOut(name: string, message: FleetCommandMessage, what: string): Promise<void> {
    // Remembered before it runs: a restart must find it seen.
    this.#seen.add(message.id);
    const result: FleetCommandResult = { id: message.id, command: name, box: this.#options.box, ok: true };
    try {
      if (!isFleetCommand(name)) throw new TypeError(`Expected a fleet command, got \`${name}\``);
      this.#deps.log.info({ command: name, id: message.id, ...(message.at === undefined ? {} : { sentAt: message.at }) }, what);
      await this.#deps.handle(name, message.value);
    } catch (err) {
      result.ok = false;
      result.error = err instanceof Error ? err.message : String(err);
      this.#deps.log.warn({ command: name, id: message.id, error: result.error }, 'fleet command refused');
    }
    this.#deps.connection.publish(this.topics.commandResult, JSON.stringify(result), { qos: 1 });
  }
}

/** The longest command id a box remembers. */
const MAX_ID_LENGTH = 128;

function parseMessage(payload: string): FleetCommandMessage {
  const value: unknown = parseJson(payload);
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
  if (typeof id !== 'string' || id === '' || id.length > MAX_ID_LENGTH) {
    throw new TypeError(`Expected {"id": "…" (1–${MAX_ID_LENGTH} characters), "value": …}, got \`${payload.slice(0, 80)}\``);
  }
  return value as FleetCommandMessage;
}
