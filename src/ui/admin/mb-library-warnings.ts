import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StateSnapshot } from '../../daemon/http/contract.js';
import { moodLook } from '../components/mb-mood-face.js';
import type { AdminApi, LibraryFit } from '../data/admin-api.js';
import type { ApiClient } from '../data/api-client.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';
import { LiveStateController, whenChanged } from './live-state-controller.js';
import { capitalize } from '../components/words.js';

/** One thing the library lacks, and what to do about it. */
export interface LibraryWarning {
  /** A stable name for tests and styles: `no-fit:<mood>`, `few-fit:<mood>`, `not-analysed`, `empty`. */
  kind: string;
  text: string;
  todo: string;
}

const LISTEN = 'or let Moodbox listen to your music (Settings → Music: “Listen to every local track”, then Scan in Library)';

/** "a sad room", "a happy or surprised room". */
function rooms(emotions: readonly string[]): string {
  const names = emotions.map((e) => moodLook(e).label.toLowerCase());
  const list = names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`;
  return `${/^[aeiou]/.test(list) ? 'an' : 'a'} ${list} room`;
}

/**
 * The warnings the library's fit gives, worst first: no songs at all, moods no song fits, moods few
 * songs fit (emotions that play the same mood said together), songs not analysed; each with what to
 * do about it.
 */
export function libraryWarnings(fit: LibraryFit): LibraryWarning[] {
  if (fit.tracks === 0) {
    return [
      { kind: 'empty', text: 'The library has no music Moodbox can play.', todo: 'Add a music folder in Settings, then Scan in Library.' },
    ];
  }
  const byMood = new Map<string, { emotions: string[]; fitting: number }>();
  for (const { emotion, mood, fitting } of fit.moods) {
    const entry = byMood.get(mood) ?? { emotions: [], fitting };
    entry.emotions.push(emotion);
    byMood.set(mood, entry);
  }
  const none: LibraryWarning[] = [];
  const few: LibraryWarning[] = [];
  for (const [mood, { emotions, fitting }] of byMood) {
    if (fitting >= fit.fewBelow) continue;
    const tag = `tag ${fitting === 0 ? 'songs' : 'more songs'} “${mood}” in Library`;
    if (fitting === 0) {
      none.push({ kind: `no-fit:${mood}`, text: `No songs fit ${rooms(emotions)}.`, todo: `${capitalize(tag)}, ${LISTEN}.` });
    } else {
      few.push({ kind: `few-fit:${mood}`, text: `Few songs fit ${rooms(emotions)} (${fitting}).`, todo: `${capitalize(tag)}, ${LISTEN}.` });
    }
  }
  const out = [...none, ...few];
  if (fit.notAnalysed > 0) {
    const songs = fit.notAnalysed === 1 ? '1 song is' : `${fit.notAnalysed} songs are`;
    out.push({
      kind: 'not-analysed',
      text: `${songs} not analysed yet: they follow the room by their mood tags alone.`,
      todo: 'Let Moodbox listen to them (Settings → Music: “Listen to every local track”, then Scan in Library), or tag them in Library.',
    });
  }
  return out;
}

/** What, when it changes, may change the library's fit: its size, a scan or an analysis ending. */
function libraryKey(state: StateSnapshot | null): string {
  const l = state?.library;
  return l === undefined ? '' : `${l.tracks}|${l.scanning}|${l.lastScan?.at ?? ''}|${l.analysis.running}|${l.analysis.done}`;
}

/**
 * Warnings about the library for the owner, with what to do: moods no song or few songs fit (as
 * the music counts them, by tags and by where the analysis placed each song), songs not analysed.
 *
 * @summary Library warnings on the dashboard.
 */
@customElement('mb-library-warnings')
export class MbLibraryWarnings extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      ul {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      li {
        margin: 0 0 0.6em;
        padding: 0.4em 0.7em;
        border-left: 0.35em solid #d97706;
        background: #fffbeb;
        border-radius: 0.3em;
        overflow-wrap: anywhere;
      }
      li p {
        margin: 0.15em 0;
      }
    `,
  ];

  @property({ attribute: false }) api!: AdminApi;
  @property({ attribute: false }) live: ApiClient | null = null;
  @state() private _fit: LibraryFit | null = null;
  @state() private _error = '';

  readonly #live = new LiveStateController(this, {
    client: () => this.live,
    onChange: whenChanged(libraryKey, () => void this.#load(), { skipFirst: true }),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this._fit = await this.api.libraryFit();
      this._error = '';
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  override render() {
    const warnings = this._fit === null ? [] : libraryWarnings(this._fit);
    return html`<section class="card" aria-labelledby="library-h" data-online=${this.#live.isOnline}>
      <h3 id="library-h">Library</h3>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      ${
        this._fit === null
          ? nothing
          : warnings.length === 0
            ? html`<p class="muted">${this._fit.tracks} songs and stations; every mood has enough songs.</p>`
            : html`<ul aria-label="Library warnings">
                ${warnings.map(
                  (w) =>
                    html`<li data-warning=${w.kind}>
                      <p><strong>${w.text}</strong></p>
                      <p>${w.todo}</p>
                    </li>`,
                )}
              </ul>`
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-library-warnings': MbLibraryWarnings;
  }
}
