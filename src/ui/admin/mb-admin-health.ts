import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { StateSnapshot } from '../../daemon/http/contract.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, t, type AdminKey } from './admin-i18n.js';
import { ADMIN_STYLES } from './admin-styles.js';
import { cameraHealthWords } from './camera-health-words.js';

type ServiceHealth = StateSnapshot['services'][number];

/**
 * The services this panel names in an owner's words (`admin.health.service.<name>`); a music
 * source's line (`spotify`) is named by the source's own name, which is the same in every language.
 */
const SERVICES = new Set([
  'database',
  'backups',
  'retention',
  'update',
  'settings',
  'kioskPresence',
  'rfid',
  'player',
  'library',
  'music',
  'http',
  'screens',
  'camera',
  'vision',
  'emotionClassifier',
  'taste',
  'history',
  'mqtt',
  'mqttBridge',
  'fleet',
  'metrics',
  'memory',
  'moodLog',
  'stations',
  'blocks',
  'guests',
  'calibration',
]);

/** A service's status in an owner's words. */
const STATUS_WORDS: Readonly<Record<ServiceHealth['status'], AdminKey>> = {
  ready: 'admin.health.status.ready',
  degraded: 'admin.health.status.degraded',
  starting: 'admin.health.status.starting',
  failed: 'admin.health.status.failed',
  stopping: 'admin.health.status.stopping',
  stopped: 'admin.health.status.stopped',
};

/** The part's name for an owner; a part this panel does not know yet keeps its own name, made readable. */
export function serviceWords(name: string): string {
  // `kiosk-presence` → `kioskPresence`: catalogue keys are camelCase.
  const id = name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
  if (SERVICES.has(id)) return t(`admin.health.service.${id}` as AdminKey);
  const words = name.replace(/[-_]+/g, ' ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

/** Parts of a detail meant for a technician: the model's weights and the CPU features its kernels use. */
const TECHNICAL = /\b(int8|float32|fp32|onnx|avx\w*|vnni|neon|asimd\w*|sse\w*|fma|kernels?|flags?)\b/i;

/**
 * A service's detail as an owner reads it: the box's sentence in the reader's language where it
 * sends one (`said`), else its plain parts ("camera on", "25 tracks"), the technical ones left to
 * the disclosure.
 */
export function ownerDetail(detail: string | undefined, said?: ServiceHealth['said'], service = ''): string {
  if (said !== undefined) return i18n.said(said, detail ?? '');
  // The camera's line, written for the log, is read back phrase by phrase in the reader's language.
  if (service === 'camera' || service === 'vision') return cameraHealthWords(detail);
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
  /** The live link to the daemon is down: how its parts are now is not known, so nothing is said to work. */
  @property({ type: Boolean }) offline = false;

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override render() {
    if (this.offline) return html`<p data-summary data-offline>${t('admin.health.offline')}</p>`;
    const problems = this.services.filter((s) => s.status !== 'ready');
    const summary = html`<p data-summary>
      ${
        this.services.length === 0
          ? t('admin.health.waiting')
          : problems.length === 0
            ? t('admin.health.allWell')
            : t('admin.health.needAttention', { count: problems.length })
      }
    </p>`;
    if (!this.brief) return html`${summary} ${this.#parts(this.services)} ${this.#technician()}`;
    const working = this.services.filter((s) => s.status === 'ready');
    return html`${summary} ${problems.length > 0 ? this.#parts(problems) : nothing}
      <details data-parts>
        <summary>
          ${problems.length > 0 ? t('admin.health.working', { count: working.length }) : t('admin.health.everyPart', { count: working.length })}
        </summary>
        ${this.#parts(working)} ${this.#technician()}
      </details>`;
  }

  /** Each of `services` by what it does, whether it works, and what it says in plain words. */
  #parts(services: readonly ServiceHealth[]) {
    return html`<ul>
      ${services.map(
        (s) =>
          html`<li data-status=${s.status} data-service=${s.name}>
            ${t('admin.health.part', { part: serviceWords(s.name) })} <span class="status">${t(STATUS_WORDS[s.status])}</span>${
              ownerDetail(s.detail, s.said, s.name) ? html` · <span class="muted">${ownerDetail(s.detail, s.said, s.name)}</span>` : nothing
            }
          </li>`,
      )}
    </ul>`;
  }

  #technician() {
    return html`<details data-technician>
      <summary>${t('admin.health.technician')}</summary>
      <dl>
        ${this.services.map(
          (s) =>
            html`<dt><code>${s.name}</code></dt>
              <dd>${s.status}${s.detail ? ` · ${s.detail}` : ''}</dd>`,
        )}
        ${
          this.version
            ? html`<dt>${t('admin.health.version')}</dt>
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
