import { isEmotion } from '../../kernel/room-mood.js';
import { MAX_HOLD_MINUTES } from '../music/music-aim.js';
import type { BoxControls } from './box-controls.js';
import { DEFAULT_HOLD_MINUTES, HOLD_OFF, OFF, ON } from './home-assistant.js';
import { actors } from '../store/store-reads.js';

/** Who Home Assistant's commands are audited as. */
export const HOME_ASSISTANT_ACTOR = actors.mqtt('homeassistant');

/**
 * How long a mood chosen in Home Assistant is held (minutes, its "Mood hold time"). The daemon keeps
 * it across restarts; it is Home Assistant's own choice for its next hold, and changes nothing of the
 * music by itself (the hold's audit line carries it).
 */
export interface HoldMinutes {
  get(): number;
  set(minutes: number): void;
}

/** A hold time kept in memory only (a test, a box without a database). */
export function holdMinutesInMemory(initial = DEFAULT_HOLD_MINUTES): HoldMinutes {
  let minutes = initial;
  return {
    get: () => minutes,
    set(value) {
      minutes = value;
    },
  };
}

export interface HomeAssistantCommandDeps {
  controls: BoxControls;
  holdMinutes: HoldMinutes;
}

/**
 * Carries out what Home Assistant sent to one of the box's entities (`…/set/<entity>`), under the
 * admin panel's rules: the music's commands and the settings write the audit as
 * `mqtt:homeassistant`. Throws, having changed nothing, when the payload is not one the entity
 * sends or the owner refuses it.
 */
export async function homeAssistantCommand(entity: string, value: string, deps: HomeAssistantCommandDeps): Promise<void> {
  const { controls } = deps;
  const actor = HOME_ASSISTANT_ACTOR;
  switch (entity) {
    case 'volume':
      await controls.music.setVolume(percentOf(value), actor);
      return;
    case 'max_volume':
      controls.save({ player: { maxVolume: percentOf(value) } }, actor);
      return;
    case 'policy':
      controls.save({ player: { policy: value } }, actor);
      return;
    case 'source':
      controls.save({ music: { source: value } }, actor);
      return;
    case 'camera':
      controls.save({ camera: { enabled: isOn(value) } }, actor);
      return;
    case 'paused':
      if (isOn(value)) await controls.music.pause(actor);
      else await controls.music.resume(actor);
      return;
    case 'mood_hold':
      if (value === HOLD_OFF) await controls.music.releaseMood(actor);
      else if (isEmotion(value)) await controls.music.holdMood(value, deps.holdMinutes.get(), actor);
      else throw new TypeError(`Expected \`${HOLD_OFF}\` or an emotion, got \`${shown(value)}\``);
      return;
    case 'mood_hold_minutes':
      deps.holdMinutes.set(minutesOf(value));
      return;
    case 'skip':
      await controls.music.skip({ by: 'staff', actor });
      return;
    case 'like':
      await controls.music.likePlaying(actor);
      return;
    default:
      throw new TypeError(`Expected a Moodbox entity, got \`${shown(entity)}\``);
  }
}

/** A switch's payload: `ON` is true, `OFF` false, anything else refused. */
function isOn(payload: string): boolean {
  if (payload !== ON && payload !== OFF) throw new TypeError(`Expected \`${ON}\` or \`${OFF}\`, got \`${shown(payload)}\``);
  return payload === ON;
}

/**
 * A percentage as Home Assistant's number entities send it (step 1, so a whole number): `0`, or
 * digits without a leading zero, 0–100. Nothing else is read as one: not ` 50`, `50.0` or `045`,
 * nor an empty payload (which `Number` reads as 0), `0x14`, `1e1`, `Infinity` or a sign.
 */
export function percentOf(payload: string): number {
  const what = 'a whole number 0–100, written plainly (`0`, `45`, `100`)';
  if (!/^(?:0|[1-9]\d{0,2})$/.test(payload)) throw new TypeError(`Expected ${what}, got \`${shown(payload)}\``);
  const value = Number(payload);
  if (value > 100) throw new RangeError(`Expected ${what}, got \`${payload}\``);
  return value;
}

/** A hold time as Home Assistant's number entity sends it (`30`, `30.0`): whole minutes, 1 to a day. */
export function minutesOf(payload: string): number {
  const what = `a whole number of minutes 1–${MAX_HOLD_MINUTES}`;
  if (!/^\d{1,4}(?:\.0{1,6})?$/.test(payload)) throw new TypeError(`Expected ${what}, got \`${shown(payload)}\``);
  const value = Number(payload);
  if (value < 1 || value > MAX_HOLD_MINUTES) throw new RangeError(`Expected ${what}, got \`${payload}\``);
  return value;
}

/** The longest payload a log line carries, so a large command does not make a large line. */
const SHOWN_CHARS = 80;

/** `text` short enough for a log line. */
export function shown(text: string): string {
  return text.length <= SHOWN_CHARS ? text : `${text.slice(0, SHOWN_CHARS)}… (${text.length} characters)`;
}
