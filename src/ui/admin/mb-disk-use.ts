import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { fetchDiskUse, type DiskUse } from '../data/disk-api.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';

/** Largest tables shown. */
const TABLES_SHOWN = 5;
const PART_LABELS: Record<DiskUse['parts'][number]['name'], string> = {
  database: 'Database',
  covers: 'Cover images',
  backups: 'Backups',
  logs: 'Log files',
  other: 'Other',
};

/** `12.3 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
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
        padding: 0.1em 1em 0.1em 0;
      }
      td.bytes {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @state() private _use: DiskUse | null = null;
  @state() private _error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  override render() {
    const use = this._use;
    return html`<section class="card" aria-labelledby="disk-h">
      <h3 id="disk-h">Disk</h3>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      ${
        use === null
          ? this._error
            ? nothing
            : html`<p class="muted" role="status">Reading the disk use…</p>`
          : html`<p data-days-left>${daysLeft(use)}</p>
              <table aria-label="Disk use by part">
                <tbody>
                  ${use.parts
                    .filter((p) => p.bytes > 0 || p.name === 'database')
                    .map(
                      (p) =>
                        html`<tr data-part=${p.name}>
                          <td>${PART_LABELS[p.name]}</td>
                          <td class="bytes">${formatBytes(p.bytes)}</td>
                        </tr>`,
                    )}
                </tbody>
              </table>
              ${
                use.tables.length === 0
                  ? nothing
                  : html`<p class="muted">
                      Largest tables:
                      ${use.tables
                        .slice(0, TABLES_SHOWN)
                        .map((t) => `${t.name} ${formatBytes(t.bytes)}`)
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
      this._error = `Cannot read the disk use: ${messageOf(err)}`;
    }
  }
}

function daysLeft(use: DiskUse): string {
  const free = `${formatBytes(use.filesystem.freeBytes)} free of ${formatBytes(use.filesystem.sizeBytes)}`;
  if (use.growthBytesPerDay === null) return `${free}; the growth is measured from the second night on.`;
  if (use.daysLeft === null) return `${free}; not growing over the last ${use.samples} nights.`;
  return `${free}; growing ${formatBytes(use.growthBytesPerDay)} a day: about ${use.daysLeft} days left.`;
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-disk-use': MbDiskUse;
  }
}
