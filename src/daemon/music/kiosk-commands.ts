import { auditFirst, type Actor, type AuditDeps } from '../store/audit.js';

/**
 * What the kiosk's own taps need of the music: the music director implements it. Each method MAY
 * throw a `MoodboxError` (`MB_ERR_NOT_FOUND` for an unknown track, `MB_ERR_PLAYER_NOT_ALLOWED`,
 * `MB_ERR_AUTH_REQUIRED`), which the kiosk shows as it is.
 */
export interface KioskMusic {
  /** Plays the track now, for the person signed in at the kiosk or for the room; resolves once it plays. */
  tap(trackId: number): Promise<{ trackId: number }>;
  /** Remembers that the person signed in at the kiosk likes the track. MUST refuse when nobody is signed in. */
  like(trackId: number): Promise<{ trackId: number }>;
  /** Forgets that the person signed in at the kiosk likes the track. MUST refuse when nobody is signed in. */
  unlike(trackId: number): Promise<{ trackId: number }>;
  /**
   * Skips the current track for the person signed in at the kiosk: remembered, and something else
   * plays. `trackId` is the track they saw playing, when known. Resolves with the track skipped,
   * null when nothing played. MUST refuse when nobody is signed in.
   */
  skip(trackId?: number): Promise<{ trackId: number | null }>;
}

/**
 * The kiosk's taps as commands: a song chosen, liked or unliked, the song playing skipped, each
 * audited first with who tapped (`user:3`; `kiosk` with nobody signed in), as staff's commands are:
 * a tap refused takes its line back, and one whose line cannot be written (a full disk) is not made.
 */
export class KioskCommands {
  readonly #deps: AuditDeps & { music: KioskMusic };

  constructor(deps: AuditDeps & { music: KioskMusic }) {
    this.#deps = deps;
  }

  tap(trackId: number, actor: Actor): Promise<{ trackId: number }> {
    return auditFirst(this.#deps, actor, 'player.tap', { trackId }, () => this.#deps.music.tap(trackId));
  }

  like(trackId: number, actor: Actor): Promise<{ trackId: number }> {
    return auditFirst(this.#deps, actor, 'player.like', { trackId }, () => this.#deps.music.like(trackId));
  }

  unlike(trackId: number, actor: Actor): Promise<{ trackId: number }> {
    return auditFirst(this.#deps, actor, 'player.unlike', { trackId }, () => this.#deps.music.unlike(trackId));
  }

  /** Skips the song playing (`trackId`: the one the person saw playing); the line names the song skipped. */
  skip(trackId: number | undefined, actor: Actor): Promise<{ trackId: number | null }> {
    return auditFirst(
      this.#deps,
      actor,
      'player.skip',
      trackId === undefined ? {} : { trackId },
      () => this.#deps.music.skip(trackId),
      (skipped) => ({ trackId: skipped.trackId }),
    );
  }
}
