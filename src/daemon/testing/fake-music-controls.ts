import type { KioskMusic } from '../music/kiosk-commands.js';

/** A music director stand-in for the kiosk's commands: records each request and answers as the director does. */
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
