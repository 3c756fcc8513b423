import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi } from '../data/admin-api.js';
import type { Settings } from '../data/admin-api.js';
import { ApiError } from '../data/api-client.js';
import { fieldOf, fieldProblems } from '../data/field-problems.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, t } from './admin-i18n.js';
import { ADMIN_STYLES, messageOf, VISUALLY_HIDDEN } from './admin-styles.js';
import { SETTINGS_STYLES } from './mb-admin-settings.styles.js';
import { PageLoader } from './page-loader.js';
import { settingRow } from './setting-input.js';
import { groupIntro, partTitle } from './setting-looks.js';
import { GROUPS, type GroupId, type SchemaNode, getAt, lookOf, problemOf, setAt, settingsOf, withoutAt } from './settings-model.js';
import { settingsTabs, type TabMark } from './settings-tabs.js';
import { changeWords, demoWords, valueWords } from './settings-words.js';
import { kioskLanguages } from './first-run-model.js';

type Json = Record<string, unknown>;

/** The settings whose default is told as one where nothing sets them: the camera, and the music folders (the demo music). */
const TOLD_DEFAULTS: ReadonlySet<string> = new Set(['camera.source', 'library.folders']);

/** How often the page asks whether Moodbox is back after a restart (ms). */
const RESTART_POLL_MS = 1000;
/** How long the page waits for Moodbox to come back before it says so (ms). */
const RESTART_WAIT_MS = 90_000;

/**
 * Settings as a form built from the daemon's configuration schema: labels and help in staff's
 * words, a widget per kind of setting (switches, choices, sliders for bounded numbers, time pickers,
 * folder and schedule lists), one tab per task (Music, Guests, Camera, Screens, Network, Advanced),
 * settings used rarely in closed parts of their tab. A tab marks its unsaved changes; edits on every
 * tab are saved together. Each field is checked as it is edited, its problem shown beside it; a bar
 * that stays at the bottom saves, says what happened, and offers a restart when a saved setting needs one.
 * The address `#settings/<setting or tab>` (`#settings/guests.approval`, `#settings/network`) opens its tab there.
 *
 * @summary Admin settings form.
 */
@customElement('mb-admin-settings')
export class MbAdminSettings extends LitElement {
  static override styles = [ADMIN_STYLES, VISUALLY_HIDDEN, SETTINGS_STYLES];

  @property({ attribute: false }) api!: AdminApi;
  @state() private _schema: SchemaNode | null = null;
  @state() private _config: Json = {};
  @state() private _overrides: Json = {};
  /** What the configuration file sets: beside a saved setting that overrides it, what it says. */
  @state() private _file: Json = {};
  /** Saved settings allowed but not working now (a camera not plugged in), by setting. */
  @state() private _notes: Settings['notes'] = [];
  @state() private _safeMode: string | null = null;
  @state() private _setAside: Settings['setAside'] = [];
  @state() private _edits: Record<string, unknown> = {};
  @state() private _result = '';
  @state() private _isError = false;
  @state() private _restartFor: string[] = [];
  @state() private _isBusy = false;
  /** The daemon's refusal of the last save, by the setting it names, in plain words. */
  @state() private _refused: Record<string, string> = {};
  /** The tab shown. */
  @state() private _group: GroupId = 'music';
  /** The restart card waits for a yes. */
  @state() private _isAskingRestart = false;
  /** Whether something starts Moodbox again after a restart (systemd, a supervisor); else it says how to do it by hand. */
  @state() private _canRestart = true;
  readonly #loader = new PageLoader(this, async () => {
    const [schema, settings, canRestart] = await Promise.all([
      this.api.configSchema(),
      this.api.settings(),
      this.api.hasOperation('restartDaemon').catch(() => true),
    ]);
    this._canRestart = canRestart;
    this._schema = schema;
    this._config = settings.config;
    this._overrides = settings.overrides;
    this._file = settings.file;
    this._notes = settings.notes;
    this._safeMode = settings.safeMode;
    this._setAside = settings.setAside;
    this._edits = {};
    this._refused = {};
  });
  /** The setting or tab the address names (`#settings/vision.preview`) is shown when the form is drawn and when the address changes. */
  #isFocusPending = true;
  readonly #onHash = (): void => {
    this.#isFocusPending = true;
    this.requestUpdate();
  };

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.#onHash);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.#onHash);
    super.disconnectedCallback();
  }

  override willUpdate(): void {
    if (!this.#isFocusPending || this._schema === null) return;
    const [view, id = ''] = window.location.hash.replace(/^#\/?/, '').split('/');
    const named = decodeURIComponent(id);
    if (view !== 'settings' || named === '') {
      this.#isFocusPending = false;
      return;
    }
    const group = GROUPS.find((g) => g === named);
    const node = settingsOf(this._schema).find(([key]) => key === named)?.[1];
    this._group = group ?? (node === undefined ? this._group : lookOf(named, node).group);
  }

  override updated(): void {
    if (!this.#isFocusPending || this._schema === null) return;
    this.#isFocusPending = false;
    const id = decodeURIComponent(window.location.hash.split('/')[1] ?? '');
    if (id !== '') this.#bringIntoView(id, true);
  }

  /** Opens the closed part that holds setting `id`, scrolls it into view and (with `isFocused`) focuses its input. */
  #bringIntoView(id: string, isFocused: boolean): void {
    const row = this.renderRoot.querySelector<HTMLElement>(`[data-setting="${CSS.escape(id)}"]`);
    row?.closest('details')?.setAttribute('open', '');
    row?.scrollIntoView({ block: 'center' });
    if (isFocused) row?.querySelector<HTMLElement>('input, select')?.focus({ preventScroll: true });
  }

  override render() {
    if (this._schema === null)
      return html`<h2>${t('admin.settings.title')}</h2>
        ${this.#loader.status()}`;
    const settings = settingsOf(this._schema);
    const problems = Object.entries(this._edits).filter(([id, value]) => {
      const node = settings.find(([key]) => key === id)?.[1];
      return node !== undefined && problemOf(node, value, lookOf(id, node).unit) !== '';
    }).length;
    const edited = Object.keys(this._edits).length;
    // A refusal stays in view, with what it names marked, until the form is changed again.
    const status = this._isError
      ? this._result
      : problems > 0
        ? t('admin.settings.fixFirst', { count: problems })
        : edited > 0
          ? t('admin.settings.unsaved', { count: edited })
          : this._result;
    return html`<h2>${t('admin.settings.title')}</h2>
      ${
        this._safeMode === null
          ? nothing
          : html`<p class="error" role="alert" data-safe-mode>${t('admin.settings.safeMode', { reason: this._safeMode })}</p>`
      }
      ${this.#setAsideNote()}
      <form @submit=${this.#save} novalidate aria-label=${t('admin.settings.title')}>
        ${this.#tabs(settings)} ${this.#panel(settings)}
        <div class=${edited > 0 || problems > 0 ? 'savebar dirty' : 'savebar'} role="region" aria-label=${t('admin.settings.saveBarLabel')}>
          <button type="submit" ?disabled=${edited === 0 || problems > 0 || this._isBusy}>${t('admin.settings.save')}</button>
          <button type="button" class="secondary" ?disabled=${this._isBusy} @click=${this.#discard}>${t('admin.settings.discard')}</button>
          <p role="status" aria-live="polite" class=${this._isError || problems > 0 ? 'error' : edited > 0 ? '' : 'ok'} data-result>
            ${status}
          </p>
          ${
            this._restartFor.length > 0 && edited === 0 && this._canRestart
              ? html`<button type="button" class="danger" data-action="restart" ?disabled=${this._isBusy} @click=${this.#restart}>
                  ${t('admin.settings.restart')}
                </button>`
              : nothing
          }
        </div>
      </form>
      ${this.#restartCard()}
      <section class="card group" aria-labelledby="backups-title" data-backups>
        <h3 id="backups-title">${t('admin.settings.backups.title')}</h3>
        <p class="intro muted">${t('admin.settings.backups.intro')}</p>
        <a class="action" href="#backups" data-action="backups">${t('admin.settings.backups.link')}</a>
      </section>`;
  }

  /**
   * A restart whenever an owner wants one, asked for twice: the music stops for a few seconds. Where
   * nothing would start Moodbox again (started by hand), how to restart it by hand instead.
   */
  #restartCard() {
    return html`<section class="card group" aria-labelledby="restart-title" data-restart-card>
      <h3 id="restart-title">${t('admin.settings.restartCard.title')}</h3>
      <p class="intro muted">${t('admin.settings.restartCard.intro')}</p>
      ${
        !this._canRestart
          ? html`<p data-restart-by-hand>${t('admin.settings.restartByHand')}</p>`
          : this._isAskingRestart
            ? html`<div role="alertdialog" aria-labelledby="restart-ask" data-restart-confirm>
                <p id="restart-ask">${t('admin.settings.restartCard.confirm')}</p>
                <div class="buttons">
                  <button type="button" class="danger" data-action="restart" ?disabled=${this._isBusy} @click=${this.#restartNow}>
                    ${t('admin.settings.restart')}
                  </button>
                  <button type="button" class="secondary" ?disabled=${this._isBusy} @click=${() => (this._isAskingRestart = false)}>
                    ${t('admin.settings.restartCard.cancel')}
                  </button>
                </div>
              </div>`
            : html`<button type="button" class="secondary" data-action="restart-ask" ?disabled=${this._isBusy} @click=${this.#askRestart}>
                ${t('admin.settings.restartCard.button')}
              </button>`
      }
    </section>`;
  }

  readonly #askRestart = async (): Promise<void> => {
    this._isAskingRestart = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-restart-confirm] button.secondary')?.focus();
  };

  readonly #restartNow = async (): Promise<void> => {
    this._isAskingRestart = false;
    await this.#restart();
  };

  /** The tabs, each marked when its settings have unsaved changes or a problem. */
  #tabs(settings: Array<[string, SchemaNode]>) {
    const groupOf = (id: string) => lookOf(id, settings.find(([key]) => key === id)?.[1]).group;
    const marks: Partial<Record<GroupId, TabMark>> = {};
    for (const id of Object.keys(this._edits)) marks[groupOf(id)] ??= 'changed';
    for (const id of [...Object.keys(this._edits), ...Object.keys(this._refused)])
      if (this.#problem(id, settings) !== '') marks[groupOf(id)] = 'wrong';
    return settingsTabs(this._group, marks, (group) => {
      this._group = group;
      return this.updateComplete;
    });
  }

  /** The tab shown: its introduction, its settings, then its closed parts (settings used rarely), each a disclosure. */
  #panel(settings: Array<[string, SchemaNode]>) {
    const group = this._group;
    const mine = settings
      .map(([id, node]) => [id, node, lookOf(id, node)] as const)
      .filter(([, , look]) => look.group === group)
      .sort(([, , a], [, , b]) => (a.order ?? 0) - (b.order ?? 0));
    const parts = [...new Set(mine.flatMap(([, , look]) => (look.part === undefined ? [] : [look.part])))];
    return html`<section class="card group" role="tabpanel" id="panel-${group}" aria-labelledby="tab-${group}" data-group=${group}>
      <p class="intro muted">${groupIntro(group)}</p>
      ${mine.filter(([, , look]) => look.part === undefined).map(([id, node]) => this.#setting(id, node, settings))}
      ${parts.map(
        (part) =>
          html`<details class="part" data-part=${part}>
            <summary>${partTitle(part)}</summary>
            ${mine.filter(([, , look]) => look.part === part).map(([id, node]) => this.#setting(id, node, settings))}
          </details>`,
      )}
    </section>`;
  }

  /**
   * The choices a setting offers on this box: a business plays no music source registered for
   * homes only (streaming services' terms forbid playing them in public: the schema marks their
   * settings `homesOnly`), so those are offered at a home alone; a value already saved stays
   * listed, so that the form shows what is set.
   */
  #offered(node: SchemaNode, choices: readonly unknown[], value: unknown): readonly unknown[] {
    if (this.#value('site.kind') === 'home') return choices;
    const homesOnly = new Set((node.anyOf ?? []).filter((option) => option.homesOnly === true).map((option: SchemaNode) => option.const));
    return choices.filter((choice) => !homesOnly.has(choice) || choice === value);
  }

  /**
   * What the form shows for setting `id`: an edit, else what is saved. A setting that waits for a
   * restart still runs at its old value (`config`), so its saved value is the one in the overrides,
   * else the configuration file's (a panel value taken back).
   */
  #value(id: string): unknown {
    if (id in this._edits) return this._edits[id];
    const node = this._schema === null ? undefined : settingsOf(this._schema).find(([key]) => key === id)?.[1];
    return this.#savedValue(id, node?.requiresRestart === true, this._overrides, this._config);
  }

  /** The value of setting `id` the box runs, or will run after a restart (`isLater`), with `overrides` saved. */
  #savedValue(id: string, isLater: boolean, overrides: Json, config: Json): unknown {
    const path = id.split('.');
    return isLater ? (getAt(overrides, path) ?? getAt(this._file, path) ?? getAt(config, path)) : getAt(config, path);
  }

  /** The problem of setting `id`: the form's check of an edit, else the daemon's refusal; '' when none. */
  #problem(id: string, settings: Array<[string, SchemaNode]>): string {
    const node = settings.find(([key]) => key === id)?.[1];
    const edited = id in this._edits && node !== undefined ? problemOf(node, this._edits[id], lookOf(id, node).unit) : '';
    return edited || (this._refused[id] ?? '');
  }

  #setting(id: string, node: SchemaNode, settings: Array<[string, SchemaNode]>) {
    const value = this.#value(id);
    if (id === 'site.language') return this.#kioskLanguage(id, node, value, settings);
    return settingRow({
      id,
      node,
      value,
      problem: this.#problem(id, settings),
      note: this.#note(id, node),
      offered: (choices) => this.#offered(node, choices, value),
      api: this.api,
      edit: (v) => this.#edit(id, v),
    });
  }

  /**
   * Under a setting: a value saved in the panel over the one the configuration file names, which
   * wins until it is taken back (as the file's music folders are kept, the file's word is shown,
   * with the way back to it); and what is saved but will not work now (a camera not plugged in).
   */
  #note(id: string, node: SchemaNode) {
    const path = id.split('.');
    const saved = getAt(this._overrides, path);
    const file = getAt(this._file, path);
    const isOverFile = saved !== undefined && file !== undefined && JSON.stringify(saved) !== JSON.stringify(file) && !(id in this._edits);
    const note = this._notes.find((n) => n.path === id);
    // The machine's camera, or the demo music, set by nobody: said to be the default, not the file's.
    const isDefault = TOLD_DEFAULTS.has(id) && saved === undefined && file === undefined && !(id in this._edits);
    if (!isOverFile && note === undefined && !isDefault) return nothing;
    return html`${isDefault ? html`<p class="note" data-default>${t('admin.settings.byDefault')}</p>` : nothing}${
      isOverFile
        ? html`<p class="note" data-over-file>
            ${t('admin.settings.overFile', { value: valueWords(file, lookOf(id, node)) })}
            <button type="button" class="secondary" ?disabled=${this._isBusy} @click=${() => this.#useFile(id)}>
              ${t('admin.settings.useFile')}
            </button>
          </p>`
        : nothing
    }${
      note === undefined
        ? nothing
        : html`<p class="note warning" data-note>
            ${fieldProblems(note.problem)
              .map((p) => p.message)
              .join(' ')}
            ${t('admin.settings.savedAnyway')}
          </p>`
    }`;
  }

  /** Takes back the panel's value of setting `id`: the configuration file's is in force again (saved at once). */
  async #useFile(id: string): Promise<void> {
    this._edits = Object.fromEntries(Object.entries(this._edits).filter(([key]) => key !== id));
    await this.#saveWith(withoutAt(this._overrides, id.split('.')));
  }

  /**
   * The kiosk's language as a list, the same as the guest page's and this panel's: each language
   * by its own name, and the kiosk browser's own; a code the file sets that no catalogue has stays listed.
   */
  #kioskLanguage(id: string, node: SchemaNode, value: unknown, settings: Array<[string, SchemaNode]>) {
    const languages = kioskLanguages();
    const codes = languages.map(([code]) => code);
    const known = typeof value !== 'string' || codes.includes(value) ? codes : [...codes, value];
    return settingRow({
      id,
      node: { ...node, enum: known },
      value,
      problem: this.#problem(id, settings),
      offered: (choices) => choices,
      labels: Object.fromEntries(languages),
      api: this.api,
      edit: (v) => this.#edit(id, v),
    });
  }

  #edit(id: string, value: unknown): void {
    this._edits = { ...this._edits, [id]: value };
    this._result = '';
    this._isError = false;
    if (id in this._refused) this._refused = Object.fromEntries(Object.entries(this._refused).filter(([key]) => key !== id));
  }

  /** The saved settings refused at a start (a restored backup's, say): what each was, and why it is not used. */
  #setAsideNote() {
    if (this._setAside.length === 0) return nothing;
    return html`<section class="card error" role="alert" data-set-aside aria-label=${t('admin.settings.setAside.label')}>
      <p>${t('admin.settings.setAside.why', { count: this._setAside.length })}</p>
      <ul>
        ${this._setAside.map(
          (entry) =>
            html`<li data-set-aside-path=${entry.path}>
              <strong>${entry.path}</strong> = <code>${JSON.stringify(entry.value)}</code>: ${entry.why}
            </li>`,
        )}
      </ul>
      <button type="button" class="secondary" ?disabled=${this._isBusy} @click=${this.#dismissSetAside}>
        ${t('admin.settings.setAside.dismiss')}
      </button>
    </section>`;
  }

  readonly #dismissSetAside = async (): Promise<void> => {
    this._isBusy = true;
    try {
      await this.api.dismissSetAside();
      this._setAside = [];
    } catch (err) {
      this._isError = true;
      this._result = messageOf(err);
    } finally {
      this._isBusy = false;
    }
  };

  readonly #discard = (): void => {
    this._edits = {};
    this._result = '';
    this._isError = false;
    this._refused = {};
  };

  readonly #save = async (event: Event): Promise<void> => {
    event.preventDefault();
    await this.#saveWith(this._overrides);
  };

  /** Saves `base` with the edits over it, and says what changed. */
  async #saveWith(base: Json): Promise<void> {
    let overrides = base;
    for (const [id, value] of Object.entries(this._edits)) overrides = setAt(overrides, id.split('.'), value);
    this._isBusy = true;
    const foldersBefore = getAt(this._config, ['library', 'folders']);
    try {
      const saved = await this.api.saveSettings(overrides);
      this._config = saved.config;
      this._overrides = overrides;
      this._notes = saved.notes;
      this._edits = {};
      this._isError = false;
      this._refused = {};
      const nodes = this._schema === null ? [] : settingsOf(this._schema);
      // A setting that waits for a restart is still at its running value in `config`: what was saved is in the overrides.
      const valueOf = (id: string): unknown =>
        this.#savedValue(
          id,
          saved.restartRequired.some((path) => fieldOf(path, [id]) === id),
          overrides,
          saved.config,
        );
      // A changed part of a setting (`player.quietHours.from`) is named as the setting it is part of, once.
      const names = (paths: string[]) =>
        [
          ...new Set(
            paths.map(
              (path) =>
                fieldOf(
                  path,
                  nodes.map(([key]) => key),
                ) ?? path,
            ),
          ),
        ]
          .map((id) => changeWords(id, valueOf(id), nodes.find(([key]) => key === id)?.[1]))
          .join(', ');
      this._restartFor = [...new Set([...this._restartFor, ...saved.restartRequired])];
      const now = saved.changed.filter((id) => !saved.restartRequired.includes(id));
      this._result =
        saved.changed.length === 0
          ? t('admin.settings.nothingChanged')
          : [
              now.length > 0 ? t('admin.settings.savedNow', { changes: names(now) }) : '',
              saved.restartRequired.length > 0 ? t('admin.settings.savedLater', { changes: names(saved.restartRequired) }) : '',
              saved.restartRequired.length > 0 && !this._canRestart ? t('admin.settings.restartByHand') : '',
              saved.changed.includes('library.folders') ? demoWords(foldersBefore, valueOf('library.folders'), nodes) : '',
            ]
              .filter(Boolean)
              .join(' ');
    } catch (err) {
      this._isError = true;
      this.#refusal(err);
    } finally {
      this._isBusy = false;
    }
  }

  /**
   * A refused save: each problem beside the setting it names, and a summary at the save bar that
   * names the settings (and says in full what names none).
   */
  #refusal(err: unknown): void {
    if (!(err instanceof ApiError) || err.status !== 400 || this._schema === null) {
      this._refused = {};
      this._result = t('admin.settings.notSavedBecause', { reason: messageOf(err) });
      return;
    }
    const nodes = settingsOf(this._schema);
    const ids = nodes.map(([id]) => id);
    const refused: Record<string, string> = {};
    const elsewhere: string[] = [];
    for (const problem of fieldProblems(err.message)) {
      const id = fieldOf(problem.path, ids);
      if (id === undefined) elsewhere.push(problem.message);
      else refused[id] = refused[id] === undefined ? problem.message : `${refused[id]} ${problem.message}`;
    }
    this._refused = refused;
    const marked = Object.keys(refused).map((id) => lookOf(id, nodes.find(([key]) => key === id)?.[1]).label);
    this._result = [
      t('admin.settings.notSaved'),
      marked.length > 0 ? t('admin.settings.changeMarked', { count: marked.length, settings: marked.join(', ') }) : '',
      ...elsewhere,
    ]
      .filter(Boolean)
      .join(' ');
    // The first refused setting comes into view, on its tab, so the reason is where the eye goes.
    const first = Object.keys(refused)[0];
    if (first === undefined) return;
    this._group = lookOf(first, nodes.find(([key]) => key === first)?.[1]).group;
    void this.updateComplete.then(() => this.#bringIntoView(first, false));
  }

  readonly #restart = async (): Promise<void> => {
    this._isBusy = true;
    this._isError = false;
    try {
      await this.api.restartDaemon();
      this._result = t('admin.settings.restarting');
      const started = performance.now();
      // Down first, then back: a health answer from before the stop does not count.
      let wasDown = false;
      while (performance.now() - started < RESTART_WAIT_MS) {
        await new Promise((resolve) => setTimeout(resolve, RESTART_POLL_MS));
        const isUp = await fetch('/api/health').then(
          (r) => r.ok,
          () => false,
        );
        if (!isUp) wasDown = true;
        else if (wasDown) {
          this._restartFor = [];
          this._result = t('admin.settings.restarted');
          await this.#loader.reload();
          return;
        }
      }
      this._isError = true;
      this._result = t('admin.settings.notBack');
    } catch (err) {
      this._isError = true;
      this._result = messageOf(err);
    } finally {
      this._isBusy = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-settings': MbAdminSettings;
  }
}
