import { isEmotion, type Emotion } from '../../kernel/room-mood.js';
import type { QueueItem } from '../../player/play-queue.js';
import type { Playback } from '../events.js';
import { auditFirst, auditOrUndo, recordAudit, type Actor, type AuditDeps } from '../store/audit.js';
import type { LibraryFit, StaffMusicView } from './music-staff.js';

/**
 * What staff controls need of the music: the music director implements it. Each method MAY throw a
 * `MoodboxError` (`MB_ERR_PLAYER_NOT_ALLOWED` when the music is silent), or a `RangeError` for an
 * argument out of range.
 */
export interface StaffControls {
  readonly playback: Playback;
  readonly staffView: StaffMusicView;
  /** Pauses until `resume()`; nothing else resumes it. */
  pause(): Promise<unknown>;
  /** Ends a staff pause; the music plays unless quiet hours or the schedule keep it silent. */
  resume(): Promise<unknown>;
  /** Plays the next pick now; nobody's likes or skips change. */
  next(): Promise<{ trackId: number | null }>;
  /** 0–100; the maximum and the schedule still cap it. Resolves with the volume applied. */
  setVolume(volume: number): Promise<number>;
  /** Follows `label` instead of the camera until `until` (epoch ms). */
  holdMood(label: Emotion, until: number): Promise<unknown>;
  /** Follows the camera again. */
  releaseMood(): Promise<unknown>;
  /** What plays and what comes next, in order. */
  readonly queue: { current: QueueItem | undefined; upcoming: readonly QueueItem[] };
  /** Plays a song or station of the library now (`MB_ERR_NOT_FOUND` for none such). */
  playNow(trackId: number): Promise<QueueItem>;
  /** Puts a song or station at the head of what comes next; a change of the room's mood never pushes it out. */
  playNext(trackId: number): Promise<QueueItem>;
  /** Takes a song staff queued out again (`MB_ERR_NOT_FOUND` once it started or left). */
  unqueue(key: number): Promise<QueueItem>;
  /** Moves a song staff queued to `position` (0: next) among the songs staff queued (`MB_ERR_NOT_FOUND` once it started or left). */
  move(key: number, position: number): Promise<QueueItem>;
  /** How well the library serves each mood the room can be in. */
  libraryFit(): LibraryFit;
}

export interface MusicCommandsDeps extends AuditDeps {
  staff: StaffControls;
  /** The person signed in at the kiosk likes `trackId` (the director's `like`); MUST refuse when nobody is signed in. */
  like?: (trackId: number) => Promise<unknown>;
}

const MINUTE_MS = 60_000;

/** The longest a mood may be held (minutes): a day, so a forgotten hold ends by itself. */
export const MAX_HOLD_MINUTES = 24 * 60;

/**
 * The music's commands from outside the kiosk, for whoever acts: staff in the admin panel, Home
 * Assistant and the fleet over MQTT. Each carries out the director's own checks and writes the
 * audit with the actor; the delivery layers only translate. An error means nothing changed, a full
 * disk included: the volume, a pause and a resume are undone when their audit cannot be written;
 * the changes that cannot be undone (a skip, a song played now) and the queue and the held mood
 * write their audit first, and are not made when it cannot be written.
 */
export class MusicCommands {
  readonly #deps: MusicCommandsDeps;

  constructor(deps: MusicCommandsDeps) {
    this.#deps = deps;
  }

  /** What staff read of the music (the director's own state). */
  get staff(): Omit<
    StaffControls,
    'pause' | 'resume' | 'next' | 'setVolume' | 'holdMood' | 'releaseMood' | 'playNow' | 'playNext' | 'unqueue' | 'move'
  > {
    return this.#deps.staff;
  }

  /** Pauses the music until staff resume it. */
  async pause(actor: Actor): Promise<void> {
    const { staff } = this.#deps;
    const wasPaused = staff.staffView.isPausedByStaff;
    await staff.pause();
    await auditOrUndo(this.#deps, actor, 'player.pause', { detail: {} }, async () => (wasPaused ? undefined : staff.resume()));
  }

  /** Ends a staff pause. */
  async resume(actor: Actor): Promise<void> {
    const { staff } = this.#deps;
    const wasPaused = staff.staffView.isPausedByStaff;
    await staff.resume();
    await auditOrUndo(this.#deps, actor, 'player.resume', { detail: {} }, async () => (wasPaused ? staff.pause() : undefined));
  }

  /** A staff skip: the next pick plays now, and nobody's taste changes. Resolves with the song skipped (null when none played). */
  async skip(actor: Actor): Promise<{ trackId: number | null }> {
    const { staff } = this.#deps;
    const playing = staff.queue.current?.track.id ?? null;
    return auditFirst(
      this.#deps,
      actor,
      'player.skip',
      { trackId: playing },
      () => staff.next(),
      ({ trackId }) => ({ trackId }),
    );
  }

  /** Sets the wanted volume (0–100); the maximum and the schedule still cap it. Resolves with the volume applied. */
  async setVolume(volume: number, actor: Actor): Promise<number> {
    const { staff } = this.#deps;
    const before = staff.staffView.wantedVolume;
    const applied = await staff.setVolume(volume);
    await auditOrUndo(this.#deps, actor, 'player.volume', { detail: { wanted: volume, applied } }, () => staff.setVolume(before));
    return applied;
  }

  /** Plays for `label` instead of the camera's mood for `minutes` (an integer 1–`MAX_HOLD_MINUTES`). */
  async holdMood(label: Emotion, minutes: number, actor: Actor): Promise<void> {
    if (!isEmotion(label)) throw new RangeError(`Expected \`label\` to be an emotion, got \`${String(label)}\``);
    if (!(Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_HOLD_MINUTES)) {
      throw new RangeError(`Expected \`minutes\` to be an integer from 1 to ${MAX_HOLD_MINUTES}, got \`${minutes}\``);
    }
    const until = this.#deps.clock.now() + minutes * MINUTE_MS;
    await auditFirst(this.#deps, actor, 'mood.hold', { label, minutes, until }, () => this.#deps.staff.holdMood(label, until));
  }

  /** Follows the camera again; audited only when a mood was held. */
  async releaseMood(actor: Actor): Promise<void> {
    const { staff } = this.#deps;
    const held = staff.staffView.hold;
    if (held === null) await staff.releaseMood();
    else await auditFirst(this.#deps, actor, 'mood.release', { label: held.label }, () => staff.releaseMood());
  }

  /** Plays a song or station of the library now. */
  async playNow(trackId: number, actor: Actor): Promise<QueueItem> {
    return auditFirst(this.#deps, actor, 'player.play-now', { trackId }, () => this.#deps.staff.playNow(trackId), song);
  }

  /** Plays a song or station next, before the music's own pick. */
  async playNext(trackId: number, actor: Actor): Promise<QueueItem> {
    return auditFirst(this.#deps, actor, 'player.play-next', { trackId }, () => this.#deps.staff.playNext(trackId), song);
  }

  /** Takes a song staff queued out of the queue again. */
  async unqueue(key: number, actor: Actor): Promise<QueueItem> {
    const { staff } = this.#deps;
    const queued = staff.queue.upcoming.find((i) => i.key === key);
    return auditFirst(this.#deps, actor, 'player.unqueue', queued === undefined ? { key } : song(queued), () => staff.unqueue(key), song);
  }

  /** Moves a song staff queued to `position` among the songs staff queued (0: next). */
  async move(key: number, position: number, actor: Actor): Promise<QueueItem> {
    const { staff } = this.#deps;
    const queued = staff.queue.upcoming.find((i) => i.key === key);
    // Where it goes (1: next); the line is completed with where it went, a position past the last being the last.
    const asked = { ...(queued === undefined ? { key } : song(queued)), position: position + 1 };
    const place = (moved: QueueItem): number =>
      staff.queue.upcoming.filter((i) => i.reason === 'staff').findIndex((i) => i.key === moved.key) + 1;
    return auditFirst(
      this.#deps,
      actor,
      'player.queue-move',
      asked,
      () => staff.move(key, position),
      (moved) => ({
        ...song(moved),
        position: place(moved),
      }),
    );
  }

  /** The person signed in at the kiosk likes the song playing, as `actor` asked (Home Assistant's like button). */
  async like(actor: Actor): Promise<{ trackId: number }> {
    const { like } = this.#deps;
    const trackId = this.#deps.staff.playback.trackId;
    if (like === undefined) throw new RangeError('Expected a music that takes likes, got none');
    if (trackId === null) throw new RangeError('Expected a song playing to like, got none');
    await like(trackId);
    recordAudit(this.#deps, actor, 'player.like', { detail: { trackId } });
    return { trackId };
  }
}

/** What the audit says of a song: its id and its title, as it was then. */
function song(queued: QueueItem): { trackId: number; title: string; key: number } {
  return { trackId: queued.track.id, title: queued.track.title ?? '', key: queued.key };
}
