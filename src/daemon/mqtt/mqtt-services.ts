import type { LiveConfig } from '../config/live-config.js';
import { ConfigSchema } from '../config/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import type { Service } from '../../kernel/lifecycle.js';
import type { MoodboxCore } from '../core.js';
import type { RfidReader } from '../rfid/rfid-reader.js';
import { BoxControls } from './box-controls.js';
import { appliedInMemory, SEEN_IDS, seenInMemory, type AppliedSettings, type SeenCommands } from './fleet-member.js';
import { DEFAULT_HOLD_MINUTES } from './home-assistant.js';
import { holdMinutesInMemory, minutesOf, type HoldMinutes } from './home-assistant-commands.js';
import { MqttBridge, type BoxView } from './mqtt-bridge.js';
import type { MqttConnection } from './mqtt-connection.js';
import { parseJson } from '../../kernel/json.js';

/** The broker connection the composition root built, and the box's id on it. */
export interface MqttParts {
  connection: MqttConnection & Service;
  box: string;
}

export interface MqttServicesDeps {
  /** The box's state: the one projection the screens and the guest page read too. */
  state: Pick<BoxView, 'state' | 'subscribe'>;
  clock: Clock;
  log: Log;
  /**
   * Where the bridge keeps the ids of the fleet commands and site settings it carried out, and Home
   * Assistant's hold time, across restarts (the store's table of values the panel does not list).
   * Its own bookkeeping, not a change of the box: every change goes through the services, which
   * write the audit.
   */
  kept: KeptValues;
  settings: LiveConfig;
  version: string;
  cards?: RfidReader | undefined;
}

/**
 * The connection and the bridge, in start order: Moodbox's read APIs and staff actions, offered to
 * Home Assistant and the fleet. Commands reach the music director and the settings as the admin
 * panel's do.
 */
export function mqttServices(core: MoodboxCore, parts: MqttParts, deps: MqttServicesDeps): [Service, MqttBridge] {
  const { settings, clock } = deps;
  const { mqtt } = settings.current;
  const controls = new BoxControls({
    music: core.music,
    settings,
    rescan: (actor) => core.library.rescan(actor),
    restart: (actor) => core.requestRestart(actor),
  });
  const bridge = new MqttBridge(
    {
      connection: parts.connection,
      bus: core.bus,
      clock,
      log: deps.log,
      controls,
      cards: deps.cards,
      seen: storedSeenCommands({ kept: deps.kept, clock, log: deps.log }),
      applied: storedAppliedSettings({ kept: deps.kept, clock, log: deps.log }),
      holdMinutes: storedHoldMinutes({ kept: deps.kept, clock, log: deps.log }),
      view: {
        state: () => deps.state.state(),
        subscribe: (listener, owner) => deps.state.subscribe(listener, owner),
        settings: () => settings.current,
        isPausedByStaff: () => core.music.staffView.isPausedByStaff,
        health: () => core.health(),
        rss: () => process.memoryUsage.rss(),
      },
    },
    {
      identity: { id: `moodbox_${mqtt.site}_${parts.box}`.replace(/-/g, '_'), name: `Moodbox ${parts.box}`, version: deps.version },
      site: mqtt.site,
      box: parts.box,
      homeAssistant: { enabled: mqtt.homeAssistant, prefix: mqtt.discoveryPrefix },
      fleet: { enabled: mqtt.fleet, heartbeatMs: mqtt.heartbeatS * 1000, shareNames: mqtt.shareNames },
      policies: choices(['player', 'policy']) ?? ['match', 'lift'],
    },
  );
  return [parts.connection, bridge];
}

/** Text values kept by key across restarts (`at`: epoch ms of the write). */
export interface KeptValues {
  get(key: string): string | undefined;
  set(key: string, value: string, at: number): void;
}

/** Where the ids of the fleet commands carried out are kept: the store's table of values the panel does not list. */
export const SEEN_COMMANDS_KEY = 'mqtt.fleet.seenCommands';

/** The fleet command ids carried out, in the database: a restart (or a fleet `restart`) does not forget them. */
export function storedSeenCommands(deps: { kept: KeptValues; clock: Pick<Clock, 'now'>; log: Log }): SeenCommands {
  const { kept, clock, log } = deps;
  let saved: string[] = [];
  try {
    const parsed: unknown = parseJson(kept.get(SEEN_COMMANDS_KEY) ?? '[]');
    if (Array.isArray(parsed)) saved = parsed.filter((id): id is string => typeof id === 'string').slice(-SEEN_IDS);
  } catch (err) {
    log.warn({ err: { message: (err as Error).message } }, 'the saved fleet command ids are unreadable; starting without them');
  }
  const seen = seenInMemory(saved);
  return {
    has: (id) => seen.has(id),
    add(id) {
      seen.add(id);
      kept.set(SEEN_COMMANDS_KEY, JSON.stringify(seen.ids()), clock.now());
    },
  };
}

/** Where the id of each site-wide setting applied last is kept. */
export const APPLIED_SETTINGS_KEY = 'mqtt.fleet.appliedSettings';

/** The ids of the site-wide settings applied, in the database: the site's desired state is applied once, restarts included. */
export function storedAppliedSettings(deps: { kept: KeptValues; clock: Pick<Clock, 'now'>; log: Log }): AppliedSettings {
  const { kept, clock, log } = deps;
  const saved: Record<string, string> = {};
  try {
    const parsed: unknown = parseJson(kept.get(APPLIED_SETTINGS_KEY) ?? '{}');
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      for (const [setting, id] of Object.entries(parsed)) if (typeof id === 'string') saved[setting] = id;
    }
  } catch (err) {
    log.warn({ err: { message: (err as Error).message } }, 'the saved fleet settings applied are unreadable; starting without them');
  }
  const applied = appliedInMemory(saved);
  return {
    get: (setting) => applied.get(setting),
    set(setting, id) {
      applied.set(setting, id);
      kept.set(APPLIED_SETTINGS_KEY, JSON.stringify(applied.all()), clock.now());
    },
  };
}

/** Where Home Assistant's hold time is kept. */
export const HOLD_MINUTES_KEY = 'mqtt.homeAssistant.holdMinutes';

/** Home Assistant's hold time, in the database; the default while none was set, or the saved one is unreadable. */
export function storedHoldMinutes(deps: { kept: KeptValues; clock: Pick<Clock, 'now'>; log: Log }): HoldMinutes {
  const { kept, clock, log } = deps;
  const saved = kept.get(HOLD_MINUTES_KEY);
  let initial = DEFAULT_HOLD_MINUTES;
  try {
    if (saved !== undefined) initial = minutesOf(saved);
  } catch (err) {
    log.warn({ err: { message: (err as Error).message } }, 'the saved mood hold time is unreadable; using the default');
  }
  const minutes = holdMinutesInMemory(initial);
  return {
    get: () => minutes.get(),
    set(value) {
      minutes.set(value);
      kept.set(HOLD_MINUTES_KEY, String(value), clock.now());
    },
  };
}

/** The literal choices of the setting at `path` in the configuration schema, or undefined when it has none. */
export function choices(path: readonly string[]): string[] | undefined {
  let node: unknown = ConfigSchema;
  for (const key of path) {
    node = (node as { properties?: Record<string, unknown> }).properties?.[key];
    if (node === undefined) return undefined;
  }
  const options =
    (node as { anyOf?: Array<{ const?: unknown }>; enum?: unknown[] }).anyOf?.map((o) => o.const) ?? (node as { enum?: unknown[] }).enum;
  if (options === undefined || !options.every((o): o is string => typeof o === 'string')) return undefined;
  return options;
}
