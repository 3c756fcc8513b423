import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { fetchDiskUse, type DiskUse } from '../data/disk-api.js';
import { followLanguage } from '../i18n/i18n.js';
import { formatNumber, i18n, t } from './admin-i18n.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';
import { tableWords } from './disk-table-words.js';

/** Largest tables shown. */
const TABLES_SHOWN = 5;
const PART_LABELS: Record<DiskUse['parts'][number]['name'], () => string> = {
  database: () => t('admin.disk.part.database'),
  covers: () => t('admin.disk.part.covers'),
  backups: () => t('admin.disk.part.backups'),
  logs: () => t('admin.disk.part.logs'),
  other: () => t('admin.disk.part.other'),
};

/** `12.3 MiB` ("12,3 MiB" in German, "12,3 Mio" in French). */
export function formatBytes(bytes: number): string {
  const tenths = (n: number): string => formatNumber(n, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  if (bytes < 1024) return t('admin.disk.bytes', { n: formatNumber(bytes) });
  if (bytes < 1024 ** 2) return t('admin.disk.kib', { n: tenths(bytes / 1024) });
  if (bytes < 1024 ** 3) return t('admin.disk.mib', { n: tenths(bytes / 1024 ** 2) });
  return t('admin.disk.gib', { n: tenths(bytes / 1024 ** 3) });
}

/**
 * What the box keeps on disk: the data directory by part (database, covers, backups, log files),
 * the largest database tables, the free space, and the days left at the rate it grew over the
 * last nights. Read once when shown; the nightly retention job keeps it bounded.
 *
 * @summary Disk use on the admin dashboard.
 */
@customElement('mb-disk-use')
export class MbDiskUse extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      table {
        border-collapse: collapse;
      }
      td {
        padding-block: 0.1em;
        padding-inline: 0 1em;
      }
      td.bytes {
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @state() private _use: DiskUse | null = null;
  @state() private _error = '';

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  override render() {
    const use = this._use;
    return html`<section class="card" aria-labelledby="disk-h">
      <h3 id="disk-h">${t('admin.disk.title')}</h3>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      ${
        use === null
          ? this._error
            ? nothing
            : html`<p class="muted" role="status">${t('admin.disk.reading')}</p>`
          : html`<p data-days-left>${daysLeft(use)}</p>
              <table aria-label=${t('admin.disk.tableLabel')}>
                <tbody>
                  ${use.parts
                    .filter((p) => p.bytes > 0 || p.name === 'database')
                    .map(
                      (p) =>
                        html`<tr data-part=${p.name}>
                          <td>${PART_LABELS[p.name]()}</td>
                          <td class="bytes">${formatBytes(p.bytes)}</td>
                        </tr>`,
                    )}
                </tbody>
              </table>
              ${
                use.tables.length === 0
                  ? nothing
                  : html`<p class="muted">
                      ${t('admin.disk.largestTables')}
                      ${use.tables
                        .slice(0, TABLES_SHOWN)
                        .map((table) => `${tableWords(table.name)} ${formatBytes(table.bytes)}`)
                        .join(' · ')}
                    </p>`
              }`
      }
    </section>`;
  }

  async #load(): Promise<void> {
    try {
      this._use = await fetchDiskUse();
      this._error = '';
    } catch (err) {
      this._error = t('admin.disk.cannotRead', { error: messageOf(err) });
    }
  }
}

function daysLeft(use: DiskUse): string {
  const free = { free: formatBytes(use.filesystem.freeBytes), size: formatBytes(use.filesystem.sizeBytes) };
  if (use.growthBytesPerDay === null) return t('admin.disk.growthUnknown', free);
  if (use.daysLeft === null) return t('admin.disk.notGrowing', { ...free, nights: use.samples });
  // The days as a plain number ("about 20000 days left"), as the panel has always written it.
  const n = formatNumber(use.daysLeft, { useGrouping: false });
  return t('admin.disk.growing', { ...free, perDay: formatBytes(use.growthBytesPerDay), days: use.daysLeft, n });
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-disk-use': MbDiskUse;
  }
}
