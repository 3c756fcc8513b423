import type { QueueEntry } from '../../../play-queue.js';
import type { MusicRequest, MusicSource } from '../../music-source.js';
import type { SourceCheck, SourceRegistration } from '../../source-registry.js';

/** An archive recording as the library keeps it: `archive:<id>`. */
const ARCHIVE_ITEM = /^archive:[a-z0-9-]{1,64}$/;

/**
 * The example source of docs/music-sources.md, as a folder of its own: a recordings archive that
 * plays `archive:<id>` items. What it says of itself, once: its name, its scheme, the settings of
 * `music.source` it brings (`archive` for every mood, and `mixed`), its settings section
 * (`archive`, set up with a `library` URL, which must be http or https), homes and businesses
 * alike; guests may ask for its recordings wherever it plays, and the doctor names its library.
 */
export const ARCHIVE_REGISTRATION = {
  kind: 'archive',
  scheme: 'archive:',
  label: 'The archive',
  modes: ['archive', 'mixed'],
  settings: 'archive',
  isSetUp: (section: unknown): boolean => typeof section === 'object' && section !== null && 'library' in section && section.library !== '',
  homesOnly: false,
  entryProblem: (uri: string): string | undefined => (ARCHIVE_ITEM.test(uri) ? undefined : 'an archive recording is `archive:<id>`'),
  guestsMayAsk: ({ mode }: { isHome: boolean; mode: string }): boolean => mode !== 'local',
  settingsProblems: (section: unknown): string[] =>
    /^https?:\/\//.test(libraryOf(section)) ? [] : [`library: expected an http or https address, got \`${libraryOf(section)}\``],
  check: (section: unknown): SourceCheck => ({ status: 'ok', message: `recordings from ${libraryOf(section)}` }),
} as const satisfies SourceRegistration;

/** The archive's address in its settings section (`archive.library`), or '' where there is none. */
function libraryOf(section: unknown): string {
  const library = typeof section === 'object' && section !== null && 'library' in section ? section.library : undefined;
  return typeof library === 'string' ? library : '';
}

/** The archive as the music asks it: a recording for each mood it holds one for (`holds`), none while it is down. */
export class ArchiveSource implements MusicSource {
  readonly kind = ARCHIVE_REGISTRATION.kind;
  readonly #recordings = new Map<string, string>();
  readonly #listeners = new Set<() => void>();
  #problem: string | undefined;

  /** The archive holds recording `id` for `mood`. */
  holds(mood: string, id: string): void {
    this.#recordings.set(mood, id);
  }

  /** The archive cannot be reached (`why`), or (undefined) can again. */
  down(why: string | undefined): void {
    this.#problem = why;
    for (const listener of [...this.#listeners]) listener();
  }

  choose(request: MusicRequest): QueueEntry | undefined {
    if (this.#problem !== undefined) return undefined;
    const id = this.#recordings.get(request.mood) ?? (request.isStrict ? undefined : [...this.#recordings.values()][0]);
    if (id === undefined) return undefined;
    const uri = `${ARCHIVE_REGISTRATION.scheme}${id}`;
    const note = `a recording of the archive for ${request.mood}`;
    return { track: { id: 0, uri, title: id }, reason: request.reason, note, mood: request.roomMood, userId: request.userId };
  }

  problem(): string | undefined {
    return this.#problem;
  }

  onAvailabilityChanged(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
