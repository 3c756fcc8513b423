import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, AdminSession } from '../data/admin-api.js';
import { ApiError } from '../data/api-client.js';
import { fieldProblems } from '../data/field-problems.js';
import { ADMIN_STYLES, field, messageOf } from './admin-styles.js';
import { FIRST_RUN_STYLES } from './mb-first-run.styles.js';
import { formField, type FormFieldOptions } from './form-field.js';
import { KIOSK_LANGUAGES, mergeSections, type CameraChoice } from './first-run-model.js';

/** Admin passphrases are at least this long (the daemon's policy). */
const MIN_PASSPHRASE = 10;

type Step = 'admin' | 'music' | 'camera' | 'venue' | 'done';
const STEPS: readonly Step[] = ['admin', 'music', 'camera', 'venue'];

/**
 * The first run of a box with no admin: one screen creates the first admin (with the first-run code
 * when this is not the box itself) and signs them in, then one screen each for the music folder,
 * the camera and the kind of place, each saved as it is left and each one skippable. Fires
 * `first-admin` with the new session, then `first-run-done`.
 *
 * @summary The first-run screens of the admin panel.
 */
@customElement('mb-first-run')
export class MbFirstRun extends LitElement {
  static override styles = [ADMIN_STYLES, FIRST_RUN_STYLES];

  @property({ attribute: false }) api!: AdminApi;
  /** This device is not the box itself: the first-run code is needed. */
  @property({ type: Boolean }) isCodeNeeded = false;

  @state() private _step: Step = 'admin';
  @state() private _error = '';
  @state() private _fieldErrors: Record<string, string> = {};
  @state() private _isBusy = false;
  @state() private _config: Record<string, Record<string, unknown>> | null = null;
  @state() private _camera: CameraChoice = 'device';
  /** What each step saved, in words, for the last screen. */
  @state() private _saved: string[] = [];
  /** The settings saved that take effect only when Moodbox restarts. */
  @state() private _restartNeeded: string[] = [];
  @state() private _canRestart = false;
  /** The settings saved from the panel so far: each step's join them (a save replaces them all). */
  #overrides: Record<string, unknown> = {};
  /** The bundled demo music's folder, which is not the owner's. */
  @state() private _demoFolder = '';

  override render() {
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
    return html`<p class="muted">Setting up Moodbox: step ${index + 1} of ${STEPS.length}</p>
      <h1 id="step-h" tabindex="-1">${title}</h1>`;
  }

  #renderAdmin() {
    return html`<main>
      <form aria-labelledby="step-h" novalidate @submit=${this.#createAdmin} @input=${this.#clearError}>
        ${this.#heading('Welcome: create the first admin')}
        <p>This box has no admin yet. The admin runs Moodbox from this panel: music, people, guests and settings.</p>
        ${this.#field('Your name', 'name', { autocomplete: 'username' })}
        ${this.#field(`Passphrase (at least ${MIN_PASSPHRASE} characters)`, 'passphrase', { type: 'password', autocomplete: 'new-password' })}
        ${this.#field('Repeat the passphrase', 'repeat', { type: 'password', autocomplete: 'new-password' })}
        ${
          this.isCodeNeeded
            ? html`${this.#field('First-run code', 'code', { autocomplete: 'one-time-code' })}
                <p class="muted" id="code-help">
                  You are not at the box itself, so Moodbox asks for the code it wrote in its log when it started. On the box, run
                  <code>moodbox doctor</code> (<code>node dist/daemon/cli.js doctor</code> in Moodbox's folder) to see it, or open this page
                  on the box's own screen, where no code is needed.
                </p>`
            : nothing
        }
        ${this.#alert()}
        <div class="actions">
          <button type="submit" ?disabled=${this._isBusy}>${this._isBusy ? 'Creating…' : 'Create the admin and sign in'}</button>
        </div>
      </form>
    </main>`;
  }

  #renderMusic() {
    const folders = (this._config?.['library']?.['folders'] as string[] | undefined) ?? [];
    const roots = (this._config?.['library']?.['panelRoots'] as string[] | undefined) ?? [];
    const own = folders.find((f) => f !== this._demoFolder) ?? '';
    return html`<main>
      <form aria-labelledby="step-h" novalidate @submit=${this.#saveMusic} @input=${this.#clearError}>
        ${this.#heading('Where is your music?')}
        <p>
          A folder of music files on this box: MP3, FLAC, Ogg, M4A and more. Moodbox reads it at once and listens to every song to know its
          mood. Until then, it plays its demo songs; they leave once your folder is in.
        </p>
        ${this.#field('Music folder', 'folder', { autocomplete: 'off', value: own, placeholder: roots[0] === undefined ? '' : `${roots[0]}/music` })}
        <p class="muted">${roots.length > 0 ? `It must be inside ${roots.join(', ')}: a USB stick is usually under /media.` : nothing}</p>
        ${this.#alert()}
        <div class="actions">
          <button type="submit" ?disabled=${this._isBusy}>${this._isBusy ? 'Saving…' : 'Save and go on'}</button>
          <button type="button" class="secondary" @click=${() => this.#go('camera')}>Skip: keep the demo songs for now</button>
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
        ${this.#heading('The camera')}
        <p>
          Moodbox reads the room's mood from the faces a camera sees. It keeps no pictures: only how many faces and what they show. Without
          a camera it plays by the day plan and what people choose.
        </p>
        <fieldset>
          <legend>Which camera</legend>
          ${choice('device', 'A camera plugged into this box')} ${choice('off', 'No camera')}
          ${choice('demo', 'The demo clip (to try Moodbox without a camera)')}
        </fieldset>
        ${this._camera === 'device' ? this.#field('Camera device', 'device', { autocomplete: 'off', value: device }) : nothing}
        ${this.#alert()}
        <div class="actions">
          <button type="submit" ?disabled=${this._isBusy}>${this._isBusy ? 'Saving…' : 'Save and go on'}</button>
          <button type="button" class="secondary" @click=${() => this.#go('venue')}>Skip</button>
        </div>
      </form>
    </main>`;
  }

  #renderVenue() {
    const kind = this.#text('site', 'kind', 'business');
    const language = this.#text('site', 'language', 'auto');
    return html`<main>
      <form aria-labelledby="step-h" novalidate @submit=${this.#saveVenue}>
        ${this.#heading('Where does it play?')}
        <fieldset>
          <legend>The kind of place</legend>
          <label
            ><input type="radio" name="kind" value="business" ?checked=${kind === 'business'} /> A café, a shop, a lobby: the music on this
            box only</label
          >
          <label
            ><input type="radio" name="kind" value="home" ?checked=${kind === 'home'} /> A home: Spotify and YouTube may play too</label
          >
        </fieldset>
        <p class="muted">Streaming services license their music for homes only, so a business plays its own music.</p>
        <label
          >The kiosk's language
          <select name="language">
            ${KIOSK_LANGUAGES.map(([code, name]) => html`<option value=${code} ?selected=${code === language}>${name}</option>`)}
          </select></label
        >
        ${this.#alert()}
        <div class="actions">
          <button type="submit" ?disabled=${this._isBusy}>${this._isBusy ? 'Saving…' : 'Save and finish'}</button>
          <button type="button" class="secondary" @click=${() => this.#go('done')}>Skip</button>
        </div>
      </form>
    </main>`;
  }

  #renderDone() {
    return html`<main>
      <form aria-labelledby="step-h" @submit=${this.#finish}>
        <h1 id="step-h" tabindex="-1">Moodbox is set up</h1>
        ${
          this._saved.length === 0
            ? html`<p>Nothing was changed: every setting is in Settings, whenever you need it.</p>`
            : html`<ul>
                ${this._saved.map((line) => html`<li>${line}</li>`)}
              </ul>`
        }
        ${
          this._restartNeeded.length > 0
            ? html`<p>
                ${this._restartNeeded.join(' and ')} ${this._restartNeeded.length === 1 ? 'changes' : 'change'} when Moodbox restarts.
              </p>`
            : nothing
        }
        ${this.#alert()}
        <div class="actions">
          ${
            this._restartNeeded.length > 0 && this._canRestart
              ? html`<button type="button" ?disabled=${this._isBusy} @click=${this.#restart}>Restart Moodbox now</button>`
              : nothing
          }
          <button type="submit" class=${this._restartNeeded.length > 0 && this._canRestart ? 'secondary' : ''}>Go to the dashboard</button>
        </div>
      </form>
    </main>`;
  }

  /** A text setting of the configuration in force, or `fallback`. */
  #text(section: string, key: string, fallback: string): string {
    const value = this._config?.[section]?.[key];
    return typeof value === 'string' ? value : fallback;
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

  async #go(step: Step): Promise<void> {
    this._error = '';
    this._fieldErrors = {};
    this._step = step;
    if (step === 'done') this._canRestart = await this.api.hasOperation('restartDaemon').catch(() => false);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#step-h')?.focus();
  }

  readonly #createAdmin = async (event: Event): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const name = field(data, 'name').trim();
    const passphrase = field(data, 'passphrase');
    const problems: Record<string, string> = {};
    if (name === '') problems['name'] = 'Type your name.';
    if (passphrase.length < MIN_PASSPHRASE) {
      problems['passphrase'] = `Use at least ${MIN_PASSPHRASE} characters (this one has ${passphrase.length}).`;
    } else if (passphrase !== field(data, 'repeat')) {
      problems['repeat'] = 'The two passphrases differ. Type the same one twice.';
    }
    if (this.isCodeNeeded && field(data, 'code').trim() === '') problems['code'] = 'Type the first-run code.';
    this._fieldErrors = problems;
    if (Object.keys(problems).length > 0) return;
    this._isBusy = true;
    try {
      const code = this.isCodeNeeded ? { code: field(data, 'code') } : {};
      const session: AdminSession = await this.api.createFirstAdmin({ name, passphrase, ...code });
      this.dispatchEvent(new CustomEvent('first-admin', { detail: session, bubbles: true, composed: true }));
      const [settings, schema] = await Promise.all([this.api.settings(), this.api.configSchema()]);
      this._config = settings.config as Record<string, Record<string, unknown>>;
      this.#overrides = settings.overrides;
      this._demoFolder = String(schema.properties?.['library']?.properties?.['folders']?.demoFolder ?? '');
      this._camera =
        this._config['camera']?.['enabled'] === false ? 'off' : this._config['camera']?.['source'] === 'demo' ? 'demo' : 'device';
      await this.#go('music');
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        // Someone else was quicker: this box has its admin now.
        this._error = 'This box has an admin already. Reload the page and sign in.';
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
      this._fieldErrors = { folder: 'Type the folder of your music, or skip this step.' };
      return;
    }
    await this.#save({ library: { folders: [folder] } }, `Music from ${folder}: Moodbox is reading it now.`, 'camera', 'folder');
  };

  readonly #saveCamera = async (event: Event): Promise<void> => {
    event.preventDefault();
    const device = field(new FormData(event.target as HTMLFormElement), 'device').trim();
    if (this._camera === 'device' && device === '') {
      this._fieldErrors = { device: 'Type the camera’s device, such as /dev/video0.' };
      return;
    }
    const [overrides, words] =
      this._camera === 'off'
        ? [{ camera: { enabled: false } }, 'No camera: the music follows the day plan and what people choose.']
        : this._camera === 'demo'
          ? [{ camera: { enabled: true, source: 'demo' } }, 'The camera: the demo clip.']
          : [{ camera: { enabled: true, source: device } }, `The camera: ${device}.`];
    await this.#save(overrides, words, 'venue', 'device');
  };

  readonly #saveVenue = async (event: Event): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const kind = field(data, 'kind') || 'business';
    const language = field(data, 'language') || 'auto';
    const speaks = language === 'auto' ? 'its browser’s language' : (KIOSK_LANGUAGES.find(([c]) => c === language)?.[1] ?? language);
    const words = `${kind === 'home' ? 'A home' : 'A business'}; the kiosk speaks ${speaks}.`;
    await this.#save({ site: { kind, language } }, words, 'done');
  };

  /** Saves one step's settings; a refusal is shown beside `fieldName` (or above the buttons) and the step stays. */
  async #save(overrides: Record<string, unknown>, words: string, next: Step, fieldName?: string): Promise<void> {
    this._isBusy = true;
    try {
      const merged = mergeSections(this.#overrides, overrides);
      const saved = await this.api.saveSettings(merged);
      this.#overrides = merged;
      this._config = saved.config as Record<string, Record<string, unknown>>;
      this._saved = [...this._saved, words];
      if (saved.restartRequired.some((path) => path.startsWith('camera.')))
        this._restartNeeded = [...new Set([...this._restartNeeded, 'The camera'])];
      await this.#go(next);
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
      this._saved = [...this._saved, 'Moodbox is restarting: the dashboard opens once it is back.'];
      await this.#backAfterRestart();
      this.#finish();
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

  readonly #finish = (event?: Event): void => {
    event?.preventDefault();
    this.dispatchEvent(new CustomEvent('first-run-done', { bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-first-run': MbFirstRun;
  }
}
