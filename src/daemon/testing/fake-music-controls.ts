import type { KioskControls } from '../music/music-director.js';
import { auditFirst, type Actor, type AuditDeps } from '../store/audit.js';

/**
 * A stand-in for the music's kiosk commands, as a test answers them: each answer as the music
 * would give it, before the audit (which `auditedMusic` writes as the music does).
 */
export interface KioskMusic {
  tap(trackId: number): Promise<{ trackId: number }>;
  like(trackId: number): Promise<{ trackId: number }>;
  unlike(trackId: number): Promise<{ trackId: number }>;
  skip(trackId?: number): Promise<{ trackId: number | null }>;
}

/**
 * `music`'s answers as the music's own kiosk commands: each audited with who tapped, the line
 * written first and taken back when the answer is a refusal, as `MusicDirector` does.
 */
export function auditedMusic(music: KioskMusic, deps: AuditDeps): KioskControls {
  const skipped = (done: { trackId: number | null }): Record<string, unknown> => ({ trackId: done.trackId });
  return {
    tap: (trackId: number, actor: Actor) => auditFirst(deps, actor, 'player.tap', { trackId }, () => music.tap(trackId)),
    like: (trackId: number, actor: Actor) => auditFirst(deps, actor, 'player.like', { trackId }, () => music.like(trackId)),
    unlike: (trackId: number, actor: Actor) => auditFirst(deps, actor, 'player.unlike', { trackId }, () => music.unlike(trackId)),
    skip: (ask) => {
      if (ask.by === 'guests') return music.skip(ask.trackId);
      const detail = ask.by === 'listener' && ask.trackId !== undefined ? { trackId: ask.trackId } : {};
      return auditFirst(deps, ask.actor, 'player.skip', detail, () => music.skip(ask.by === 'listener' ? ask.trackId : undefined), skipped);
    },
  };
}

/** A music stand-in for the kiosk's commands: records each request and answers as the music does. */
export class FakeMusicControls implements KioskMusic {
  /** Every call, oldest first. */
  readonly calls: Array<{ method: 'tap' | 'like' | 'unlike' | 'skip'; trackId: number | undefined }> = [];
  #failure: Error | undefined;

  /** The next call rejects with `err`. */
  failNext(err: Error): void {
    this.#failure = err;
  }

  async tap(trackId: number): Promise<{ trackId: number }> {
    this.#record('tap', trackId);
    return { trackId };
  }

  async like(trackId: number): Promise<{ trackId: number }> {
    this.#record('like', trackId);
    return { trackId };
  }

  async unlike(trackId: number): Promise<{ trackId: number }> {
    this.#record('unlike', trackId);
    return { trackId };
  }

  async skip(trackId?: number): Promise<{ trackId: number | null }> {
    this.#record('skip', trackId);
    return { trackId: trackId ?? null };
  }

  #record(method: 'tap' | 'like' | 'unlike' | 'skip', trackId: number | undefined): void {
    this.calls.push({ method, trackId });
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure !== undefined) throw failure;
  }
}
