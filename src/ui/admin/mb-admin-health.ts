import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { StateSnapshot } from '../../daemon/http/contract.js';
import { ADMIN_STYLES } from './admin-styles.js';

type ServiceHealth = StateSnapshot['services'][number];

/** What each part of Moodbox does, in an owner's words, by the service's name. */
const SERVICE_WORDS: Readonly<Record<string, string>> = {
  database: 'Saved data (accounts, history, settings)',
  backups: 'Nightly backups',
  settings: 'Settings',
  'kiosk-presence': 'Sign-in at the kiosk',
  rfid: 'Card reader',
  player: 'Speakers',
  library: 'Music library',
  music: 'Music choice',
  http: 'Screens and this panel',
  screens: 'What the screens show',
  camera: 'Camera',
  vision: 'Reading the room',
  'emotion-classifier': 'Reading expressions',
  taste: 'Learning what people like',
  history: 'Play history',
  spotify: 'Spotify',
  mqtt: 'Building controls (MQTT)',
  'mqtt-bridge': 'Home automation (MQTT)',
  fleet: 'Other Moodboxes (fleet)',
  metrics: 'Statistics for the technician',
};

/** A service's status in an owner's words. */
const STATUS_WORDS: Readonly<Record<ServiceHealth['status'], string>> = {
  ready: 'Working',
  degraded: 'Working, with a problem',
  starting: 'Starting',
  failed: 'Not working',
  stopping: 'Stopping',
  stopped: 'Stopped',
};

/** The part's name for an owner; a part this panel does not know yet keeps its own name, made readable. */
export function serviceWords(name: string): string {
  const known = SERVICE_WORDS[name];
  if (known !== undefined) return known;
  const words = name.replace(/[-_]+/g, ' ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

/** Parts of a detail meant for a technician: the model's weights and the CPU features its kernels use. */
const TECHNICAL = /\b(int8|float32|fp32|onnx|avx\w*|vnni|neon|asimd\w*|sse\w*|fma|kernels?|flags?)\b/i;

/** A service's detail as an owner reads it: its plain parts ("camera on", "25 tracks"), the technical ones left to the disclosure. */
export function ownerDetail(detail: string | undefined): string {
  return (detail ?? '')
    .split('; ')
    .filter((part) => part.trim() !== '' && !TECHNICAL.test(part))
    .join('; ');
}

/**
 * How Moodbox is doing, for an owner: each part by what it does ("Speakers", "Card reader") and
 * whether it works, with what it says in plain words; the services' own names,
 * statuses and details (CPU flags and the like) sit behind a "Details for a technician" disclosure.
 *
 * @summary Health of Moodbox's parts in plain words.
 */
@customElement('mb-admin-health')
export class MbAdminHealth extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      ul {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      li {
        padding: 0.2em 0;
      }
      li .status {
        font-weight: 700;
      }
      li[data-status='ready'] .status {
        color: #166534;
      }
      li[data-status='degraded'] .status,
      li[data-status='starting'] .status {
        color: #92400e;
      }
      li[data-status='failed'] .status {
        color: #991b1b;
      }
      details {
        margin-top: 0.6em;
      }
      dl {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 0.1em 0.6em;
        margin: 0;
        font-size: 0.9em;
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
    `,
  ];

  /** The services as the daemon reports them (`state.services`). */
  @property({ attribute: false }) services: readonly ServiceHealth[] = [];
  /** Moodbox's version, for the technician. */
  @property() version = '';
  /** Only the parts that need attention in view; every part, and the technician's details, behind one disclosure (a phone's dashboard). */
  @property({ type: Boolean }) brief = false;

  override render() {
    const problems = this.services.filter((s) => s.status !== 'ready');
    const summary = html`<p data-summary>
      ${
        this.services.length === 0
          ? 'Waiting for Moodbox to report…'
          : problems.length === 0
            ? 'Everything works.'
            : `${problems.length} part${problems.length === 1 ? ' needs' : 's need'} attention.`
      }
    </p>`;
    if (!this.brief) return html`${summary} ${this.#parts(this.services)} ${this.#technician()}`;
    const working = this.services.filter((s) => s.status === 'ready');
    return html`${summary} ${problems.length > 0 ? this.#parts(problems) : nothing}
      <details data-parts>
        <summary>${problems.length > 0 ? `The parts that work (${working.length})` : `Every part (${working.length})`}</summary>
        ${this.#parts(working)} ${this.#technician()}
      </details>`;
  }

  /** Each of `services` by what it does, whether it works, and what it says in plain words. */
  #parts(services: readonly ServiceHealth[]) {
    return html`<ul>
      ${services.map(
        (s) =>
          html`<li data-status=${s.status} data-service=${s.name}>
            ${serviceWords(s.name)}: <span class="status">${STATUS_WORDS[s.status]}</span>${
              ownerDetail(s.detail) ? html` · <span class="muted">${ownerDetail(s.detail)}</span>` : nothing
            }
          </li>`,
      )}
    </ul>`;
  }

  #technician() {
    return html`<details data-technician>
      <summary>Details for a technician</summary>
      <dl>
        ${this.services.map(
          (s) =>
            html`<dt><code>${s.name}</code></dt>
              <dd>${s.status}${s.detail ? ` · ${s.detail}` : ''}</dd>`,
        )}
        ${
          this.version
            ? html`<dt>Version</dt>
                <dd>${this.version}</dd>`
            : nothing
        }
      </dl>
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-health': MbAdminHealth;
  }
}
