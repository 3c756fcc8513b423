import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { AdminApi, type AdminSession, type ConfigSchemaNode, type FirstRunWizardView } from '../data/admin-api.js';
import { ApiClient, ApiError } from '../data/api-client.js';
import { LANGUAGES, followLanguage } from '../i18n/i18n.js';
import { adminLanguage, i18n, t, tWith, type AdminKey } from './admin-i18n.js';
import { ADMIN_STYLES, field, messageOf } from './admin-styles.js';
import { ADMIN_PANEL_STYLES } from './mb-admin.styles.js';
import { formField, type FormFieldOptions } from './form-field.js';
import './mb-admin-audit.js';
import './mb-admin-backups.js';
import './mb-admin-camera.js';
import './mb-admin-dashboard.js';
import './mb-admin-health.js';
import './mb-admin-history.js';
import './mb-admin-library.js';
import './mb-admin-model.js';
import './mb-admin-settings.js';
import './mb-admin-stations.js';
import './mb-admin-blocks.js';
import './mb-admin-users.js';
import './mb-first-run.js';
import './mb-guest-requests.js';
import './mb-staff-controls.js';
import './mb-waiting-badge.js';
import { SOURCE_PAGES } from './source-pages.js';
import { setPanelRole } from './panel-role.js';

/** Admin passphrases are at least this long (the daemon's policy). */
const MIN_PASSPHRASE = 10;
/** `moodbox` on an installed box: the command `setup.sh install` puts on the PATH, which runs as the service with its settings (docs/install-pi.md). */
const SERVICE_CLI = 'sudo moodbox';
/** The commands that add an admin and give one a new passphrase, shown where no one can sign in. */
const ADD_ADMIN = `${SERVICE_CLI} user add NAME --role admin`;
const NEW_PASSPHRASE = `${SERVICE_CLI} user pin NAME`;
/** `moodbox` as the demo runs it: from Moodbox's folder, on the demo's own data (README, "What you see next"). */
const DEMO_CLI = 'node dist/daemon/cli.js';
const DEMO_ADD_ADMIN = `${DEMO_CLI} user add NAME --role admin`;
const DEMO_NEW_PASSPHRASE = `${DEMO_CLI} user pin NAME`;
/** The demo's admin and its first passphrase (`people/demo-admin.ts`), which the first sign-in replaces. */
const DEMO_ADMIN = { name: 'admin', passphrase: 'moodbox-demo-admin' } as const;

type NavId<K> = K extends `admin.nav.${infer V}` ? V : never;
/** The panel's own sections, in the menu's order; each is named by `admin.nav.<id>`. */
const VIEWS = [
  'dashboard',
  'guests',
  'library',
  'stations',
  'blocked',
  'users',
  'history',
  'settings',
  'backups',
  'camera',
  'model',
  'audit',
] as const satisfies ReadonlyArray<NavId<AdminKey>>;
type View = (typeof VIEWS)[number];
/**
 * The sections staff use, in the menu's order: the music's controls (the staff bar and the
 * dashboard), guests' requests, blocks and the history; the rest is the owner's (an admin's), and
 * the daemon refuses it to staff.
 */
const STAFF_VIEWS: ReadonlySet<Shown> = new Set<View>(['dashboard', 'guests', 'blocked', 'history']);
/** The section after which the music sources' own pages (`source-pages.ts`) come in the menu. */
const SOURCES_AFTER: View = 'backups';
/** A section shown: one of the panel's own (`View`), or a music source's page by its source's name. */
type Shown = string;

function viewFromHash(): Shown {
  // `#settings/vision.preview` opens Settings at that setting.
  const name = window.location.hash.replace(/^#\/?/, '').split('/')[0];
  return VIEWS.find((id) => id === name) ?? SOURCE_PAGES.find((page) => page.view === name)?.view ?? 'dashboard';
}

/** The configuration's `site.kind` (`business` until it says otherwise). */
function siteKindOf(config: Record<string, unknown>): string {
  const site = config['site'];
  const kind = typeof site === 'object' && site !== null ? (site as Record<string, unknown>)['kind'] : undefined;
  return typeof kind === 'string' ? kind : 'business';
}

/** The `music.source` settings that only a home may choose, as the configuration's schema marks them. */
function homesOnlySources(schema: ConfigSchemaNode): Set<unknown> {
  const choices = schema.properties?.['music']?.properties?.['source']?.anyOf ?? [];
  return new Set(choices.filter((choice) => choice.homesOnly === true).map((choice) => (choice as { const?: unknown }).const));
}

/**
 * The admin panel at /admin: sign-in, a new passphrase when the account must choose one (the
 * daemon refuses everything else until then), then a navigation (plain links, so the keyboard and
 * the browser's history work) and one panel at a time.
 *
 * @summary The admin panel.
 */
@customElement('mb-admin')
export class MbAdmin extends LitElement {
  static override styles = [ADMIN_STYLES, ADMIN_PANEL_STYLES];

  @state() private _session: AdminSession | null = null;
  @state() private _isChecking = true;
  @state() private _error = '';
  /** What is wrong with a field of the sign-in or new-passphrase form, by the field's name, shown beside it. */
  @state() private _fieldErrors: Record<string, string> = {};
  @state() private _isBusy = false;
  @state() private _view: Shown = viewFromHash();
  /** Whether the sections are shown on a narrow screen, where they sit behind the menu button. */
  @state() private _isMenuOpen = false;
  /** `site.kind` of the configuration in force, once read: the sections offered depend on it. */
  @state() private _siteKind: string | null = null;
  /**
   * The music sources whose pages this box offers, once read: a business none that only a home may
   * choose (a streaming service's terms forbid playing it in public; its page still says why, by its address).
   */
  @state() private _offeredSources: ReadonlySet<string> | null = null;
  /** The daemon runs in demo mode (its live state says so): the sign-in shows the demo's admin and the demo's own commands. */
  @state() private _isDemo = false;
  /**
   * While the box has no admin, and until its first admin has gone through the set-up: whether this
   * device needs the code, and where the set-up stands once the admin is made (the daemon keeps it).
   */
  @state() private _firstRun: { isCodeNeeded: boolean; resume: FirstRunWizardView | null } | null = null;
  readonly #api = new AdminApi();
  readonly #live = new ApiClient();
  readonly #onHash = (): void => {
    this._view = viewFromHash();
    this._isMenuOpen = false;
  };
  /** Times are the box's: its zone comes with the state. */
  readonly #onLive = (): void => {
    i18n.useTimeZone(this.#live.snapshot.state?.timeZone);
    const demo = this.#live.snapshot.state?.demo;
    if (demo !== undefined) this._isDemo = demo;
  };
  readonly #onSignedOut = (): void => {
    this._session = null;
    this._error = t('admin.signIn.sessionEnded');
  };

  constructor() {
    super();
    followLanguage(this, i18n);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.#onHash);
    this.#api.addEventListener('signed-out', this.#onSignedOut);
    this.#live.addEventListener('change', this.#onLive);
    this.#live.connect();
    void this.#check();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.#onHash);
    this.#api.removeEventListener('signed-out', this.#onSignedOut);
    this.#live.removeEventListener('change', this.#onLive);
    this.#live.close();
    super.disconnectedCallback();
  }

  async #check(): Promise<void> {
    try {
      this._session = await this.#api.session();
      await i18n.use(adminLanguage(this._session?.user.language ?? null));
      if (this._session === null) {
        const firstRun = await this.#api.firstRun();
        if (firstRun.isNeeded) this._firstRun = { isCodeNeeded: firstRun.isCodeNeeded, resume: null };
      } else {
        await this.#resumeSetUp();
      }
    } catch (err) {
      this._error = messageOf(err);
    } finally {
      this._isChecking = false;
    }
  }

  /** Goes on with the set-up after the first admin where it was left, on any device, until it is finished (issue 82). */
  async #resumeSetUp(): Promise<void> {
    if (this._session === null || this._session.user.mustChangePin || this.#isStaff()) return;
    const wizard = await this.#api.firstRunWizard();
    if (wizard.step !== null) this._firstRun = { isCodeNeeded: false, resume: wizard };
  }

  /** The language kept with this account, or the browser's (`auto`); the panel speaks it at once. */
  readonly #chooseLanguage = async (event: Event): Promise<void> => {
    const language = (event.target as HTMLSelectElement).value;
    try {
      this._session = await this.#api.setLanguage(language);
      await i18n.use(adminLanguage(this._session.user.language));
    } catch (err) {
      this._error = messageOf(err);
    }
  };

  #renderLanguageSelect(session: AdminSession) {
    const chosen = session.user.language ?? 'auto';
    return html`<select class="language" aria-label=${t('admin.languageLabel')} @change=${this.#chooseLanguage}>
      <option value="auto" ?selected=${chosen === 'auto'}>${t('admin.browserLanguage')}</option>
      ${Object.entries(LANGUAGES).map(
        ([code, name]) => html`<option value=${code} lang=${code} ?selected=${chosen === code}>${name}</option>`,
      )}
    </select>`;
  }

  /** The pages show the account signed in what it may use: its role is known before they render. */
  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('_session') && this._session !== null) setPanelRole(this._session.user.role);
  }

  protected override updated(changed: Map<string, unknown>): void {
    const session = this._session;
    if (changed.has('_session') && session !== null && !this.#isStaff() && !session.user.mustChangePin && this._siteKind === null) {
      void this.#readSite();
    }
  }

  /** Which sections this box offers depends on where it plays; until read, the sources' pages stay out of the menu. */
  async #readSite(): Promise<void> {
    try {
      const [settings, schema] = await Promise.all([this.#api.settings(), this.#api.configSchema()]);
      this._siteKind = siteKindOf(settings.config);
      const homesOnly = this._siteKind === 'home' ? new Set() : homesOnlySources(schema);
      this._offeredSources = new Set(SOURCE_PAGES.map((page) => page.view).filter((view) => !homesOnly.has(view)));
    } catch {
      // The menu leaves them out; their pages say why when opened by address.
    }
  }

  /** The menu's sections: the panel's own, with the pages of the sources this box may choose after Backups (and the one shown); staff's alone for staff. */
  #menu(): Array<{ id: Shown; title: string }> {
    const pages = SOURCE_PAGES.filter((page) => this._offeredSources?.has(page.view) === true || this._view === page.view);
    const views = this.#isStaff() ? VIEWS.filter((id) => STAFF_VIEWS.has(id)) : VIEWS;
    return views.flatMap((id) => [
      { id, title: t(`admin.nav.${id}`) },
      ...(id === SOURCES_AFTER ? pages.map((page) => ({ id: page.view, title: page.title() })) : []),
    ]);
  }

  /** Whether the account signed in is staff: the music's controls and a shift's sections, nothing of the owner's. */
  #isStaff(): boolean {
    return this._session?.user.role === 'staff';
  }

  override render() {
    if (this._isChecking) return html`<main><p role="status">${t('admin.loading')}</p></main>`;
    if (this._firstRun !== null) {
      return html`<mb-first-run
        .api=${this.#api}
        ?isCodeNeeded=${this._firstRun.isCodeNeeded}
        .resume=${this._firstRun.resume}
        @first-admin=${(e: CustomEvent<AdminSession>) => {
          this._session = e.detail;
          this.#relink();
        }}
        @first-run-done=${() => (this._firstRun = null)}
      ></mb-first-run>`;
    }
    if (this._session === null) return this.#renderSignIn();
    if (this._session.user.mustChangePin) return this.#renderPassphraseChange(this._session.user.name);
    const who = tWith('admin.signedInAs', { name: html`<strong>${this._session.user.name}</strong>` });
    // The skip to the content is a button in the header: a link's #main would name a target outside the page's shadow root.
    return html`<header>
        <button type="button" class="skip" @click=${this.#skip}>${t('admin.skip')}</button>
        <button
          class="menu"
          aria-expanded=${this._isMenuOpen ? 'true' : 'false'}
          aria-controls="sections"
          @click=${() => (this._isMenuOpen = !this._isMenuOpen)}
        >
          <svg width="18" height="14" viewBox="0 0 18 14" aria-hidden="true">
            <path d="M0 1h18M0 7h18M0 13h18" stroke="currentColor" stroke-width="2" />
          </svg>
          ${t('admin.menu')}<mb-waiting-badge .live=${this.#live}></mb-waiting-badge>
        </button>
        <h1>${t('admin.title')}</h1>
        <span class="who">${who}</span>
        ${this.#renderLanguageSelect(this._session)}
        <button class="secondary signout" @click=${this.#signOut}>${t('admin.signOut')}</button>
      </header>
      <nav aria-label=${t('admin.sectionsLabel')} id="sections" class=${this._isMenuOpen ? 'open' : ''}>
        <ul>
          ${this.#menu().map(
            ({ id, title }) =>
              html`<li>
                <a href="#${id}" aria-current=${this._view === id ? 'page' : nothing} @click=${this.#closeMenu}
                  >${title}${id === 'guests' ? html`<mb-waiting-badge .live=${this.#live}></mb-waiting-badge>` : nothing}</a
                >
              </li>`,
          )}
          <li class="who">${who} ${this.#renderLanguageSelect(this._session)}</li>
        </ul>
      </nav>
      ${
        this._view === 'dashboard'
          ? nothing
          : html`<mb-staff-controls class="staff-bar" compact .api=${this.#api} .live=${this.#live}></mb-staff-controls>`
      }
      <main id="main" tabindex="-1">${this.#renderView()}</main>`;
  }

  #renderView() {
    const api = this.#api;
    if (this.#isStaff() && !STAFF_VIEWS.has(this._view)) {
      return html`<section class="card" data-staff-refused aria-labelledby="staff-refused-h">
        <h2 id="staff-refused-h">${t('admin.staffOnly.title')}</h2>
        <p>${t('admin.staffOnly.line')}</p>
        <p><a href="#dashboard">${t('admin.staffOnly.back')}</a></p>
      </section>`;
    }
    const page = SOURCE_PAGES.find(({ view }) => view === this._view);
    if (page !== undefined) return page.render(api);
    // Not a source's page: one of the panel's own.
    const view = this._view as View;
    switch (view) {
      case 'dashboard':
        return html`<mb-admin-dashboard .api=${api} .live=${this.#live}></mb-admin-dashboard>`;
      case 'library':
        return html`<mb-admin-library .api=${api} .live=${this.#live}></mb-admin-library>`;
      case 'users':
        return html`<mb-admin-users .api=${api}></mb-admin-users>`;
      case 'history':
        return html`<mb-admin-history .api=${api}></mb-admin-history>`;
      case 'settings':
        return html`<mb-admin-settings .api=${api}></mb-admin-settings>`;
      case 'stations':
        return html`<mb-admin-stations .api=${api}></mb-admin-stations>`;
      case 'blocked':
        return html`<mb-admin-blocks .api=${api}></mb-admin-blocks>`;
      case 'audit':
        return html`<mb-admin-audit .api=${api}></mb-admin-audit>`;
      case 'backups':
        return html`<mb-admin-backups .api=${api}></mb-admin-backups>`;
      case 'guests':
        return html`<h2>${t('admin.guests.title')}</h2>
          <p class="muted">${t('admin.guests.intro')}</p>
          <mb-guest-requests .api=${api} .live=${this.#live}></mb-guest-requests>`;
      case 'camera':
        return html`<mb-admin-camera .api=${api} .live=${this.#live}></mb-admin-camera>`;
      case 'model':
        return html`<mb-admin-model .api=${api}></mb-admin-model>`;
      default: {
        const never: never = view;
        return never;
      }
    }
  }

  #renderSignIn() {
    return html`<main>
      <form class="signin card" aria-labelledby="signin-h" novalidate @submit=${this.#signIn} @input=${this.#clearError}>
        <h1 id="signin-h" style="margin: 0; font-size: 1.4em">${t('admin.title')}</h1>
        ${this.#field(t('admin.signIn.name'), 'name', { autocomplete: 'username' })}
        ${this.#field(t('admin.signIn.passphrase'), 'passphrase', { type: 'password', autocomplete: 'current-password' })}
        <p class="muted" data-staff-pin>${t('admin.signIn.staffPin')}</p>
        ${
          // Issue 82: the demo's sign-in is in the README only; the page says it too.
          this._isDemo
            ? html`<p data-demo-admin>
                ${tWith('admin.signIn.demoAdmin', {
                  name: html`<code>${DEMO_ADMIN.name}</code>`,
                  passphrase: html`<code>${DEMO_ADMIN.passphrase}</code>`,
                })}
              </p>`
            : nothing
        }
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
        <button type="submit" ?disabled=${this._isBusy}>${this._isBusy ? t('admin.signIn.busy') : t('admin.signIn.submit')}</button>
        <details class="recover" data-recover>
          <summary>${t('admin.signIn.noOne')}</summary>
          <p>
            ${
              this._isDemo
                ? tWith('admin.signIn.recoverDemo', {
                    add: html`<code>${DEMO_ADD_ADMIN}</code>`,
                    pin: html`<code>${DEMO_NEW_PASSPHRASE}</code>`,
                  })
                : tWith('admin.signIn.recover', { add: html`<code>${ADD_ADMIN}</code>`, pin: html`<code>${NEW_PASSPHRASE}</code>` })
            }
          </p>
        </details>
      </form>
    </main>`;
  }

  #renderPassphraseChange(name: string) {
    return html`<main>
      <form
        class="signin card"
        aria-labelledby="change-h"
        aria-describedby="change-why"
        novalidate
        @submit=${this.#changePassphrase}
        @input=${this.#clearError}
      >
        <h1 id="change-h" style="margin: 0; font-size: 1.4em">${t('admin.change.title')}</h1>
        <p id="change-why">${tWith('admin.change.why', { name: html`<strong>${name}</strong>` }, { min: MIN_PASSPHRASE })}</p>
        ${this.#field(t('admin.change.current'), 'current', { type: 'password', autocomplete: 'current-password' })}
        ${this.#field(t('admin.change.next'), 'next', { type: 'password', autocomplete: 'new-password', minLength: MIN_PASSPHRASE })}
        ${this.#field(t('admin.change.repeat'), 'repeat', { type: 'password', autocomplete: 'new-password', minLength: MIN_PASSPHRASE })}
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
        <button type="submit" ?disabled=${this._isBusy}>${this._isBusy ? t('admin.change.saving') : t('admin.change.save')}</button>
        <button type="button" class="secondary" @click=${this.#signOut}>${t('admin.signOut')}</button>
      </form>
    </main>`;
  }

  /** A field of the sign-in forms: every one is required. */
  #field(label: string, name: string, options: Omit<FormFieldOptions, 'isRequired'>) {
    return formField(label, name, this._fieldErrors[name] ?? '', { ...options, isRequired: true });
  }

  readonly #changePassphrase = async (event: Event): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const current = field(data, 'current');
    const next = field(data, 'next');
    const problems: Record<string, string> = {};
    if (current === '') problems['current'] = t('admin.change.typeCurrent');
    if (next.length < MIN_PASSPHRASE) {
      problems['next'] = t('admin.change.tooShort', { min: MIN_PASSPHRASE, length: next.length });
    } else if (next === current) {
      problems['next'] = t('admin.change.same');
    } else if (next !== field(data, 'repeat')) {
      problems['repeat'] = t('admin.change.differ');
    }
    this._fieldErrors = problems;
    if (Object.keys(problems).length > 0) return;
    this._isBusy = true;
    try {
      this._session = await this.#api.changeOwnPassphrase(current, next);
      this._error = '';
      this.#relink();
    } catch (err) {
      this._error = messageOf(err);
    } finally {
      this._isBusy = false;
    }
  };

  /**
   * Opens the live link again once signed in: the daemon shows the faces, the signed-in person and the
   * services' detail to an admin session only, and the link opened before carried none.
   */
  #relink(): void {
    this.#live.close();
    this.#live.connect();
  }

  /** A message about what was typed goes once the person types again. */
  readonly #clearError = (): void => {
    if (this._error !== '') this._error = '';
    if (Object.keys(this._fieldErrors).length > 0) this._fieldErrors = {};
  };

  /** Choosing a section closes the menu, also when it is the section already shown. */
  readonly #closeMenu = (): void => {
    this._isMenuOpen = false;
  };

  readonly #skip = (event: Event): void => {
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  };

  readonly #signIn = async (event: Event): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const problems: Record<string, string> = {};
    if (field(data, 'name').trim() === '') problems['name'] = t('admin.signIn.typeName');
    if (field(data, 'passphrase') === '') problems['passphrase'] = t('admin.signIn.typePassphrase');
    this._fieldErrors = problems;
    if (Object.keys(problems).length > 0) return;
    this._isBusy = true;
    try {
      this._session = await this.#api.signIn(field(data, 'name').trim(), field(data, 'passphrase'));
      await i18n.use(adminLanguage(this._session.user.language));
      this._error = '';
      this.#relink();
      await this.#resumeSetUp();
    } catch (err) {
      // The daemon words one answer for every failed sign-in, kiosk PINs included; here it is a passphrase or a staff PIN.
      this._error = err instanceof ApiError && err.code === 'MB_ERR_AUTH_FAILED' ? t('admin.signIn.failed') : messageOf(err);
    } finally {
      this._isBusy = false;
    }
  };

  readonly #signOut = async (): Promise<void> => {
    try {
      await this.#api.signOut();
    } finally {
      this._session = null;
      this._error = '';
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin': MbAdmin;
  }
}
