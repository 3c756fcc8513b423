import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, AdminUser, Card } from '../data/admin-api.js';
import { ADMIN_STYLES, field, formatTime, messageOf } from './admin-styles.js';

/**
 * Users and their cards: create people, disable them, set a PIN, link a card by typing its ID or
 * by tapping it on the reader ("tap a card now"), unlink cards.
 *
 * @summary Admin users and cards.
 */
@customElement('mb-admin-users')
export class MbAdminUsers extends LitElement {
  static override styles = ADMIN_STYLES;

  @property({ attribute: false }) api!: AdminApi;
  @state() private _users: AdminUser[] = [];
  @state() private _cards: Record<number, Card[]> = {};
  @state() private _status = '';
  @state() private _error = '';
  /** Where the last message belongs: the add form, a person's section, or the page (loading). */
  @state() private _where: 'add' | number | null = null;
  @state() private _capturingFor: number | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this._users = await this.api.users();
      const cards = await Promise.all(this._users.map(async (u) => [u.id, await this.api.cards(u.id)] as const));
      this._cards = Object.fromEntries(cards);
      this._error = '';
    } catch (err) {
      this._error = messageOf(err);
      this._where = null;
    }
  }

  override render() {
    return html`<h2>Users and cards</h2>
      ${this.#messages(null)}
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
        ${this.#messages('add')}
      </form>
      ${this._users.map((u) => this.#renderUser(u))}`;
  }

  #renderUser(u: AdminUser) {
    const cards = this._cards[u.id] ?? [];
    return html`<section class="card" data-user=${u.name} aria-label=${u.name} style="margin-top: 0.8em">
      <h3>${u.name} <span class="muted">· ${u.role}${u.disabled ? ' · disabled' : ''}</span></h3>
      ${
        u.signIn !== undefined && u.signIn.failures > 0
          ? html`<p class="muted" data-sign-in-wait>
              ${u.signIn.failures} wrong PIN${u.signIn.failures === 1 ? '' : 's'} or passphrase${u.signIn.failures === 1 ? '' : 's'}
              counted${u.signIn.waitS > 0 ? html`; the next sign-in waits ${formatWait(u.signIn.waitS)}` : ''}.
            </p>`
          : ''
      }
      ${this.#messages(u.id)}
      <div class="row">
        <button class="secondary" @click=${() => this.#toggle(u)}>${u.disabled ? 'Enable' : 'Disable'}</button>
        ${
          u.signIn !== undefined && u.signIn.failures > 0
            ? html`<button class="secondary" data-action="unlock" @click=${() => this.#unlock(u)}>Clear wrong tries</button>`
            : ''
        }
        <form class="row" style="margin: 0" @submit=${(e: Event) => this.#setPin(e, u)}>
          <label>New PIN <input name="pin" type="password" autocomplete="new-password" required /></label>
          <button type="submit" class="secondary">Set PIN</button>
        </form>
        <button class="danger" @click=${() => this.#delete(u)}>Delete</button>
      </div>
      <h3>Cards</h3>
      ${
        cards.length === 0
          ? html`<p class="muted">No card linked.</p>`
          : html`<ul>
              ${cards.map(
                (c) =>
                  html`<li data-card=${c.cardId}>
                    <code>${c.cardId}</code> ${c.label} <span class="muted">linked ${formatTime(c.createdAt)}</span>
                    <button class="danger" aria-label="Unlink card ${c.cardId}" @click=${() => this.#unlink(c)}>Unlink</button>
                  </li>`,
              )}
            </ul>`
      }
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
        <button type="button" class="secondary" ?disabled=${this._capturingFor !== null} @click=${() => this.#capture(u)}>
          ${this._capturingFor === u.id ? 'Tap a card on the reader now…' : 'Tap a card now'}
        </button>
      </form>
    </section>`;
  }

  /** The message of the last action, where it belongs: next to what caused it. */
  #messages(where: 'add' | number | null) {
    if (this._where !== where) return nothing;
    return html`${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
    ${this._status ? html`<p class="ok" role="status">${this._status}</p>` : nothing}`;
  }

  async #run(action: () => Promise<unknown>, done: string, where: 'add' | number): Promise<boolean> {
    this._where = where;
    try {
      await action();
      this._status = done;
      this._error = '';
      await this.#load();
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
    if (
      await this.#run(
        () => this.api.createUser({ name, role, ...(pin ? { pin } : {}) }),
        pin ? `Added ${name}.` : `Added ${name}. They cannot sign in until they have a PIN or a card.`,
        'add',
      )
    )
      form.reset();
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
    this._capturingFor = u.id;
    this._where = u.id;
    this._error = '';
    this._status = 'Waiting for a card on the reader…';
    try {
      const { cardId, linkedTo } = await this.api.captureCard(20);
      const owner = this._users.find((x) => x.id === linkedTo);
      if (owner !== undefined && owner.id !== u.id) {
        this._error = `Card ${cardId} is linked to ${owner.name}. Unlink it there first.`;
        this._status = '';
        return;
      }
      await this.#run(() => this.api.linkCard({ cardId, userId: u.id }), `Linked card ${cardId} to ${u.name}.`, u.id);
    } catch (err) {
      this._error = messageOf(err);
      this._status = '';
    } finally {
      this._capturingFor = null;
    }
  }

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
