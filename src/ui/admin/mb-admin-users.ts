import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, AdminUser, Card, CardReader } from '../data/admin-api.js';
import { ApiError } from '../data/api-client.js';
import { CaptureCountdown } from './capture-countdown.js';
import { PageLoader } from './page-loader.js';
import { ADMIN_STYLES, field, formatTime, messageOf } from './admin-styles.js';
import { USERS_STYLES } from './mb-admin-users.styles.js';

/** How long "tap a card now" waits for a card (s). */
const CAPTURE_S = 20;

/**
 * People and their cards as a table that scales: name, role, whether they have a PIN or a card,
 * when they were last seen and how often they played, with a search. Each person is edited in a
 * dialog: PIN, cards (typed, or tapped on the reader with a countdown and a cancel), disable,
 * clear wrong tries, delete.
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
    return html`<h2>Users and cards</h2>
      ${this.#loader.status()}
      <form class="row card" aria-label="Add a person" @submit=${this.#create}>
        <label>Name <input name="name" required maxlength="64" autocomplete="off" /></label>
        <label
          >Role
          <select name="role">
            <option value="member">Member</option>
            <option value="admin">Admin</option>
          </select>
        </label>
        <label>PIN or passphrase <input name="pin" type="password" autocomplete="new-password" /></label>
        <button type="submit">Add person</button>
        ${this.#messages('add')} ${this.#renderAdded()}
      </form>
      <div class="row" role="search" style="margin-top: 1em">
        <label>Find a person <input type="search" .value=${this._query} @input=${this.#onQuery} autocomplete="off" /></label>
        <span class="muted" aria-live="polite"
          >${shown.length} of ${this._users.length} ${this._users.length === 1 ? 'person' : 'people'}</span
        >
      </div>
      <table aria-label="People" class="cards">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">PIN</th>
            <th scope="col">Cards</th>
            <th scope="col">Last seen</th>
            <th scope="col">Plays</th>
            <th scope="col"><span class="muted">Edit</span></th>
          </tr>
        </thead>
        <tbody>
          ${shown.map((u) => this.#renderRow(u))}
        </tbody>
      </table>
      ${shown.length === 0 && this._users.length > 0 ? html`<p class="muted">Nobody’s name contains “${this._query}”.</p>` : nothing}
      ${editing === undefined ? nothing : this.#renderDialog(editing)}`;
  }

  #renderRow(u: AdminUser) {
    const activity = u.activity;
    const hasPin = activity?.hasPin ?? false;
    const cards = activity?.cards ?? 0;
    return html`<tr data-user=${u.name} class=${u.disabled ? 'disabled' : ''}>
      <td>
        <strong>${u.name}</strong>
        ${u.disabled ? html`<span class="muted">· disabled</span>` : nothing}
        ${!hasPin && cards === 0 ? html`<span class="muted" data-cannot-sign-in>· cannot sign in yet</span>` : nothing}
      </td>
      <td data-label="Role">${u.role === 'admin' ? 'Admin' : 'Member'}</td>
      <td class=${hasPin ? 'yes' : 'no'} data-cell="pin" data-label="PIN">${hasPin ? 'Yes' : 'No'}</td>
      <td class=${cards > 0 ? 'yes' : 'no'} data-cell="cards" data-label="Cards">${cards === 0 ? 'None' : cards}</td>
      <td data-cell="seen" data-label="Last seen">
        ${activity?.lastSeenAt ? formatTime(activity.lastSeenAt) : html`<span class="muted">never</span>`}
      </td>
      <td data-cell="plays" data-label="Plays">${activity?.plays ?? 0}</td>
      <td class="actions"><button class="secondary" aria-label="Edit ${u.name}" @click=${() => void this.#open(u.id)}>Edit</button></td>
    </tr>`;
  }

  #renderAdded() {
    const added = this._added;
    if (added === null || this._where !== 'add') return nothing;
    if (added.canSignIn) return html`<p class="ok" role="status">Added ${added.name}.</p>`;
    return html`<p class="warn" role="status">
      Added ${added.name}, but they cannot sign in yet: give them a PIN or link a card.
      <button type="button" class="secondary" @click=${() => void this.#open(added.id)}>Set up ${added.name}</button>
    </p>`;
  }

  #renderDialog(u: AdminUser) {
    const reader = this._reader;
    const isCapturing = this.#countdown.leftS !== null;
    return html`<dialog aria-label=${u.name} data-user=${u.name} @close=${this.#onClose} @cancel=${this.#onClose}>
      <header>
        <h3>${u.name} <span class="muted">· ${u.role}${u.disabled ? ' · disabled' : ''}</span></h3>
        <button class="secondary" @click=${this.#close}>Close</button>
      </header>
      ${
        u.signIn !== undefined && u.signIn.failures > 0
          ? html`<p class="muted" data-sign-in-wait>
              ${u.signIn.failures} wrong PIN${u.signIn.failures === 1 ? '' : 's'} or passphrase${u.signIn.failures === 1 ? '' : 's'}
              counted${u.signIn.waitS > 0 ? html`; the next sign-in waits ${formatWait(u.signIn.waitS)}` : ''}.
            </p>`
          : ''
      }
      ${this.#messages(u.id)}
      <form class="row" aria-label="PIN of ${u.name}" @submit=${(e: Event) => this.#setPin(e, u)}>
        <label>New PIN <input name="pin" type="password" autocomplete="new-password" required /></label>
        <button type="submit" class="secondary">Set PIN</button>
        <span class="muted">${u.activity?.hasPin ? 'A PIN is set.' : 'No PIN yet.'}</span>
      </form>
      <h3>Cards</h3>
      ${
        this._cards.length === 0
          ? html`<p class="muted">No card linked.</p>`
          : html`<ul class="cards">
              ${this._cards.map(
                (c) =>
                  html`<li data-card=${c.cardId}>
                    <code>${c.cardId}</code> ${c.label} <span class="muted">linked ${formatTime(c.createdAt)}</span>
                    <button class="danger" aria-label="Unlink card ${c.cardId}" @click=${() => this.#unlink(c)}>Unlink</button>
                  </li>`,
              )}
            </ul>`
      }
      <div class="capture" data-capture>
        ${
          isCapturing
            ? html`<span role="status"
                  >Tap the card on the reader now: <span class="countdown" data-countdown>${this.#countdown.leftS} s</span> left</span
                >
                <button class="danger" @click=${this.#cancelCapture}>Cancel</button>`
            : html`<button class="secondary" @click=${() => void this.#capture(u)}>Tap a card now</button> ${
                  reader !== null && reader.status !== 'connected'
                    ? html`<span class="muted" data-reader=${reader.status}>${reader.detail}</span>`
                    : nothing
                }`
        }
      </div>
      <form class="row" aria-label="Link a card to ${u.name}" @submit=${(e: Event) => this.#link(e, u)}>
        <label
          >Card ID
          <input
            name="cardId"
            required
            minlength="4"
            maxlength="32"
            pattern="[0-9A-Za-z]+"
            title="4–32 letters or digits"
            autocomplete="off"
          />
        </label>
        <label>Label <input name="label" maxlength="64" autocomplete="off" /></label>
        <button type="submit">Link card</button>
      </form>
      <h3>Account</h3>
      <div class="row">
        <button class="secondary" @click=${() => this.#toggle(u)}>${u.disabled ? 'Enable' : 'Disable'}</button>
        ${
          u.signIn !== undefined && u.signIn.failures > 0
            ? html`<button class="secondary" data-action="unlock" @click=${() => this.#unlock(u)}>Clear wrong tries</button>`
            : ''
        }
        <button class="danger" @click=${() => this.#delete(u)}>Delete</button>
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
    const role = data.get('role') === 'admin' ? 'admin' : 'member';
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
    void this.#run(() => this.api.unlockUser(u.id), `${u.name} can sign in again at once.`, u.id);
  }

  #toggle(u: AdminUser): void {
    void this.#run(
      () => this.api.updateUser(u.id, { disabled: !u.disabled }),
      `${u.name} is ${u.disabled ? 'enabled' : 'disabled'}.`,
      u.id,
    );
  }

  #setPin(event: Event, u: AdminUser): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const pin = field(new FormData(form), 'pin');
    void this.#run(() => this.api.setPin(u.id, pin), `New PIN set for ${u.name}.`, u.id).then((ok) => ok && form.reset());
  }

  #delete(u: AdminUser): void {
    if (!confirm(`Delete ${u.name}? Their history is kept without their name.`)) return;
    this.#close();
    this._added = null;
    void this.#run(() => this.api.deleteUser(u.id), `Deleted ${u.name}.`, 'add');
  }

  #link(event: Event, u: AdminUser): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const cardId = field(data, 'cardId').trim();
    const label = field(data, 'label').trim();
    void this.#run(
      () => this.api.linkCard({ cardId, userId: u.id, ...(label ? { label } : {}) }),
      `Linked card ${cardId} to ${u.name}.`,
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
        this._error = `Card ${cardId} is linked to ${owner.name}. Unlink it there first.`;
        return;
      }
      await this.#run(() => this.api.linkCard({ cardId, userId: u.id }), `Linked card ${cardId} to ${u.name}.`, u.id);
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
    this._status = 'Stopped waiting for a card.';
    this._error = '';
    try {
      await this.api.cancelCardCapture();
    } catch (err) {
      this._error = messageOf(err);
    }
  };

  #unlink(c: Card): void {
    void this.#run(() => this.api.unlinkCard(c.cardId), `Unlinked card ${c.cardId}.`, c.userId);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-users': MbAdminUsers;
  }
}

/** "45 s" or "12 min". */
function formatWait(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
