import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { DayPlan } from '../../daemon/http/contract.js';
import type { AdminApi, KnownMood } from '../data/admin-api.js';
import { emit } from '../events.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, moodName, t } from './admin-i18n.js';
import { ADMIN_STYLES } from './admin-styles.js';

/** How long a new block lasts, from where the last one ends (minutes). */
const NEW_BLOCK_MIN = 120;

/** `hhmm` moved on by `minutes`, around the clock. */
function later(hhmm: string, minutes: number): string {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  const at = (h * 60 + m + minutes) % (24 * 60);
  return `${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}`;
}

/** A cap as the owner reads it: "up to 70", or "no cap" at 100. */
function capWords(value: number): string {
  return value >= 100 ? t('admin.dayPlans.noCap') : t('admin.dayPlans.upTo', { cap: value });
}

/**
 * A library mood a block leans toward, as the list names it: in English the library's own word
 * (`calm`), in another language the mood's name there; a mood the owner added keeps its name.
 */
function leanName(mood: string): string {
  return i18n.language === 'en' ? mood : moodName(mood);
}

/**
 * The day plans of the settings form: a card per block of the day (its name, its hours, the mood
 * the music leans toward, chosen from the library's moods, and its energy and volume caps) with
 * Remove, and "Add a plan". It saves nothing itself: it reports the whole new list in
 * `mb-day-plans-change`, and the form checks and saves it with the other settings.
 *
 * @summary Day plans editor.
 * @event mb-day-plans-change - The list after a block was added, changed or removed.
 */
@customElement('mb-day-plans')
export class MbDayPlans extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      :host {
        display: block;
        width: 100%;
      }
      fieldset {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 9em), 1fr));
        gap: 0.6em 1em;
        margin: 0 0 0.8em;
        padding: 0.6em 0.9em 0.9em;
        border: 1px solid #d1d5db;
        border-radius: 0.5em;
        min-width: 0;
      }
      legend {
        padding: 0 0.3em;
        font-weight: 700;
      }
      label {
        min-width: 0;
      }
      input,
      select {
        box-sizing: border-box;
        width: 100%;
      }
      input[type='range'] {
        padding: 0;
        border: 0;
      }
      .cap output {
        font-weight: 400;
      }
      .remove {
        align-self: end;
        justify-self: start;
      }
      .none {
        margin: 0 0 0.6em;
      }
    `,
  ];

  /** The blocks of the day, in order. */
  @property({ attribute: false }) plans: DayPlan[] = [];
  /** Where the moods offered for a lean are read (`GET /api/admin/moods`). */
  @property({ attribute: false }) api: AdminApi | null = null;
  @state() private _moods: KnownMood[] = [];

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.api
      ?.moods()
      .then((moods) => {
        this._moods = moods;
      })
      // The moods already chosen stay offered: the editor works without the list.
      .catch(() => undefined);
  }

  override render() {
    return html`${this.plans.length === 0 ? html`<p class="muted none" data-no-plans>${t('admin.dayPlans.none')}</p>` : nothing}
      ${this.plans.map((plan, i) => this.#plan(plan, i))}
      <button type="button" class="secondary" data-action="add-plan" @click=${this.#add}>${t('admin.dayPlans.add')}</button>`;
  }

  #plan(plan: DayPlan, i: number) {
    const title = plan.name.trim() === '' ? t('admin.dayPlans.untitled', { n: i + 1 }) : plan.name;
    const moods = [...new Set(['', ...this._moods.map((m) => m.name), ...(plan.mood === '' ? [] : [plan.mood])])];
    const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;
    const number = (e: Event) => (e.target as HTMLInputElement).valueAsNumber;
    return html`<fieldset data-plan=${i}>
      <legend>${title}</legend>
      <label
        >${t('admin.dayPlans.name')}
        <input
          .value=${plan.name}
          placeholder=${t('admin.dayPlans.namePlaceholder')}
          maxlength="40"
          @input=${(e: Event) => this.#change(i, { name: value(e) })}
      /></label>
      <label
        >${t('admin.dayPlans.from')}
        <input type="time" .value=${plan.from} required @input=${(e: Event) => this.#change(i, { from: value(e) })}
      /></label>
      <label
        >${t('admin.dayPlans.to')} <input type="time" .value=${plan.to} required @input=${(e: Event) => this.#change(i, { to: value(e) })}
      /></label>
      <label
        >${t('admin.dayPlans.lean')}
        <select @change=${(e: Event) => this.#change(i, { mood: value(e) })}>
          ${moods.map(
            (m) => html`<option value=${m} ?selected=${m === plan.mood}>${m === '' ? t('admin.dayPlans.noLean') : leanName(m)}</option>`,
          )}
        </select></label
      >
      <label class="cap"
        ><span>${t('admin.dayPlans.energy')} <output>${capWords(plan.energyCap)}</output></span>
        <input
          type="range"
          min="0"
          max="100"
          step="5"
          aria-label=${t('admin.dayPlans.energyCapLabel', { plan: title })}
          .value=${String(plan.energyCap)}
          @input=${(e: Event) => this.#change(i, { energyCap: number(e) })}
      /></label>
      <label class="cap"
        ><span>${t('admin.dayPlans.volume')} <output>${capWords(plan.volumeCap)}</output></span>
        <input
          type="range"
          min="0"
          max="100"
          aria-label=${t('admin.dayPlans.volumeCapLabel', { plan: title })}
          .value=${String(plan.volumeCap)}
          @input=${(e: Event) => this.#change(i, { volumeCap: number(e) })}
      /></label>
      <button
        type="button"
        class="secondary remove"
        aria-label=${t('admin.dayPlans.removeLabel', { plan: title })}
        @click=${() => this.#set(this.plans.filter((_, j) => j !== i))}
      >
        ${t('admin.dayPlans.remove')}
      </button>
    </fieldset>`;
  }

  #change(i: number, part: Partial<DayPlan>): void {
    this.#set(this.plans.map((p, j) => (j === i ? { ...p, ...part } : p)));
  }

  readonly #add = (): void => {
    const from = this.plans.at(-1)?.to ?? '11:30';
    // Named as its card is ("Plan 2"), so that a block just added is whole, and the form has nothing to fix before a word is typed.
    const name = t('admin.dayPlans.untitled', { n: this.plans.length + 1 });
    this.#set([...this.plans, { name, from, to: later(from, NEW_BLOCK_MIN), mood: '', energyCap: 100, volumeCap: 100 }]);
  };

  #set(plans: DayPlan[]): void {
    this.plans = plans;
    emit(this, 'mb-day-plans-change', { plans });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-day-plans': MbDayPlans;
  }
}
