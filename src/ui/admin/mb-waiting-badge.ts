import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ApiClient } from '../data/api-client.js';
import { followLanguage } from '../i18n/i18n.js';
import { VISUALLY_HIDDEN } from './admin-styles.js';
import { i18n, t } from './admin-i18n.js';
import { LiveStateController } from './live-state-controller.js';

/**
 * The count of guests' requests waiting for the staff's yes (`guests.approval` is `staff`), live: a
 * red badge beside the Guests section and the phone's Menu button on every admin page, read out as
 * "2 requests wait for your yes". Nothing while none waits.
 *
 * @summary The admin panel's badge of requests waiting for staff.
 */
@customElement('mb-waiting-badge')
export class MbWaitingBadge extends LitElement {
  static override styles = [
    VISUALLY_HIDDEN,
    css`
      :host {
        display: inline;
      }
      .badge {
        display: inline-block;
        min-width: 1.5em;
        margin-inline-start: 0.4em;
        padding: 0 0.45em;
        border-radius: 1em;
        background: #b91c1c;
        color: #fff;
        font-size: 0.85em;
        font-weight: 700;
        line-height: 1.5em;
        text-align: center;
      }
    `,
  ];

  @property({ attribute: false }) live: ApiClient | null = null;

  readonly #live = new LiveStateController(this, { client: () => this.live });

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override render() {
    const waiting = this.#live.state?.guests.awaitingStaff ?? 0;
    if (waiting === 0) return nothing;
    return html`<span class="badge" aria-hidden="true" data-waiting=${waiting}>${waiting}</span
      ><span class="visually-hidden">, ${t('admin.waiting.count', { count: waiting })}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-waiting-badge': MbWaitingBadge;
  }
}
