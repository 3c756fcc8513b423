import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, AdminUser, Card, CardReader } from '../data/admin-api.js';
import { ApiError } from '../data/api-client.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, t, tWith } from './admin-i18n.js';
import { CaptureCountdown } from './capture-countdown.js';
import { PageLoader } from './page-loader.js';
import { ADMIN_STYLES, field, formatTime, messageOf } from './admin-styles.js';
import { USERS_STYLES } from './mb-admin-users.styles.js';

/** How long "tap a card now" waits for a card (s). */
const CAPTURE_S = 20;

type Role = AdminUser['role'];
/** The roles, from the kiosk alone to everything, each named by its word (`admin.users.<role>`). */
const ROLES: readonly Role[] = ['member', 'staff', 'admin'];
const roleName = (role: Role): string => t(`admin.users.${role}`);
const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

/**
 * People and their cards as a table that scales: name, role, whether they have a PIN or a card,
 * when they were last seen and how often they played, with a search. Each person is edited in a
 * dialog: PIN, cards (typed, or tapped on the reader with a countdown and a cancel), the role
 * (member, staff or admin), disable, clear wrong tries, delete.
 *
 * @summary Admin users and cards.
 */
@customElement('mb-admin-users')
export class MbAdminUsers extends LitElement {
  static override styles = [ADMIN_STYLES, USERS_STYLES];

  @property({ attribute: false }) api!: AdminApi;
  @state() private _users: AdminUser[] = [];
  @state() private _cards: Card[] = [];
  @state() private _query = '';
  @state() private _status = '';
  @state() private _error = '';
  /** The add form's result: a warning when the person cannot sign in yet. */
  @state() private _added: { name: string; id: number; canSignIn: boolean } | null = null;
  /** Where the last message belongs: the add form, the open person's dialog, or the page (loading). */
  @state() private _where: 'add' | number | null = null;
  /** The person whose dialog is open. */
  @state() private _editing: number | null = null;
  @state() private _reader: CardReader | null = null;
  /** Seconds left of "tap a card now". */
  readonly #countdown = new CaptureCountdown(this, CAPTURE_S);
  #isCancelled = false;

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override disconnectedCallback(): void {
    if (this.#countdown.leftS !== null) void this.#cancelCapture();
    super.disconnectedCallback();
  }

  readonly #loader = new PageLoader(this, async () => {
    this._users = await this.api.users();
    if (this._editing !== null) this._cards = await this.api.cards(this._editing);
  });

  override render() {
    const query = this._query.trim().toLowerCase();
    const shown = this._users.filter((u) => query === '' || u.name.toLowerCase().includes(query));
    const editing = this._users.find((u) => u.id === this._editing);
    return html`<h2>${t('admin.users.title')}</h2>
      ${this.#loader.status()}
      <form class="row card" aria-label=${t('admin.users.addForm')} @submit=${this.#create}>
        <label>${t('admin.users.name')} <input name="name" required maxlength="64" autocomplete="off" /></label>
        <label
          >${t('admin.users.role')}
          <select name="role" aria-describedby="role-help">
            ${ROLES.map((role) => html`<option value=${role}>${roleName(role)}</option>`)}
          </select>
        </label>
        <label>${t('admin.users.pinOrPassphrase')} <input name="pin" type="password" autocomplete="new-password" /></label>
        <button type="submit">${t('admin.users.add')}</button>
        <p class="muted" id="role-help">${t('admin.users.roleHelp')}</p>
        ${this.#messages('add')} ${this.#renderAdded()}
      </form>
      <div class="row" role="search" style="margin-top: 1em">
        <label>${t('admin.users.find')} <input type="search" .value=${this._query} @input=${this.#onQuery} autocomplete="off" /></label>
        <span class="muted" aria-live="polite">${t('admin.users.shown', { shown: shown.length, total: this._users.length })}</span>
      </div>
      <table aria-label=${t('admin.users.tableName')} class="cards">
        <thead>
          <tr>
            <th scope="col">${t('admin.users.name')}</th>
            <th scope="col">${t('admin.users.role')}</th>
            <th scope="col">${t('admin.users.pin')}</th>
            <th scope="col">${t('admin.users.cards')}</th>
            <th scope="col">${t('admin.users.lastSeen')}</th>
            <th scope="col">${t('admin.users.plays')}</th>
            <th scope="col"><span class="muted">${t('admin.users.edit')}</span></th>
          </tr>
        </thead>
        <tbody>
          ${shown.map((u) => this.#renderRow(u))}
        </tbody>
      </table>
      ${shown.length === 0 && this._users.length > 0 ? html`<p class="muted">${t('admin.users.noMatch', { query: this._query })}</p>` : nothing}
      ${editing === undefined ? nothing : this.#renderDialog(editing)}`;
  }

  #renderRow(u: AdminUser) {
    const activity = u.activity;
    const hasPin = activity?.hasPin ?? false;
    const cards = activity?.cards ?? 0;
    const yesNo = t(hasPin ? 'admin.users.yes' : 'admin.users.no');
    const cardCount = t('admin.users.cardCount', { cards });
    return html`<tr data-user=${u.name} class=${u.disabled ? 'disabled' : ''}>
      <td>
        <strong>${u.name}</strong>
        ${u.disabled ? html`<span class="muted">${t('admin.users.disabledMark')}</span>` : nothing}
        ${!hasPin && cards === 0 ? html`<span class="muted" data-cannot-sign-in>${t('admin.users.cannotSignInMark')}</span>` : nothing}
      </td>
      <td data-cell="role" data-label=${t('admin.users.role')}>${roleName(u.role)}</td>
      <td class=${hasPin ? 'yes' : 'no'} data-cell="pin" data-label=${t('admin.users.pin')}>${yesNo}</td>
      <td class=${cards > 0 ? 'yes' : 'no'} data-cell="cards" data-label=${t('admin.users.cards')}>${cardCount}</td>
      <td data-cell="seen" data-label=${t('admin.users.lastSeen')}>
        ${activity?.lastSeenAt ? formatTime(activity.lastSeenAt) : html`<span class="muted">${t('admin.users.never')}</span>`}
      </td>
      <td data-cell="plays" data-label=${t('admin.users.plays')}>${activity?.plays ?? 0}</td>
      <td class="actions">
        <button class="secondary" aria-label=${t('admin.users.editLabel', { name: u.name })} @click=${() => void this.#open(u.id)}>
          ${t('admin.users.edit')}
        </button>
      </td>
    </tr>`;
  }

  #renderAdded() {
    const added = this._added;
    if (added === null || this._where !== 'add') return nothing;
    if (added.canSignIn) return html`<p class="ok" role="status">${t('admin.users.added', { name: added.name })}</p>`;
    return html`<p class="warn" role="status">
      ${t('admin.users.addedCannotSignIn', { name: added.name })}
      <button type="button" class="secondary" @click=${() => void this.#open(added.id)}>
        ${t('admin.users.setUp', { name: added.name })}
      </button>
    </p>`;
  }

  #renderDialog(u: AdminUser) {
    const reader = this._reader;
    const isCapturing = this.#countdown.leftS !== null;
    return html`<dialog aria-label=${u.name} data-user=${u.name} @close=${this.#onClose} @cancel=${this.#onClose}>
      <header>
        <h3>${u.name} <span class="muted">${t('admin.users.roleMark', { role: u.role, disabled: String(u.disabled) })}</span></h3>
        <button class="secondary" @click=${this.#close}>${t('admin.users.close')}</button>
      </header>
      ${
        u.signIn !== undefined && u.signIn.failures > 0
          ? html`<p class="muted" data-sign-in-wait>
              ${t(u.signIn.waitS > 0 ? 'admin.users.wrongTriesWait' : 'admin.users.wrongTries', { ...u.signIn, wait: formatWait(u.signIn.waitS) })}
            </p>`
          : ''
      }
      ${this.#messages(u.id)}
      <form class="row" aria-label=${t('admin.users.pinForm', { name: u.name })} @submit=${(e: Event) => this.#setPin(e, u)}>
        <label>${t('admin.users.newPin')} <input name="pin" type="password" autocomplete="new-password" required /></label>
        <button type="submit" class="secondary">${t('admin.users.setPin')}</button>
        <span class="muted">${u.activity?.hasPin ? t('admin.users.pinIsSet') : t('admin.users.noPinYet')}</span>
      </form>
      <h3>${t('admin.users.cards')}</h3>
      ${
        this._cards.length === 0
          ? html`<p class="muted">${t('admin.users.noCard')}</p>`
          : html`<ul class="cards">
              ${this._cards.map(
                (c) =>
                  html`<li data-card=${c.cardId}>
                    <code>${c.cardId}</code> ${c.label}
                    <span class="muted">${t('admin.users.linkedAt', { at: formatTime(c.createdAt) })}</span>
                    <button class="danger" aria-label=${t('admin.users.unlinkLabel', { card: c.cardId })} @click=${() => this.#unlink(c)}>
                      ${t('admin.users.unlink')}
                    </button>
                  </li>`,
              )}
            </ul>`
      }
      <div class="capture" data-capture>
        ${
          isCapturing
            ? html`<span role="status"
                  >${tWith('admin.users.tapNow', {
                    left: html`<span class="countdown" data-countdown
                      >${t('admin.users.seconds', { seconds: this.#countdown.leftS ?? 0 })}</span
                    >`,
                  })}</span
                >
                <button class="danger" @click=${this.#cancelCapture}>${t('admin.users.cancel')}</button>`
            : html`<button class="secondary" @click=${() => void this.#capture(u)}>${t('admin.users.tapCard')}</button> ${
                  reader !== null && reader.status !== 'connected'
                    ? html`<span class="muted" data-reader=${reader.status}>${reader.detail}</span>`
                    : nothing
                }`
        }
      </div>
      <form class="row" aria-label=${t('admin.users.linkForm', { name: u.name })} @submit=${(e: Event) => this.#link(e, u)}>
        <label
          >${t('admin.users.cardId')}
          <input
            name="cardId"
            required
            minlength="4"
            maxlength="32"
            pattern="[0-9A-Za-z]+"
            title=${t('admin.users.cardIdRule')}
            autocomplete="off"
          />
        </label>
        <label>${t('admin.users.cardLabel')} <input name="label" maxlength="64" autocomplete="off" /></label>
        <button type="submit">${t('admin.users.link')}</button>
      </form>
      <h3>${t('admin.users.account')}</h3>
      <form class="row" aria-label=${t('admin.users.roleForm', { name: u.name })} @submit=${(e: Event) => this.#setRole(e, u)}>
        <label
          >${t('admin.users.role')}
          <select name="role">
            ${ROLES.map((role) => html`<option value=${role} ?selected=${role === u.role}>${roleName(role)}</option>`)}
          </select>
        </label>
        <button type="submit" class="secondary">${t('admin.users.changeRole')}</button>
      </form>
      <div class="row">
        <button class="secondary" @click=${() => this.#toggle(u)}>${t(u.disabled ? 'admin.users.enable' : 'admin.users.disable')}</button>
        ${
          u.signIn !== undefined && u.signIn.failures > 0
            ? html`<button class="secondary" data-action="unlock" @click=${() => this.#unlock(u)}>${t('admin.users.clearTries')}</button>`
            : ''
        }
        <button class="danger" @click=${() => this.#delete(u)}>${t('admin.users.delete')}</button>
      </div>
    </dialog>`;
  }

  override updated(): void {
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog !== null && !dialog.open) dialog.showModal();
  }

  /** The message of the last action, where it belongs: next to what caused it. */
  #messages(where: 'add' | number | null) {
    if (this._where !== where) return nothing;
    return html`${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
    ${this._status ? html`<p class="ok" role="status">${this._status}</p>` : nothing}`;
  }

  readonly #onQuery = (event: Event): void => {
    this._query = (event.target as HTMLInputElement).value;
  };

  async #open(id: number): Promise<void> {
    this._editing = id;
    this._where = id;
    this._status = '';
    this._error = '';
    this._cards = [];
    this._reader = null;
    try {
      [this._cards, this._reader] = await Promise.all([this.api.cards(id), this.api.cardReader()]);
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  readonly #close = (): void => {
    this.renderRoot.querySelector('dialog')?.close();
  };

  readonly #onClose = (): void => {
    if (this.#countdown.leftS !== null) void this.#cancelCapture();
    this._editing = null;
    if (typeof this._where === 'number') {
      this._where = null;
      this._status = '';
      this._error = '';
    }
  };

  async #run(action: () => Promise<unknown>, done: string, where: 'add' | number): Promise<boolean> {
    this._where = where;
    try {
      await action();
      // The table first, then the message: it never names a row the table does not show yet.
      await this.#loader.reload();
      this._status = done;
      this._error = '';
      return true;
    } catch (err) {
      this._error = messageOf(err);
      this._status = '';
      return false;
    }
  }

  readonly #create = async (event: Event): Promise<void> => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const name = field(data, 'name').trim();
    const pin = field(data, 'pin');
    const chosen = data.get('role');
    const role = isRole(chosen) ? chosen : 'member';
    this._where = 'add';
    this._added = null;
    try {
      const user = await this.api.createUser({ name, role, ...(pin ? { pin } : {}) });
      this._error = '';
      this._status = '';
      form.reset();
      await this.#loader.reload();
      this._added = { name: user.name, id: user.id, canSignIn: pin !== '' };
    } catch (err) {
      this._error = messageOf(err);
      this._status = '';
    }
  };

  #unlock(u: AdminUser): void {
    void this.#run(() => this.api.unlockUser(u.id), t('admin.users.unlocked', { name: u.name }), u.id);
  }

  #toggle(u: AdminUser): void {
    void this.#run(
      () => this.api.updateUser(u.id, { disabled: !u.disabled }),
      u.disabled ? t('admin.users.enabled', { name: u.name }) : t('admin.users.disabled', { name: u.name }),
      u.id,
    );
  }

  #setRole(event: Event, u: AdminUser): void {
    event.preventDefault();
    const role = new FormData(event.target as HTMLFormElement).get('role');
    if (!isRole(role) || role === u.role) return;
    void this.#run(() => this.api.updateUser(u.id, { role }), t('admin.users.roleChanged', { name: u.name, role }), u.id);
  }

  #setPin(event: Event, u: AdminUser): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const pin = field(new FormData(form), 'pin');
    void this.#run(() => this.api.setPin(u.id, pin), t('admin.users.pinDone', { name: u.name }), u.id).then((ok) => ok && form.reset());
  }

  #delete(u: AdminUser): void {
    if (!confirm(t('admin.users.confirmDelete', { name: u.name }))) return;
    this.#close();
    this._added = null;
    void this.#run(() => this.api.deleteUser(u.id), t('admin.users.deleted', { name: u.name }), 'add');
  }

  #link(event: Event, u: AdminUser): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const cardId = field(data, 'cardId').trim();
    const label = field(data, 'label').trim();
    void this.#run(
      () => this.api.linkCard({ cardId, userId: u.id, ...(label ? { label } : {}) }),
      t('admin.users.linked', { card: cardId, name: u.name }),
      u.id,
    ).then((ok) => ok && form.reset());
  }

  async #capture(u: AdminUser): Promise<void> {
    this._where = u.id;
    this._error = '';
    this._status = '';
    this.#isCancelled = false;
    this.#countdown.start();
    try {
      const { cardId, linkedTo } = await this.api.captureCard(CAPTURE_S);
      this.#countdown.stop();
      const owner = this._users.find((x) => x.id === linkedTo);
      if (owner !== undefined && owner.id !== u.id) {
        this._error = t('admin.users.linkedElsewhere', { card: cardId, owner: owner.name });
        return;
      }
      await this.#run(() => this.api.linkCard({ cardId, userId: u.id }), t('admin.users.linked', { card: cardId, name: u.name }), u.id);
    } catch (err) {
      this.#countdown.stop();
      if (this.#isCancelled) return;
      this._error = messageOf(err);
      if (err instanceof ApiError && err.code === 'MB_ERR_RFID_NO_READER') this._reader = await this.api.cardReader().catch(() => null);
    }
  }

  readonly #cancelCapture = async (): Promise<void> => {
    this.#isCancelled = true;
    this.#countdown.stop();
    this._status = t('admin.users.stoppedWaiting');
    this._error = '';
    try {
      await this.api.cancelCardCapture();
    } catch (err) {
      this._error = messageOf(err);
    }
  };

  #unlink(c: Card): void {
    void this.#run(() => this.api.unlinkCard(c.cardId), t('admin.users.unlinked', { card: c.cardId }), c.userId);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-users': MbAdminUsers;
  }
}

/** "45 s" or "12 min". */
function formatWait(seconds: number): string {
  return seconds < 60 ? t('admin.users.seconds', { seconds }) : t('admin.users.minutes', { minutes: Math.ceil(seconds / 60) });
}
