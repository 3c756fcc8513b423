import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StateSnapshot } from '../../daemon/http/contract.js';
import type { AdminApi, LibraryFit } from '../data/admin-api.js';
import type { ApiClient } from '../data/api-client.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, moodName, t } from './admin-i18n.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';
import { tagName } from './library-scan.js';
import { LiveStateController, whenChanged } from './live-state-controller.js';

/** One thing the library lacks, and what to do about it. */
export interface LibraryWarning {
  /** A stable name for tests and styles: `no-fit:<mood>`, `few-fit:<mood>`, `not-analysed`, `empty`. */
  kind: string;
  text: string;
  todo: string;
}

/** "a sad room", "a happy or surprised room" (each look as the language quotes it). */
function rooms(emotions: readonly string[]): { room: string } {
  const names = emotions.map((e) => t('admin.libraryWarnings.look', { look: moodName(e).toLocaleLowerCase(i18n.locale) }));
  // English as the panel has always written it: "happy, sad or surprised".
  const looks = new Intl.ListFormat(i18n.locale === 'en' ? 'en-GB' : i18n.locale, { type: 'disjunction' }).format(names);
  return { room: /^[aeiou]/.test(looks) ? t('admin.libraryWarnings.roomVowel', { looks }) : t('admin.libraryWarnings.room', { looks }) };
}

/**
 * The warnings the library's fit gives, worst first: no songs at all, moods no song fits, moods few
 * songs fit (emotions that play the same mood said together), songs not analysed; each with what to
 * do about it, and only what is not done yet: with every song analysed, tags or more music; with
 * the analysis on (`isListening`), a scan rather than the switch already on.
 */
export function libraryWarnings(fit: LibraryFit, isListening = false): LibraryWarning[] {
  const isHeard = fit.notAnalysed === 0 || isListening;
  if (fit.tracks === 0) {
    return [{ kind: 'empty', text: t('admin.libraryWarnings.empty'), todo: t('admin.libraryWarnings.emptyTodo') }];
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
    if (fitting === 0) {
      none.push({
        kind: `no-fit:${mood}`,
        text: t('admin.libraryWarnings.noFit', rooms(emotions)),
        todo: t(isHeard ? 'admin.libraryWarnings.noFitTodoHeard' : 'admin.libraryWarnings.noFitTodo', { mood: tagName(mood) }),
      });
    } else {
      few.push({
        kind: `few-fit:${mood}`,
        text: t('admin.libraryWarnings.fewFit', { ...rooms(emotions), fitting }),
        todo: t(isHeard ? 'admin.libraryWarnings.fewFitTodoHeard' : 'admin.libraryWarnings.fewFitTodo', { mood: tagName(mood) }),
      });
    }
  }
  const out = [...none, ...few];
  if (fit.notAnalysed > 0) {
    out.push({
      kind: 'not-analysed',
      text: t('admin.libraryWarnings.notAnalysed', { count: fit.notAnalysed }),
      todo: t(isListening ? 'admin.libraryWarnings.notAnalysedTodoListening' : 'admin.libraryWarnings.notAnalysedTodo'),
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
        border-inline-start: 0.35em solid #d97706;
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
  /** Whether Moodbox listens to every local song (`library.analyze`): its switch is not advised again. */
  @state() private _isListening = false;
  @state() private _error = '';

  readonly #live = new LiveStateController(this, {
    client: () => this.live,
    onChange: whenChanged(libraryKey, () => void this.#load(), { skipFirst: true }),
  });

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    try {
      // The settings say whether the analysis is on; without them, the advice names its switch.
      const [fit, settings] = await Promise.all([this.api.libraryFit(), this.api.settings().catch(() => null)]);
      this._fit = fit;
      this._isListening = (settings?.config['library'] as { analyze?: unknown } | undefined)?.analyze === true;
      this._error = '';
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  override render() {
    const warnings = this._fit === null ? [] : libraryWarnings(this._fit, this._isListening);
    return html`<section class="card" aria-labelledby="library-h" data-online=${this.#live.isOnline}>
      <h3 id="library-h">${t('admin.libraryWarnings.title')}</h3>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      ${
        this._fit === null
          ? nothing
          : warnings.length === 0
            ? html`<p class="muted">${t('admin.libraryWarnings.allFit', { count: this._fit.tracks })}</p>`
            : html`<ul aria-label=${t('admin.libraryWarnings.listLabel')}>
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
