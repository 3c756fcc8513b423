import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, AdminSession, FirstRunWizardView } from '../data/admin-api.js';
import { ApiError } from '../data/api-client.js';
import { fieldProblems } from '../data/field-problems.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, t, tWith, type AdminKey } from './admin-i18n.js';
import { ADMIN_STYLES, field, messageOf } from './admin-styles.js';
import { FIRST_RUN_STYLES } from './mb-first-run.styles.js';
import { formField, type FormFieldOptions } from './form-field.js';
import { isDemoFolder, kioskLanguages, mergeSections, type CameraChoice } from './first-run-model.js';

/** Admin passphrases are at least this long (the daemon's policy). */
const MIN_PASSPHRASE = 10;

/** The commands that show the first-run code on the box: commands, the same in every language. */
const DOCTOR = 'moodbox doctor';
const DOCTOR_FROM_FOLDER = 'node dist/daemon/cli.js doctor';

/** A step after the first admin, as the daemon keeps it (`done`: the summary). */
type SetUpStep = NonNullable<FirstRunWizardView['step']>;
/** A step whose settings were saved rather than skipped. */
type SavedStep = FirstRunWizardView['saved'][number];
type Step = 'admin' | SetUpStep;
/** A line of the last screen: its message and the values it fills in. */
interface Saved {
  key: AdminKey;
  values?: Record<string, string>;
}
const STEPS: readonly Step[] = ['admin', 'music', 'camera', 'venue'];

/**
 * The first run of a box with no admin: one screen creates the first admin (with the first-run code
 * when this is not the box itself) and signs them in, then one screen each for the music folder,
 * the camera and the kind of place, each saved as it is left and each one skippable. Where it stands
 * is the daemon's (`/api/admin/first-run/wizard`): given `resume`, it goes on there, after a reload
 * or on another device, until finished. Fires `first-admin` with the new session, then `first-run-done`.
 *
 * @summary The first-run screens of the admin panel.
 */
@customElement('mb-first-run')
export class MbFirstRun extends LitElement {
  static override styles = [ADMIN_STYLES, FIRST_RUN_STYLES];

  @property({ attribute: false }) api!: AdminApi;
  /** This device is not the box itself: the first-run code is needed. */
  @property({ type: Boolean }) isCodeNeeded = false;
  /** Where the set-up after the first admin stands, to go on from (the admin is signed in); null: it begins with the admin. */
  @property({ attribute: false }) resume: FirstRunWizardView | null = null;

  @state() private _step: Step = 'admin';
  /** Reading the settings to go on where the set-up was left. */
  @state() private _isResuming = false;
  @state() private _error = '';
  @state() private _fieldErrors: Record<string, string> = {};
  @state() private _isBusy = false;
  @state() private _config: Record<string, Record<string, unknown>> | null = null;
  @state() private _camera: CameraChoice = 'device';
  /** The steps saved (not skipped), as the daemon keeps them: the last screen says what each set. */
  @state() private _savedSteps: SavedStep[] = [];
  /** Moodbox is restarting for the camera. */
  @state() private _isRestarting = false;
  /** Whether a setting saved (the camera's) takes effect only when Moodbox restarts. */
  @state() private _restartNeeded = false;
  @state() private _canRestart = false;
  /** The settings saved from the panel so far: each step's join them (a save replaces them all). */
  #overrides: Record<string, unknown> = {};
  /** The saved camera, when it is not on this machine now (a camera plugged in later): the daemon's words. */
  @state() private _cameraNote = '';
  /** The music folders the configuration file names (the demo's aside): kept as they are, wherever they lie. */
  @state() private _fileFolders: string[] = [];
  /** The bundled demo music's folder, which is not the owner's. */
  @state() private _demoFolder = '';

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    const step = this.resume?.step ?? null;
    if (changed.has('resume') && this.resume !== null && step !== null) void this.#resumeAt(step, this.resume.saved);
  }

  override render() {
    if (this._isResuming) return html`<main><p role="status">${t('admin.loading')}</p></main>`;
    switch (this._step) {
      case 'admin':
        return this.#renderAdmin();
      case 'music':
        return this.#renderMusic();
      case 'camera':
        return this.#renderCamera();
      case 'venue':
        return this.#renderVenue();
      case 'done':
        return this.#renderDone();
      default: {
        const never: never = this._step;
        return never;
      }
    }
  }

  #heading(title: string) {
    const index = STEPS.indexOf(this._step);
    return html`<p class="muted">${t('admin.firstRun.step', { step: index + 1, steps: STEPS.length })}</p>
      <h1 id="step-h" tabindex="-1">${title}</h1>`;
  }

  #renderAdmin() {
    return html`<main>
      <form aria-labelledby="step-h" novalidate @submit=${this.#createAdmin} @input=${this.#clearError}>
        ${this.#heading(t('admin.firstRun.adminTitle'))}
        <p>${t('admin.firstRun.adminIntro')}</p>
        ${this.#field(t('admin.firstRun.name'), 'name', { autocomplete: 'username' })}
        ${this.#field(t('admin.firstRun.passphrase', { min: MIN_PASSPHRASE }), 'passphrase', { type: 'password', autocomplete: 'new-password' })}
        ${this.#field(t('admin.firstRun.repeat'), 'repeat', { type: 'password', autocomplete: 'new-password' })}
        ${
          this.isCodeNeeded
            ? html`${this.#field(t('admin.firstRun.code'), 'code', { autocomplete: 'one-time-code' })}
                <p class="muted" id="code-help">
                  ${tWith('admin.firstRun.codeHelp', {
                    doctor: html`<code>${DOCTOR}</code>`,
                    node: html`<code>${DOCTOR_FROM_FOLDER}</code>`,
                  })}
                </p>`
            : nothing
        }
        ${this.#alert()}
        <div class="actions">
          <button type="submit" ?disabled=${this._isBusy}>
            ${this._isBusy ? t('admin.firstRun.creating') : t('admin.firstRun.create')}
          </button>
        </div>
      </form>
    </main>`;
  }

  #renderMusic() {
    const folders = (this._config?.['library']?.['folders'] as string[] | undefined) ?? [];
    const roots = (this._config?.['library']?.['panelRoots'] as string[] | undefined) ?? [];
    const own = folders.filter((f) => !isDemoFolder(f, this._demoFolder));
    // Issue 82: the demo songs play only where no folder of the owner's is configured.
    const isDemo = own.length === 0;
    return html`<main>
      <form aria-labelledby="step-h" novalidate @submit=${this.#saveMusic} @input=${this.#clearError}>
        ${this.#heading(t('admin.firstRun.musicTitle'))}
        <p>
          ${t('admin.firstRun.musicIntro')}
          ${isDemo ? t('admin.firstRun.musicUntilDemo') : t('admin.firstRun.musicUntilFolders', { folders: own.join(', ') })}
        </p>
        ${this.#field(t('admin.firstRun.folder'), 'folder', {
          autocomplete: 'off',
          value: own[0] ?? '',
          placeholder: roots[0] === undefined ? '' : `${roots[0]}/music`,
        })}
        <p class="muted">
          ${
            roots.length === 0
              ? nothing
              : this._fileFolders.length > 0
                ? t('admin.firstRun.insideOrFile', { roots: roots.join(', '), folders: this._fileFolders.join(', ') })
                : t('admin.firstRun.inside', { roots: roots.join(', ') })
          }
        </p>
        ${this.#alert()}
        <div class="actions">
          <button type="submit" ?disabled=${this._isBusy}>
            ${this._isBusy ? t('admin.firstRun.saving') : t('admin.firstRun.saveGoOn')}
          </button>
          <button type="button" class="secondary" @click=${() => this.#go('camera')}>
            ${isDemo ? t('admin.firstRun.skipDemo') : t('admin.firstRun.skip')}
          </button>
        </div>
      </form>
    </main>`;
  }

  #renderCamera() {
    const source = this.#text('camera', 'source', 'demo');
    const device = source === 'demo' ? '/dev/video0' : source;
    const choice = (value: CameraChoice, label: string) =>
      html`<label
        ><input type="radio" name="camera" value=${value} .checked=${this._camera === value} @change=${() => (this._camera = value)} />
        ${label}</label
      >`;
    return html`<main>
      <form aria-labelledby="step-h" novalidate @submit=${this.#saveCamera} @input=${this.#clearError}>
        ${this.#heading(t('admin.firstRun.cameraTitle'))}
        <p>${t('admin.firstRun.cameraIntro')}</p>
        <fieldset>
          <legend>${t('admin.firstRun.whichCamera')}</legend>
          ${choice('device', t('admin.firstRun.cameraDevice'))} ${choice('off', t('admin.firstRun.cameraOff'))}
          ${choice('demo', t('admin.firstRun.cameraDemo'))}
        </fieldset>
        ${this._camera === 'device' ? this.#field(t('admin.firstRun.device'), 'device', { autocomplete: 'off', value: device }) : nothing}
        ${this._camera === 'device' ? this.#cameraNote() : nothing} ${this.#alert()}
        <div class="actions">
          <button type="submit" ?disabled=${this._isBusy}>
            ${this._isBusy ? t('admin.firstRun.saving') : t('admin.firstRun.saveGoOn')}
          </button>
          <button type="button" class="secondary" @click=${() => this.#go('venue')}>${t('admin.firstRun.skip')}</button>
        </div>
      </form>
    </main>`;
  }

  #renderVenue() {
    const kind = this.#text('site', 'kind', 'business');
    const language = this.#text('site', 'language', 'auto');
    return html`<main>
      <form aria-labelledby="step-h" novalidate @submit=${this.#saveVenue}>
        ${this.#heading(t('admin.firstRun.venueTitle'))}
        <fieldset>
          <legend>${t('admin.firstRun.kind')}</legend>
          <label><input type="radio" name="kind" value="business" ?checked=${kind === 'business'} /> ${t('admin.firstRun.business')}</label>
          <label><input type="radio" name="kind" value="home" ?checked=${kind === 'home'} /> ${t('admin.firstRun.home')}</label>
        </fieldset>
        <p class="muted">${t('admin.firstRun.streamingHelp')}</p>
        <label
          >${t('admin.firstRun.kioskLanguage')}
          <select name="language">
            ${kioskLanguages().map(([code, name]) => html`<option value=${code} ?selected=${code === language}>${name}</option>`)}
          </select></label
        >
        ${this.#alert()}
        <div class="actions">
          <button type="submit" ?disabled=${this._isBusy}>
            ${this._isBusy ? t('admin.firstRun.saving') : t('admin.firstRun.saveFinish')}
          </button>
          <button type="button" class="secondary" @click=${() => this.#go('done')}>${t('admin.firstRun.skip')}</button>
        </div>
      </form>
    </main>`;
  }

  #renderDone() {
    const saved = this.#summary();
    return html`<main>
      <form aria-labelledby="step-h" @submit=${this.#finish}>
        <h1 id="step-h" tabindex="-1">${t('admin.firstRun.doneTitle')}</h1>
        ${
          saved.length === 0
            ? html`<p>${t('admin.firstRun.nothingChanged')}</p>`
            : html`<ul>
                ${saved.map((line) => html`<li>${t(line.key, line.values)}</li>`)}
              </ul>`
        }
        ${this._savedSteps.includes('camera') && this.#setting('camera', 'enabled') !== false ? this.#cameraNote() : nothing}
        ${this._restartNeeded ? html`<p>${t('admin.firstRun.cameraRestart')}</p>` : nothing}
        ${this._restartNeeded && !this._canRestart ? html`<p data-restart-by-hand>${t('admin.settings.restartByHand')}</p>` : nothing}
        ${this._isRestarting ? html`<p role="status">${t('admin.firstRun.restarting')}</p>` : nothing} ${this.#alert()}
        <div class="actions">
          ${
            this._restartNeeded && this._canRestart
              ? html`<button type="button" ?disabled=${this._isBusy} @click=${this.#restart}>${t('admin.firstRun.restart')}</button>`
              : nothing
          }
          <button type="submit" class=${this._restartNeeded && this._canRestart ? 'secondary' : ''}>
            ${t('admin.firstRun.toDashboard')}
          </button>
        </div>
      </form>
    </main>`;
  }

  /** A text setting as saved (a camera waiting for a restart is in the saved settings only), or `fallback`. */
  #text(section: string, key: string, fallback: string): string {
    const value = this.#setting(section, key);
    return typeof value === 'string' ? value : fallback;
  }

  /** A setting as saved from the panel, else as in force. */
  #setting(section: string, key: string): unknown {
    const saved = this.#overrides[section];
    if (typeof saved === 'object' && saved !== null && key in saved) return (saved as Record<string, unknown>)[key];
    return this._config?.[section]?.[key];
  }

  /** What each saved step set, as the settings say now (said in the language of the moment). */
  #summary(): Saved[] {
    return this._savedSteps.map((step): Saved => {
      switch (step) {
        case 'music': {
          const folders = this.#setting('library', 'folders');
          const folder = Array.isArray(folders) ? folders.map(String).join(', ') : '';
          return { key: 'admin.firstRun.savedMusic', values: { folder } };
        }
        case 'camera': {
          if (this.#setting('camera', 'enabled') === false) return { key: 'admin.firstRun.savedNoCamera' };
          const device = this.#text('camera', 'source', 'demo');
          return device === 'demo' ? { key: 'admin.firstRun.savedDemoCamera' } : { key: 'admin.firstRun.savedCamera', values: { device } };
        }
        case 'venue': {
          const kind = this.#text('site', 'kind', 'business');
          const language = this.#text('site', 'language', 'auto');
          return language === 'auto'
            ? { key: 'admin.firstRun.savedVenueAuto', values: { kind } }
            : {
                key: 'admin.firstRun.savedVenue',
                values: { kind, language: kioskLanguages().find(([c]) => c === language)?.[1] ?? language },
              };
        }
        default: {
          const never: never = step;
          return never;
        }
      }
    });
  }

  /** The camera saved or in force is not on this machine now: said, and saving it is still allowed (a camera plugged in later). */
  #cameraNote() {
    return this._cameraNote === ''
      ? nothing
      : html`<p class="warning" data-note>${this._cameraNote} ${t('admin.settings.savedAnyway')}</p>`;
  }

  /** The daemon's notes of the saved settings: the camera's, in plain words. */
  #readNotes(notes: ReadonlyArray<{ path: string; problem: string }>): void {
    const camera = notes.find((note) => note.path === 'camera.source');
    this._cameraNote =
      camera === undefined
        ? ''
        : fieldProblems(camera.problem)
            .map((p) => p.message)
            .join(' ');
  }

  #alert() {
    return this._error === '' ? nothing : html`<p class="error" role="alert">${this._error}</p>`;
  }

  /** A required text field with its problem beside it (the form's own words: the forms are `novalidate`). */
  #field(label: string, name: string, options: FormFieldOptions) {
    return formField(label, name, this._fieldErrors[name] ?? '', options);
  }

  readonly #clearError = (): void => {
    if (this._error !== '') this._error = '';
    if (Object.keys(this._fieldErrors).length > 0) this._fieldErrors = {};
  };

  /** Moves the set-up to `step` with `saved` (the daemon keeps it, for a reload or another device), then shows it. */
  async #go(step: SetUpStep, saved: SavedStep[] = this._savedSteps): Promise<void> {
    try {
      await this.api.moveFirstRunWizard({ step, saved });
    } catch (err) {
      this._error = messageOf(err);
      return;
    }
    this._savedSteps = saved;
    await this.#show(step);
  }

  async #show(step: SetUpStep): Promise<void> {
    this._error = '';
    this._fieldErrors = {};
    // Known before the last step shows: where nothing starts Moodbox again, it says how to restart by hand.
    if (step === 'done') this._canRestart = await this.api.hasOperation('restartDaemon').catch(() => false);
    this._step = step;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#step-h')?.focus();
  }

  /** Reads the settings, then shows `step`, where the set-up was left. */
  async #resumeAt(step: SetUpStep, saved: readonly SavedStep[]): Promise<void> {
    this._isResuming = true;
    try {
      await this.#readSettings();
      this._savedSteps = [...saved];
      // A camera saved but not yet in force waits for a restart, as it did when it was saved.
      const camera = this.#overrides['camera'];
      const running = this._config?.['camera'] ?? {};
      this._restartNeeded =
        typeof camera === 'object' && camera !== null && Object.entries(camera).some(([key, value]) => running[key] !== value);
    } catch (err) {
      this._error = messageOf(err);
    } finally {
      this._isResuming = false;
    }
    await this.#show(step);
  }

  /** The settings in force and saved, and the demo music's folder, which the steps start from. */
  async #readSettings(): Promise<void> {
    const [settings, schema] = await Promise.all([this.api.settings(), this.api.configSchema()]);
    this._config = settings.config as Record<string, Record<string, unknown>>;
    this.#overrides = settings.overrides;
    this.#readNotes(settings.notes);
    const demo = String(schema.properties?.['library']?.properties?.['folders']?.demoFolder ?? '');
    const fileFolders = (settings.file['library'] as { folders?: unknown } | undefined)?.folders;
    this._fileFolders = Array.isArray(fileFolders) ? fileFolders.map(String).filter((f) => !isDemoFolder(f, demo)) : [];
    this._demoFolder = demo;
    this._camera = this._config['camera']?.['enabled'] === false ? 'off' : this.#setting('camera', 'source') === 'demo' ? 'demo' : 'device';
  }

  readonly #createAdmin = async (event: Event): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const name = field(data, 'name').trim();
    const passphrase = field(data, 'passphrase');
    const problems: Record<string, string> = {};
    if (name === '') problems['name'] = t('admin.firstRun.typeName');
    if (passphrase.length < MIN_PASSPHRASE) {
      problems['passphrase'] = t('admin.firstRun.tooShort', { min: MIN_PASSPHRASE, length: passphrase.length });
    } else if (passphrase !== field(data, 'repeat')) {
      problems['repeat'] = t('admin.firstRun.differ');
    }
    if (this.isCodeNeeded && field(data, 'code').trim() === '') problems['code'] = t('admin.firstRun.typeCode');
    this._fieldErrors = problems;
    if (Object.keys(problems).length > 0) return;
    this._isBusy = true;
    try {
      const code = this.isCodeNeeded ? { code: field(data, 'code') } : {};
      const session: AdminSession = await this.api.createFirstAdmin({ name, passphrase, ...code });
      this.dispatchEvent(new CustomEvent('first-admin', { detail: session, bubbles: true, composed: true }));
      await this.#readSettings();
      // The daemon began the set-up with the admin: the music is its first step.
      await this.#show('music');
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        // Someone else was quicker: this box has its admin now.
        this._error = t('admin.firstRun.hasAdmin');
      } else {
        this._error = messageOf(err);
      }
    } finally {
      this._isBusy = false;
    }
  };

  readonly #saveMusic = async (event: Event): Promise<void> => {
    event.preventDefault();
    const folder = field(new FormData(event.target as HTMLFormElement), 'folder').trim();
    if (folder === '') {
      this._fieldErrors = { folder: t('admin.firstRun.typeFolder') };
      return;
    }
    // Issue 82: the folders the configuration file names stay beside the one typed, as the step says.
    const folders = [...new Set([...this._fileFolders, folder])];
    await this.#save({ library: { folders } }, 'music', 'camera', 'folder');
  };

  readonly #saveCamera = async (event: Event): Promise<void> => {
    event.preventDefault();
    const device = field(new FormData(event.target as HTMLFormElement), 'device').trim();
    if (this._camera === 'device' && device === '') {
      this._fieldErrors = { device: t('admin.firstRun.typeDevice') };
      return;
    }
    const overrides =
      this._camera === 'off'
        ? { camera: { enabled: false } }
        : this._camera === 'demo'
          ? { camera: { enabled: true, source: 'demo' } }
          : { camera: { enabled: true, source: device } };
    await this.#save(overrides, 'camera', 'venue', 'device');
  };

  readonly #saveVenue = async (event: Event): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const kind = field(data, 'kind') || 'business';
    const language = field(data, 'language') || 'auto';
    await this.#save({ site: { kind, language } }, 'venue', 'done');
  };

  /** Saves one step's settings; a refusal is shown beside `fieldName` (or above the buttons) and the step stays. */
  async #save(overrides: Record<string, unknown>, step: SavedStep, next: SetUpStep, fieldName?: string): Promise<void> {
    this._isBusy = true;
    try {
      const merged = mergeSections(this.#overrides, overrides);
      const saved = await this.api.saveSettings(merged);
      this.#overrides = merged;
      this._config = saved.config as Record<string, Record<string, unknown>>;
      this.#readNotes(saved.notes);
      if (saved.restartRequired.some((path) => path.startsWith('camera.'))) this._restartNeeded = true;
      await this.#go(next, [...this._savedSteps.filter((s) => s !== step), step]);
    } catch (err) {
      const message = fieldProblems(messageOf(err))
        .map((p) => p.message)
        .join(' ');
      if (fieldName === undefined) this._error = message;
      else this._fieldErrors = { [fieldName]: message };
    } finally {
      this._isBusy = false;
    }
  }

  readonly #restart = async (): Promise<void> => {
    this._isBusy = true;
    try {
      await this.api.restartDaemon();
      this._error = '';
      this._isRestarting = true;
      await this.#backAfterRestart();
      await this.#finish();
    } catch (err) {
      this._error = messageOf(err);
    } finally {
      this._isBusy = false;
    }
  };

  /** Waits until the daemon answers again after a restart (about 15 s at most on a Pi), then returns; gives up after a minute. */
  async #backAfterRestart(): Promise<void> {
    // It answers before it stops: wait for it to go, then to come back.
    let hasGone = false;
    for (let tries = 0; tries < 60; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const isUp = await fetch('/api/health', { cache: 'no-store' }).then(
        (res) => res.ok,
        () => false,
      );
      if (!isUp) hasGone = true;
      else if (hasGone) return;
    }
  }

  /** Ends the set-up (the daemon forgets it: a reload opens the dashboard), then leaves for the dashboard. */
  readonly #finish = async (event?: Event): Promise<void> => {
    event?.preventDefault();
    try {
      await this.api.moveFirstRunWizard({ step: null, saved: [] });
    } catch (err) {
      this._error = messageOf(err);
      return;
    }
    this.dispatchEvent(new CustomEvent('first-run-done', { bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-first-run': MbFirstRun;
  }
}
