import type { Config } from '../config/schema.js';
import { EMOTIONS } from '../../kernel/room-mood.js';
import { MAX_HOLD_MINUTES } from '../music/music-aim.js';
import { SOURCES } from '../../player/sources/registered-sources.js';
import type { BoxTopics } from './fleet-topics.js';

/** Which Moodbox this is, for Home Assistant's device registry. */
export interface BoxIdentity {
  /** `[a-z0-9_-]`: the device's id in Home Assistant. */
  id: string;
  /** The device's name in Home Assistant. */
  name: string;
  version: string;
  /** The admin panel's address, when known. */
  configurationUrl?: string | undefined;
}

export interface DiscoveryOptions {
  /** Home Assistant's discovery prefix. @default 'homeassistant' */
  prefix: string;
  /** The choices of `player.policy`. */
  policies: readonly string[];
  /** The choices of the music source, when this Moodbox has more than one. */
  sources?: readonly string[] | undefined;
  /** Whether an RFID reader is there: its cards become Home Assistant tag scans. */
  hasCardReader: boolean;
}

/** Home Assistant's payloads for `binary_sensor` and `switch` states. */
export const ON = 'ON';
export const OFF = 'OFF';

/** The mood hold select's choice while no mood is held (the music follows the camera); choosing it releases a hold. */
export const HOLD_OFF = 'off';

/** How long a mood chosen in Home Assistant is held (minutes) until its "Mood hold time" is set. */
export const DEFAULT_HOLD_MINUTES = 60;

/** What the `now_playing` sensor says while nothing plays: a word, never null (Home Assistant would show "None"). */
export const NOTHING_PLAYING = 'Nothing playing';

/** Home Assistant refuses a state longer than this (its `MAX_LENGTH_STATE_STATE`) and shows `unknown` instead. */
export const HA_STATE_MAX = 255;

/** `text` within Home Assistant's limit on a state: cut with an ellipsis when longer, between whole characters. */
export function withinStateLimit(text: string): string {
  const chars = [...text];
  return chars.length <= HA_STATE_MAX ? text : `${chars.slice(0, HA_STATE_MAX - 1).join('')}…`;
}

/**
 * The music sources this box may choose between (`music.source`), as each registered source says:
 * a business plays only its own library, and a source needs its settings (Spotify an app,
 * `spotify.clientId`). One source: nothing to choose.
 */
export function musicSources(config: Pick<Config, 'site'> & Readonly<Record<string, unknown>>): string[] {
  const isHome = config.site.kind === 'home';
  const usable = SOURCES.all.filter((source) => (isHome || !source.homesOnly) && source.isSetUp(config[source.settings]));
  return ['local', ...new Set(usable.flatMap((source) => source.modes))];
}

/**
 * Home Assistant's device-based discovery message: one retained message on
 * `<prefix>/device/<id>/config` sets up every entity of the box. Entities read the box's retained
 * JSON state (`state_topic`) through value templates, send commands to `…/set/<entity>`, and are
 * unavailable while the box's availability topic says `offline` (the last will). Nothing reads a
 * null: the mood (and its confidence) is unavailable while the camera does not read the room, and
 * the like button while nobody is signed in; the mood hold reads `off` while no mood is held.
 */
export function discoveryMessage(
  box: BoxIdentity,
  topics: BoxTopics,
  options: DiscoveryOptions,
): { topic: string; payload: Record<string, unknown> } {
  const uid = (entity: string): string => `${box.id}_${entity}`;
  const json = (key: string): string => `{{ value_json.${key} }}`;
  /**
   * A key the state leaves out while it is not known (the mood): Home Assistant renders the value
   * template even while the entity is unavailable, and warns of an undefined key each time.
   */
  const jsonOr = (key: string, fallback: string): string => `{{ value_json.${key} | default(${fallback}) }}`;
  const online = { topic: topics.availability, payload_available: 'online', payload_not_available: 'offline' };
  /** Available while the box is online and `test` (a Jinja test on the state) holds, e.g. while a key is there. */
  const availableWhile = (test: string) => ({
    availability: [
      online,
      {
        topic: topics.state,
        value_template: `{{ 'online' if ${test} else 'offline' }}`,
        payload_available: 'online',
        payload_not_available: 'offline',
      },
    ],
    availability_mode: 'all',
  });
  const sensor = (entity: string, name: string, extra: Record<string, unknown>) => ({
    platform: 'sensor',
    unique_id: uid(entity),
    name,
    state_topic: topics.state,
    ...extra,
  });
  const components: Record<string, Record<string, unknown>> = {
    // No mood while the camera is off or has not read the room: unavailable, not "None".
    mood: sensor('mood', 'Room mood', {
      value_template: jsonOr('mood', "'unknown'"),
      icon: 'mdi:emoticon-outline',
      ...availableWhile('value_json.mood is defined'),
    }),
    confidence: sensor('confidence', 'Mood confidence', {
      ...availableWhile('value_json.confidence is defined'),
      value_template: jsonOr('confidence', '0'),
      unit_of_measurement: '%',
      state_class: 'measurement',
      icon: 'mdi:gauge',
    }),
    faces: sensor('faces', 'Faces', { value_template: json('faces'), state_class: 'measurement', icon: 'mdi:account-group' }),
    now_playing: sensor('now_playing', 'Now playing', { value_template: json('nowPlaying'), icon: 'mdi:music' }),
    playing: {
      platform: 'binary_sensor',
      unique_id: uid('playing'),
      name: 'Playing',
      state_topic: topics.state,
      value_template: `{{ '${ON}' if value_json.playing else '${OFF}' }}`,
      payload_on: ON,
      payload_off: OFF,
      device_class: 'running',
    },
    occupancy: {
      platform: 'binary_sensor',
      unique_id: uid('occupancy'),
      name: 'Occupancy',
      state_topic: topics.state,
      value_template: `{{ '${ON}' if value_json.occupied else '${OFF}' }}`,
      payload_on: ON,
      payload_off: OFF,
      device_class: 'occupancy',
    },
    policy: {
      platform: 'select',
      unique_id: uid('policy'),
      name: 'Music policy',
      state_topic: topics.state,
      value_template: json('policy'),
      command_topic: topics.set('policy'),
      options: [...options.policies],
      icon: 'mdi:tune-variant',
    },
    volume: {
      platform: 'number',
      unique_id: uid('volume'),
      name: 'Volume',
      state_topic: topics.state,
      value_template: json('volume'),
      command_topic: topics.set('volume'),
      min: 0,
      max: 100,
      step: 1,
      mode: 'slider',
      unit_of_measurement: '%',
      icon: 'mdi:volume-high',
    },
    max_volume: {
      platform: 'number',
      unique_id: uid('max_volume'),
      name: 'Maximum volume',
      state_topic: topics.state,
      value_template: json('maxVolume'),
      command_topic: topics.set('max_volume'),
      min: 0,
      max: 100,
      step: 1,
      mode: 'slider',
      unit_of_measurement: '%',
      entity_category: 'config',
      icon: 'mdi:volume-vibrate',
    },
    skip: {
      platform: 'button',
      unique_id: uid('skip'),
      name: 'Skip',
      command_topic: topics.set('skip'),
      payload_press: 'PRESS',
      icon: 'mdi:skip-next',
    },
    like: {
      platform: 'button',
      unique_id: uid('like'),
      name: 'Like',
      command_topic: topics.set('like'),
      payload_press: 'PRESS',
      icon: 'mdi:heart',
      // A like is the signed-in person's: nobody there, nothing to press.
      ...availableWhile('value_json.signedIn'),
    },
    // A staff pause, as the admin panel's: the music stays paused until it is turned off again.
    paused: {
      platform: 'switch',
      unique_id: uid('paused'),
      name: 'Paused',
      state_topic: topics.state,
      value_template: `{{ '${ON}' if value_json.pausedByStaff else '${OFF}' }}`,
      command_topic: topics.set('paused'),
      payload_on: ON,
      payload_off: OFF,
      state_on: ON,
      state_off: OFF,
      icon: 'mdi:pause-circle-outline',
    },
    // The music follows the mood chosen instead of the camera's for `Mood hold time` minutes; `off` follows the camera again.
    mood_hold: {
      platform: 'select',
      unique_id: uid('mood_hold'),
      name: 'Mood hold',
      state_topic: topics.state,
      value_template: jsonOr('moodHold', `'${HOLD_OFF}'`),
      command_topic: topics.set('mood_hold'),
      options: [HOLD_OFF, ...EMOTIONS],
      icon: 'mdi:emoticon-cool-outline',
    },
    mood_hold_minutes: {
      platform: 'number',
      unique_id: uid('mood_hold_minutes'),
      name: 'Mood hold time',
      state_topic: topics.state,
      value_template: json('moodHoldMinutes'),
      command_topic: topics.set('mood_hold_minutes'),
      min: 1,
      max: MAX_HOLD_MINUTES,
      step: 1,
      mode: 'box',
      unit_of_measurement: 'min',
      entity_category: 'config',
      icon: 'mdi:timer-outline',
    },
    camera: {
      platform: 'switch',
      unique_id: uid('camera'),
      name: 'Camera',
      state_topic: topics.state,
      value_template: `{{ '${ON}' if value_json.cameraEnabled else '${OFF}' }}`,
      command_topic: topics.set('camera'),
      payload_on: ON,
      payload_off: OFF,
      state_on: ON,
      state_off: OFF,
      device_class: 'switch',
      icon: 'mdi:cctv',
    },
  };
  if (options.sources !== undefined && options.sources.length > 1) {
    components['source'] = {
      platform: 'select',
      unique_id: uid('source'),
      name: 'Music source',
      state_topic: topics.state,
      value_template: json('source'),
      command_topic: topics.set('source'),
      options: [...options.sources],
      icon: 'mdi:playlist-music',
    };
  }
  if (options.hasCardReader) components['card'] = { platform: 'tag', topic: topics.tag };
  return {
    topic: `${options.prefix}/device/${box.id}/config`,
    payload: {
      device: {
        identifiers: [box.id],
        name: box.name,
        manufacturer: 'Moodbox',
        model: 'Moodbox',
        sw_version: box.version,
        ...(box.configurationUrl === undefined ? {} : { configuration_url: box.configurationUrl }),
      },
      origin: { name: 'Moodbox', sw_version: box.version },
      availability: [online],
      qos: 1,
      components,
    },
  };
}
