import type { Emotion } from '../../kernel/room-mood.js';
import type { FleetCommand } from './fleet-topics.js';
import type { Actor } from '../store/store-reads.js';

/** What Home Assistant and fleet operators may do: the same commands staff have, each audited by its owner with the actor. */
export interface BoxCommands {
  /**
   * The music's own commands (`MusicDirector`, which audits each): 0–100 volume under the admin's
   * maximum and schedule, a staff skip, a like for the person signed in, a staff pause and its end,
   * a mood held for some minutes and its release.
   */
  music: {
    setVolume(volume: number, actor: Actor): Promise<number>;
    skip(ask: { by: 'staff'; actor: Actor }): Promise<unknown>;
    likePlaying(actor: Actor): Promise<unknown>;
    pause(actor: Actor): Promise<unknown>;
    resume(actor: Actor): Promise<unknown>;
    holdMood(label: Emotion, minutes: number, actor: Actor): Promise<unknown>;
    releaseMood(actor: Actor): Promise<unknown>;
  };
  /** The live configuration's audited patch (`LiveConfig.patchAs`): validated by the schema, file-only keys refused. */
  settings: { patchAs(actor: Actor, patch: Record<string, unknown>): { changed: string[] } };
  /** A rescan of the music folders for `actor` (`LibraryService.rescan`), audited; it runs on. */
  rescan(actor: Actor): unknown;
  /** A restart of the daemon for `actor`, audited (systemd starts it again). */
  restart(actor: Actor): void;
}

/**
 * Commands from outside the box (Home Assistant, a fleet operator), translated into the owners'
 * commands under the admin panel's rules: settings through the live configuration (validated,
 * file-only keys refused), the music's commands (`music`) as they are. Each owner writes the
 * audit with the actor (`mqtt:homeassistant`, `mqtt:fleet`); nothing here writes the store.
 */
export class BoxControls {
  readonly #commands: BoxCommands;

  constructor(commands: BoxCommands) {
    this.#commands = commands;
  }

  /** The music's own commands, called as they are: a skip goes from the entity's message to the music's command, which audits it. */
  get music(): BoxCommands['music'] {
    return this.#commands.music;
  }

  /**
   * Saves `patch` (a partial configuration, e.g. `{player: {policy: 'lift'}}`) over the settings
   * saved from the admin panel; throws `ConfigError` listing the problems, as the panel's save does.
   */
  save(patch: Record<string, unknown>, actor: Actor): string[] {
    return this.#commands.settings.patchAs(actor, patch).changed;
  }

  /** Carries out a fleet operator's command. */
  async fleet(command: FleetCommand, value: unknown, actor: Actor): Promise<void> {
    switch (command) {
      case 'volume-cap':
        this.save({ player: { maxVolume: required(value, 'player.maxVolume: an integer 0–100') } }, actor);
        return;
      case 'quiet-hours':
        this.save({ player: { quietHours: required(value, 'player.quietHours: hours, or null for none') } }, actor);
        return;
      case 'camera-hours':
        this.save({ camera: { hours: required(value, 'camera.hours: hours, or null for none') } }, actor);
        return;
      case 'policy':
        this.save({ player: { policy: required(value, "player.policy: a policy's name") } }, actor);
        return;
      case 'rescan':
        this.#commands.rescan(actor);
        return;
      case 'restart':
        this.#commands.restart(actor);
        return;
      default: {
        const never: never = command;
        throw new TypeError(`Expected a fleet command, got \`${String(never)}\``);
      }
    }
  }
}

/**
 * A command's `value`, which it must carry: a message without one changes nothing (merged into the
 * saved settings, a missing value would reset the setting to its default).
 */
function required(value: unknown, what: string): unknown {
  if (value === undefined) throw new TypeError(`Expected \`value\` (${what}), got none`);
  return value;
}
