import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StateSnapshot } from '../../daemon/http/contract.js';
import type { AdminApi, GuestAdminView } from '../data/admin-api.js';
import type { ApiClient } from '../data/api-client.js';
import { isToPlay } from '../data/guest-request-status.js';
import { followLanguage } from '../i18n/i18n.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';
import { i18n, t, tWith } from './admin-i18n.js';
import { LiveStateController, whenChanged } from './live-state-controller.js';
import { isOwner } from './panel-role.js';

/**
 * What, when it changes, may change guests' requests as staff see them: the song playing and the
 * one next, and the guests' own part (a request made or waiting, a vote, a like).
 */
function guestsKey(state: StateSnapshot | null): string {
  const p = state?.player;
  if (p === undefined) return '';
  const guests = state?.guests;
  return `${p.nowPlaying?.id ?? ''}|${p.next?.id ?? ''}|${p.next?.whyKind ?? ''}|${guests?.open ?? ''}|${guests?.changedAt ?? ''}`;
}

/**
 * Guests' requests and votes for staff: the queue and the last hour (never who asked), the likes
 * and votes on the song playing; a request can be taken out, or the queue and every vote cleared.
 * `brief`: the requests still to play alone (those waiting for the staff's yes first among them), and a link to the rest.
 *
 * @summary Guests' requests on the dashboard.
 */
@customElement('mb-guest-requests')
export class MbGuestRequests extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      ul {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      li {
        display: flex;
        gap: 0.6em;
        align-items: center;
        justify-content: space-between;
        padding: 0.3em 0;
        border-block-end: 1px solid #eee;
        overflow-wrap: anywhere;
      }
      /* The song's words wrap, never the button's: "Take out" stays one word wide. */
      li > span,
      li > div {
        min-width: 0;
      }
      li button {
        flex: none;
        white-space: nowrap;
        min-height: 44px;
      }
      li > span.decide {
        display: flex;
        flex: none;
        gap: 0.4em;
      }
      /* A phone's dashboard: the song on its own line, its buttons under it. */
      :host([brief]) li {
        flex-wrap: wrap;
      }
      :host([brief]) li > span:first-child {
        flex: 1 1 100%;
      }
      /* A button that does not fit beside the other goes under it, its words on one line. */
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
        margin-top: 0.6em;
      }
    `,
  ];

  @property({ attribute: false }) api!: AdminApi;
  @property({ attribute: false }) live: ApiClient | null = null;
  /** The requests still to play alone, with a link to the Guests page for the rest (a phone's dashboard). */
  @property({ type: Boolean, reflect: true }) brief = false;
  @state() private _view: GuestAdminView | null = null;
  @state() private _error = '';
  @state() private _isBusy = false;

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  readonly #live = new LiveStateController(this, {
    client: () => this.live,
    onChange: whenChanged(guestsKey, () => void this.#load()),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    await this.#run(() => this.api.guestRequests());
  }

  async #run(call: () => Promise<GuestAdminView>): Promise<void> {
    this._isBusy = true;
    try {
      this._view = await call();
      this._error = '';
    } catch (err) {
      this._error = messageOf(err);
    } finally {
      this._isBusy = false;
    }
  }

  /** What a request waits for or how it went, and its votes: "In the queue: … · 1 up, 0 down". */
  #line(r: GuestAdminView['requests'][number]): string {
    // A request waiting for the staff takes no votes.
    if (r.awaitingApproval) return t('admin.guests.waitingForYes');
    // The reason is the daemon's own, said in the reader's language where it sends it as data.
    const reason = i18n.said(r.reasonSaid, r.reason);
    return t('admin.guests.line', { status: t(`admin.guests.status.${r.status}`), reason, up: r.votes.up, down: r.votes.down });
  }

  override render() {
    const view = this._view;
    const open = view?.requests.filter((r) => isToPlay(r.status)) ?? [];
    const shown = this.brief ? open.toSorted((a, b) => Number(b.awaitingApproval) - Number(a.awaitingApproval)) : (view?.requests ?? []);
    return html`<section class="card" aria-labelledby="guests-h" data-online=${this.#live.isOnline}>
      <h3 id="guests-h">${t('admin.guests.requests')}</h3>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      ${
        view === null
          ? nothing
          : html`${
              view.isOpen
                ? nothing
                : html`<p class="muted">
                    ${tWith('admin.guests.closed', {
                      setting: isOwner()
                        ? html`<a href="#settings/guests.requests">${t('admin.guests.closedSetting')}</a>`
                        : html`${t('admin.guests.closedSetting')}`,
                    })}
                  </p>`
            }
            ${
              view.isOpen && view.needsApproval && !this.brief
                ? html`<p class="muted" data-approval>
                    ${tWith('admin.guests.approval', {
                      change: isOwner()
                        ? html`<a href="#settings/guests.approval">${t('admin.guests.approvalChange')}</a>`
                        : html`${t('admin.guests.approvalChange')}`,
                    })}
                  </p>`
                : nothing
            }
            ${
              view.nowPlaying === null || this.brief
                ? nothing
                : html`<p>
                    ${t('admin.guests.nowPlaying', {
                      title: view.nowPlaying.track.title,
                      likes: view.nowPlaying.likes,
                      up: view.nowPlaying.votes.up,
                      down: view.nowPlaying.votes.down,
                      needed: view.downNeeded,
                    })}
                  </p>`
            }
            ${
              shown.length === 0 && this.brief && !view.isOpen
                ? nothing
                : shown.length === 0
                  ? html`<p class="muted" data-none>${this.brief ? t('admin.guests.noneWaiting') : t('admin.guests.noneInHour')}</p>`
                  : html`<ul aria-label=${t('admin.guests.requests')}>
                      ${shown.map(
                        (r) =>
                          html`<li data-status=${r.status}>
                            <span>
                              <strong>${r.track.title}</strong> — ${r.track.artist}<br />
                              <span class="muted">${this.#line(r)}</span>
                            </span>
                            ${
                              r.awaitingApproval
                                ? html`<span class="decide">
                                    <button
                                      ?disabled=${this._isBusy}
                                      aria-label=${t('admin.guests.approveLabel', { title: r.track.title })}
                                      @click=${() => void this.#run(() => this.api.approveGuestRequest(r.id))}
                                    >
                                      ${t('admin.guests.approve')}
                                    </button>
                                    <button
                                      class="secondary"
                                      ?disabled=${this._isBusy}
                                      aria-label=${t('admin.guests.declineLabel', { title: r.track.title })}
                                      @click=${() => void this.#run(() => this.api.clearGuestRequest(r.id))}
                                    >
                                      ${t('admin.guests.decline')}
                                    </button>
                                  </span>`
                                : isToPlay(r.status)
                                  ? html`<button
                                      class="secondary"
                                      ?disabled=${this._isBusy}
                                      aria-label=${t('admin.guests.takeOutLabel', { title: r.track.title })}
                                      @click=${() => void this.#run(() => this.api.clearGuestRequest(r.id))}
                                    >
                                      ${t('admin.guests.takeOut')}
                                    </button>`
                                  : nothing
                            }
                          </li>`,
                      )}
                    </ul>`
            }
            ${
              this.brief
                ? html`<a class="action" href="#guests">${t('admin.guests.everyRequest')}</a>`
                : html`<div class="actions">
                    <button
                      class="danger"
                      ?disabled=${this._isBusy || open.length === 0}
                      @click=${() => void this.#run(() => this.api.clearGuests())}
                    >
                      ${t('admin.guests.clear')}
                    </button>
                    <button class="secondary" ?disabled=${this._isBusy} @click=${() => void this.#load()}>
                      ${t('admin.guests.refresh')}
                    </button>
                  </div>`
            }`
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-guest-requests': MbGuestRequests;
  }
}
