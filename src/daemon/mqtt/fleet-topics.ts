/**
 * The fleet's topics on a shared broker, for the boxes and for `moodbox fleet`:
 *
 * | Topic | Retained | What |
 * | --- | --- | --- |
 * | `moodbox/<site>/<box>/availability` | yes | `online`, or `offline` (the last will) |
 * | `moodbox/<site>/<box>/state` | yes | mood, faces, what plays, volume and limits (JSON), sent when it changes |
 * | `moodbox/<site>/<box>/health` | yes | version, memory, each service's health (JSON), sent when a status changes and at the heartbeat |
 * | `moodbox/<site>/<box>/heartbeat` | no | every `mqtt.heartbeatS` seconds, with the uptime (JSON) |
 * | `moodbox/<site>/<box>/events/play` · `/events/mood` | no | each play, each room mood change (JSON) |
 * | `moodbox/<site>/<box>/cmd/<command>` | no | an operator's command to one box (JSON `{id, value}`) |
 * | `moodbox/<site>/all/cmd/<command>` | no | the same command to every box of the site |
 * | `moodbox/<site>/all/desired/<setting>` | yes | the site's last site-wide setting (JSON `{id, value, at}`), applied once by each box |
 * | `moodbox/<site>/<box>/cmd-result` | no | each command's outcome (JSON `{id, command, ok, error?}`) |
 */
export const FLEET_ROOT = 'moodbox';

/** The box level that addresses every box of a site; no box may be called this. */
export const SITE_WIDE = 'all';

/** What an operator may tell a box to do, and the setting each changes. */
export const FLEET_COMMANDS = {
  'volume-cap': 'player.maxVolume: an integer 0–100; a ceiling: each box plays the volume last asked for, up to it',
  'quiet-hours': 'player.quietHours: {"from":"HH:MM","to":"HH:MM"} or null',
  'camera-hours': 'camera.hours: {"from":"HH:MM","to":"HH:MM"} or null',
  policy: 'player.policy: "match" or "lift"',
  rescan: 'scans the music library again (no value)',
  restart: 'restarts the daemon (no value; systemd starts it again)',
} as const;

export type FleetCommand = keyof typeof FLEET_COMMANDS;

export function isFleetCommand(value: string): value is FleetCommand {
  return Object.hasOwn(FLEET_COMMANDS, value);
}

/**
 * The commands that set a setting: sent to a whole site, the broker keeps the last of each as the
 * site's desired state (`…/all/desired/<setting>`, retained), and a box that was away applies it when
 * it comes back. `rescan` and `restart` are actions, not states: kept, they would run again.
 */
export const SITE_SETTINGS = ['volume-cap', 'quiet-hours', 'camera-hours', 'policy'] as const satisfies readonly FleetCommand[];

export type SiteSetting = (typeof SITE_SETTINGS)[number];

export function isSiteSetting(value: string): value is SiteSetting {
  return (SITE_SETTINGS as readonly string[]).includes(value);
}

/** A command as it travels: `id` ties the box's answer to it; a desired setting says when it was sent (`at`, epoch ms). */
export interface FleetCommandMessage {
  id: string;
  value?: unknown;
  at?: number;
}

/** A box's answer to a command. */
export interface FleetCommandResult {
  id: string;
  command: string;
  box: string;
  ok: boolean;
  error?: string;
}

/** The topics of one box. */
export function boxTopics(site: string, box: string) {
  const base = `${FLEET_ROOT}/${site}/${box}`;
  return {
    base,
    availability: `${base}/availability`,
    state: `${base}/state`,
    health: `${base}/health`,
    heartbeat: `${base}/heartbeat`,
    event: (kind: 'play' | 'mood') => `${base}/events/${kind}`,
    commands: `${base}/cmd/+`,
    siteCommands: `${FLEET_ROOT}/${site}/${SITE_WIDE}/cmd/+`,
    /** The site's desired settings, kept by the broker. */
    siteDesired: `${FLEET_ROOT}/${site}/${SITE_WIDE}/desired/+`,
    commandResult: `${base}/cmd-result`,
    /** Home Assistant's commands, one topic per entity. */
    set: (entity: string) => `${base}/set/${entity}`,
    setAll: `${base}/set/+`,
    tag: `${base}/tag`,
  };
}

export type BoxTopics = ReturnType<typeof boxTopics>;

/** The topic that sends `command` to one box, or to every box of the site when `box` is undefined. */
export function commandTopic(site: string, box: string | undefined, command: FleetCommand): string {
  return `${FLEET_ROOT}/${site}/${box ?? SITE_WIDE}/cmd/${command}`;
}

/** The retained topic that keeps `setting` as the desired state of every box of `site`. */
export function desiredTopic(site: string, setting: SiteSetting): string {
  return `${FLEET_ROOT}/${site}/${SITE_WIDE}/desired/${setting}`;
}

/** Splits `moodbox/<site>/<box>/<rest>` into its parts, or undefined for another topic. */
export function parseBoxTopic(topic: string): { site: string; box: string; rest: string } | undefined {
  const [root, site, box, ...rest] = topic.split('/');
  if (root !== FLEET_ROOT || site === undefined || box === undefined || rest.length === 0) return undefined;
  return { site, box, rest: rest.join('/') };
}
