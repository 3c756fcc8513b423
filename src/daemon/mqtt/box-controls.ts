import type { LiveConfig } from '../config/live-config.js';
import { mergeDeep } from '../config/load-config.js';
import type { Clock } from '../../kernel/clock.js';
import type { AuditRepository } from '../store/store.js';
import type { FleetCommand } from './fleet-topics.js';

/** What Home Assistant and fleet operators may do to the music: the same actions staff have. */
export interface MusicCommands {
  /** 0–100; the admin's maximum, the schedule and the idle volume still apply. */
  setVolume(volume: number): Promise<number>;
  /** Staff skip: the next pick plays. */
  skip(): Promise<unknown>;
  /** The person signed in at the kiosk likes what plays; refused when nobody is signed in. */
  like(): Promise<unknown>;
}

export interface BoxControlsDeps {
  music: MusicCommands;
  settings: LiveConfig;
  audit: AuditRepository;
  clock: Clock;
  /** Scans the music folders again; resolves when the scan ends. */
  rescan: () => Promise<unknown>;
  /** Asks the daemon to restart (systemd starts it again). */
  restart: (by: string) => void;
}

/**
 * Commands from outside the box (Home Assistant, a fleet operator) under the admin panel's rules:
 * settings go through `LiveConfig.save` (validated by the schema, file-only keys refused, audited
 * like a save from the panel), the music through the director's own checks.
 */
export class BoxControls {
  readonly #deps: BoxControlsDeps;

  constructor(deps: BoxControlsDeps) {
    this.#deps = deps;
  }

  get music(): MusicCommands {
    return this.#deps.music;
  }

  /** Sets the wanted volume (0–100) for `actor` and writes the audit, as the admin panel's volume does. */
  async setVolume(volume: number, actor: string): Promise<number> {
    const { music, audit, clock } = this.#deps;
    const applied = await music.setVolume(volume);
    audit.append({ at: clock.now(), actor, action: 'player.volume', target: '', detail: { wanted: volume, applied } });
    return applied;
  }

  /** Skips the song playing for `actor` (a staff skip: nobody's taste changes) and writes the audit. */
  async skip(actor: string): Promise<void> {
    const { music, audit, clock } = this.#deps;
    const skipped = await music.skip();
    const trackId = (skipped as { trackId?: unknown } | undefined)?.trackId;
    audit.append({
      at: clock.now(),
      actor,
      action: 'player.skip',
      target: '',
      detail: { trackId: typeof trackId === 'number' ? trackId : null },
    });
  }

  /**
   * Saves `patch` (a partial configuration, e.g. `{player: {policy: 'lift'}}`) over the settings
   * saved from the admin panel; throws `ConfigError` listing the problems, as the panel's save does.
   */
  save(patch: Record<string, unknown>, actor: string): string[] {
    const { settings, audit, clock } = this.#deps;
    const change = settings.save(mergeDeep(settings.overrides(), patch), clock.now());
    audit.append({
      at: clock.now(),
      actor,
      action: 'settings.save',
      target: '',
      detail: { changed: change.changed, restartRequired: change.restartRequired },
    });
    return change.changed;
  }

  /** Carries out a fleet operator's command. */
  async fleet(command: FleetCommand, value: unknown, actor: string): Promise<void> {
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
        this.#deps.audit.append({ at: this.#deps.clock.now(), actor, action: 'library.scan', target: '' });
        // The scan runs on; the library service reports its progress and result.
        this.#deps.rescan().catch(() => undefined);
        return;
      case 'restart':
        this.#deps.audit.append({ at: this.#deps.clock.now(), actor, action: 'daemon.restart', target: '' });
        this.#deps.restart(actor);
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
