/**
 * What a music source besides the library says of itself, once, where it is registered
 * (`registered-sources.ts`): the core, the guests, Home Assistant and the settings ask these and
 * never name a source.
 */
export interface SourceRegistration {
  /** Its name: the library's `source` column for its tracks (`spotify`). */
  readonly kind: string;
  /** How its URIs begin (`spotify:`): a URI with it plays through this source, never mpv. */
  readonly scheme: string;
  /** Its name in words, for the health line (`Spotify`). */
  readonly label: string;
  /** The `music.source` settings it brings, besides `local` (`spotify`, `mixed`). */
  readonly modes: readonly string[];
  /** Its own section of the settings (`spotify`): it may be chosen only when they let it play. */
  readonly settings: string;
  /** Whether its settings section (`settings`) lets it play on this box (an app configured). */
  isSetUp(section: unknown): boolean;
  /** True when a business may not choose it: a business plays only its own library. */
  readonly homesOnly: boolean;
  /** Why an entry of this source in the library (`uri`) is not one it plays, or undefined when it is. */
  entryProblem(uri: string): string | undefined;
  /** What guests may see of it: whether they may ask for its tracks, at a home or not, with `music.source` set to `mode`. */
  guestsMayAsk(place: { readonly isHome: boolean; readonly mode: string }): boolean;
  /**
   * What is wrong in its settings section (`section`) that the schema cannot say, as
   * `<key>: <message>` each (a value that would stop the start is refused when it is saved).
   */
  settingsProblems?(section: unknown): string[];
  /** The doctor's check of it where it may play (`isSetUp`), on a box that listens on `box.port`. */
  check?(section: unknown, box: { readonly port: number }): SourceCheck;
}

/** What the doctor says of a source (`moodbox doctor`, under the source's name). */
export interface SourceCheck {
  readonly status: 'ok' | 'warn' | 'fail';
  readonly message: string;
  /** What to do about a warning or a failure. */
  readonly fix?: string;
}

/** Where a box plays: a home, or a business (which plays only its own library). */
export interface Place {
  readonly isHome: boolean;
}

/** The sources besides the library, by their names and their URIs' schemes. */
export class SourceRegistry {
  readonly #registrations: readonly SourceRegistration[];

  constructor(registrations: readonly SourceRegistration[]) {
    const kinds = new Set(registrations.map((r) => r.kind));
    if (kinds.has('local') || kinds.size < registrations.length) {
      throw new RangeError(`Expected sources of distinct names besides \`local\`, got ${registrations.map((r) => r.kind).join(', ')}`);
    }
    this.#registrations = registrations;
  }

  /** Every source besides the library, in the order registered. */
  get all(): readonly SourceRegistration[] {
    return this.#registrations;
  }

  /** Every `music.source` setting: `local`, then each source's, each once. */
  get modes(): string[] {
    return ['local', ...new Set(this.#registrations.flatMap((r) => r.modes))];
  }

  /** The sources a box at `place` may play: a business none of those for homes only. */
  allowedAt(place: Place): SourceRegistration[] {
    return this.#registrations.filter((r) => place.isHome || !r.homesOnly);
  }

  /**
   * The sources that may play on a box at `place` with these settings (`settings`: the
   * configuration, whose section each source names): allowed there and set up.
   */
  usable(place: Place, settings: Readonly<Record<string, unknown>>): SourceRegistration[] {
    return this.allowedAt(place).filter((r) => r.isSetUp(settings[r.settings]));
  }

  /** The `music.source` settings a box at `place` may choose: `local`, and those a source allowed there brings. */
  modesAt(place: Place): string[] {
    return ['local', ...new Set(this.allowedAt(place).flatMap((r) => r.modes))];
  }

  /** The source of this name (the library's `source` column), or undefined for the library's own (`local`, `stream`). */
  byKind(kind: string): SourceRegistration | undefined {
    return this.#registrations.find((r) => r.kind === kind);
  }

  /** The source whose scheme `uri` has, or undefined for the library's own (paths and stations' URLs). */
  byUri(uri: string): SourceRegistration | undefined {
    return this.#registrations.find((r) => uri.startsWith(r.scheme));
  }
}
