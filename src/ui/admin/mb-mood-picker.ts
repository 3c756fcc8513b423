import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { KnownMood } from '../data/admin-api.js';
import { moodColour } from '../components/mood-colours.js';
import { emit } from '../events.js';
import { followLanguage } from '../i18n/i18n.js';
import { ADMIN_STYLES } from './admin-styles.js';
import { i18n, moodName, t } from './admin-i18n.js';

/** A mood tag in the panel's language, lower case as the library writes its tags; one the owner added, as they wrote it. */
function tag(mood: string): string {
  const known = moodName(mood, '');
  return known === '' ? mood : known.toLocaleLowerCase(i18n.locale);
}

/** A mood tag as the picker shows it: its name, how strongly it fits (0–1), and where it came from. */
export interface PickedMood {
  mood: string;
  weight: number;
  origin?: string;
}

/**
 * The moods of one thing (a track, a station) as chips with a touch-sized remove button, and an
 * "Add mood" choice of the moods the library knows, so a typo cannot make a mood no song uses.
 * It changes nothing itself: it reports the new list in `mb-moods-change`.
 *
 * @summary Mood tags picked from the known moods.
 * @event mb-moods-change - The list after a mood was added or removed.
 * @csspart add - The "Add mood" row.
 */
@customElement('mb-mood-picker')
export class MbMoodPicker extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      :host {
        display: block;
      }
      .chip .dot {
        width: 0.8em;
        height: 0.8em;
        border: 1px solid #374151;
        border-radius: 50%;
      }
      .chip .weight {
        color: #4b5563;
        font-size: 0.9em;
      }
      /* Touch-sized: 44x44 CSS pixels at least. */
      .chip button {
        min-width: 44px;
        min-height: 44px;
        font-size: 1.1em;
      }
      .add {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        gap: 0.5em;
        margin: 0.3em 0 0;
      }
      .add select {
        max-width: 100%;
      }
      .add button {
        min-height: 44px;
      }
      .none {
        margin: 0 0 0.3em;
      }
    `,
  ];

  /** The moods picked so far. */
  @property({ attribute: false }) moods: PickedMood[] = [];
  /** The moods that may be added (`GET /api/admin/moods`). */
  @property({ attribute: false }) known: KnownMood[] = [];
  /** What is being tagged, for the buttons' names ("Remove mood calm from Night Jazz"). */
  @property() subject = '';
  /** The chip's tooltip for a mood (how strongly it fits, why it has it); none when unset. */
  @property({ attribute: false }) describe: ((mood: PickedMood) => string) | null = null;
  /** A problem with the moods, shown under the "Add mood" choice; '' for none. */
  @property() error = '';
  @state() private _draft = '';

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  /** The mood chosen in "Add mood" but not added yet ('' for none): a form saving the moods takes it as picked. */
  get pending(): string {
    return this._draft;
  }

  override render() {
    const addable = this.known.filter((m) => !this.moods.some((x) => x.mood === m.name));
    const removeLabel = (mood: string): string =>
      this.subject === ''
        ? t('admin.moodPicker.removeLabel', { mood: tag(mood) })
        : t('admin.moodPicker.removeFromLabel', { mood: tag(mood), subject: this.subject });
    return html`${this.moods.length === 0 ? html`<p class="none muted">${t('admin.moodPicker.none')}</p>` : nothing}
      ${this.moods.map(
        (m) =>
          html`<span class="chip" data-mood=${m.mood} title=${this.describe?.(m) ?? nothing}
            ><span class="dot" style="background: ${moodColour(m.mood)}"></span>${tag(m.mood)}${
              m.weight < 1 ? html` <span class="weight">${Math.round(m.weight * 100)}%</span>` : nothing
            }
            <button type="button" aria-label=${removeLabel(m.mood)} @click=${() => this.#change(this.moods.filter((x) => x !== m))}>
              ✕
            </button></span
          >`,
      )}
      <div class="add" part="add">
        <label
          >${t('admin.moodPicker.addMood')}
          <select
            name="mood"
            .value=${this._draft}
            aria-invalid=${this.error === '' ? 'false' : 'true'}
            aria-describedby=${this.error === '' ? nothing : 'moods-error'}
            @change=${(e: Event) => (this._draft = (e.target as HTMLSelectElement).value)}
          >
            <option value="" ?selected=${this._draft === ''}>${t('admin.moodPicker.choose')}</option>
            ${addable.map((m) => html`<option value=${m.name} ?selected=${this._draft === m.name}>${tag(m.name)}</option>`)}
          </select>
        </label>
        <button type="button" ?disabled=${this._draft === ''} @click=${this.#add}>${t('admin.moodPicker.add')}</button>
      </div>
      ${this.error === '' ? nothing : html`<p class="field-error" id="moods-error" role="alert">${this.error}</p>`}`;
  }

  readonly #add = (): void => {
    const mood = this._draft;
    if (mood === '' || this.moods.some((m) => m.mood === mood)) return;
    this._draft = '';
    this.#change([...this.moods, { mood, weight: 1, origin: 'admin' }]);
  };

  #change(moods: PickedMood[]): void {
    emit(this, 'mb-moods-change', { moods });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-mood-picker': MbMoodPicker;
  }
}
