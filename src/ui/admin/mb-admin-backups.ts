import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, Backup, Backups } from '../data/admin-api.js';
import { ApiError } from '../data/api-client.js';
import { followLanguage } from '../i18n/i18n.js';
import { formatNumber, i18n, t, type AdminKey } from './admin-i18n.js';
import { ADMIN_STYLES, formatTime, messageOf } from './admin-styles.js';
import { PageLoader } from './page-loader.js';
import { restoredNote } from './restored-note.js';

/** Each kind of backup in an owner's words. */
const KIND_WORDS: Record<Backup['kind'], AdminKey> = {
  nightly: 'admin.backups.kinds.nightly',
  manual: 'admin.backups.kinds.manual',
  uploaded: 'admin.backups.kinds.uploaded',
  'before-migration': 'admin.backups.kinds.beforeMigration',
  'before-restore': 'admin.backups.kinds.beforeRestore',
};

/** How often the page asks whether Moodbox is back after a restore (ms), and for how long at most. */
const POLL_MS = 1500;
const POLL_FOR_MS = 120_000;
/** How long the page asks for a Moodbox started by hand, which its owner starts again (ms). */
const POLL_BY_HAND_MS = 30 * 60_000;

/** A size in bytes as people read it: 812 KB, 3.4 MB. */
export function sizeWords(bytes: number): string {
  const fixed = (value: number, digits: number): string =>
    formatNumber(value, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
  if (bytes < 1000) return t('admin.backups.sizeBytes', { bytes });
  if (bytes < 1_000_000) return t('admin.backups.sizeKb', { size: fixed(Math.round(bytes / 1000), 0) });
  if (bytes < 1_000_000_000) return t('admin.backups.sizeMb', { size: fixed(bytes / 1_000_000, 1) });
  return t('admin.backups.sizeGb', { size: fixed(bytes / 1_000_000_000, 2) });
}

/** The hour of the nightly copy, as the reader's language writes a time ("03:00", "3:00 AM"). */
const nightlyAt = (hour: number | undefined): string => i18n.clock(hour ?? 3);

/**
 * The database's backups: a copy now, the list with sizes, each one to download, a file from this
 * device added (kept only when it would restore), and a restore: confirmed, then Moodbox stops, puts
 * the backup in place and starts again, keeping the database it replaced as a backup in the list.
 *
 * @summary Admin backups and restore.
 */
@customElement('mb-admin-backups')
export class MbAdminBackups extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      button,
      a.button {
        min-height: 44px;
      }
      a.button {
        display: inline-flex;
        align-items: center;
        padding: 0 0.9em;
        border: 1px solid #1d4ed8;
        border-radius: 0.35em;
        background: #fff;
        color: #1d4ed8;
        font-weight: 600;
        text-decoration: none;
      }
      .tools {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 1em;
        margin-bottom: 1em;
      }
      .tools p {
        margin: 0;
      }
      input[type='file'] {
        box-sizing: border-box;
        width: 100%;
        min-height: 44px;
        padding: 0.4em;
      }
      td.actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
      }
      [role='alertdialog'] {
        margin: 0 0 1em;
        border-color: #b91c1c;
      }
      [role='alertdialog'] p {
        margin: 0 0 0.8em;
      }
      .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: 0.6em;
      }
      .restored {
        margin: 0 0 1em;
      }
      /* The box right beside its words, on one line, not above them as a field's label is. */
      label.check {
        flex-direction: row;
        align-items: center;
        gap: 0.6em;
        margin-bottom: 0.8em;
      }
      label.check input {
        flex: none;
        width: 1.3em;
        height: 1.3em;
        min-height: 0;
        margin: 0;
      }
    `,
  ];

  @property({ attribute: false }) api!: AdminApi;
  @state() private _backups: Backups | null = null;
  /** What the last action did, or why it failed. */
  @state() private _result = '';
  @state() private _isError = false;
  /** Why the file chosen cannot be restored, shown at the file field. */
  @state() private _uploadProblem = '';
  @state() private _isBusy = false;
  /** The backup whose restore waits for a yes. */
  @state() private _confirming: Backup | null = null;
  /** Whether a restore brings back the backup's people too (off: today's stay). */
  @state() private _restorePeople = false;
  /** The backup being restored while Moodbox restarts. */
  @state() private _restoring: Backup | null = null;
  /** Whether something starts Moodbox again after the restore's stop (systemd, a supervisor); else its owner does. */
  @state() private _canRestart = true;
  #pollUntil = 0;
  #pollTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #loader = new PageLoader(this, async () => {
    [this._backups, this._canRestart] = await Promise.all([this.api.backups(), this.api.hasOperation('restartDaemon').catch(() => true)]);
  });

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override disconnectedCallback(): void {
    clearTimeout(this.#pollTimer);
    super.disconnectedCallback();
  }

  override render() {
    const backups = this._backups;
    return html`<h2>${t('admin.backups.title')}</h2>
      <p class="intro muted">${t('admin.backups.intro', { at: nightlyAt(backups?.nightlyHour) })}</p>
      ${this.#loader.status()} ${restoredNote(backups, t(KIND_WORDS['before-restore']))} ${this.#restoringNote()} ${this.#confirm()}
      ${backups === null || this._restoring !== null ? nothing : this.#tools()} ${backups === null ? nothing : this.#list(backups.items)}`;
  }

  #restoringNote() {
    const restoring = this._restoring;
    if (restoring === null) return nothing;
    return html`<p class="card" role="status" aria-live="polite" data-restoring>
      ${
        this._isError
          ? this._result
          : t(this._canRestart ? 'admin.backups.restarting' : 'admin.backups.stoppedByHand', { at: formatTime(restoring.at) })
      }
    </p>`;
  }

  #confirm() {
    const backup = this._confirming;
    if (backup === null) return nothing;
    return html`<section class="card" role="alertdialog" aria-labelledby="confirm-h" aria-describedby="confirm-what" data-confirm>
      <h3 id="confirm-h">${t('admin.backups.confirmTitle', { at: formatTime(backup.at) })}</h3>
      <p id="confirm-what">${t('admin.backups.confirmWhat')}</p>
      ${this._canRestart ? nothing : html`<p data-by-hand>${t('admin.backups.byHand')}</p>`}
      <label class="check">
        <input
          type="checkbox"
          .checked=${this._restorePeople}
          @change=${(e: Event) => (this._restorePeople = (e.target as HTMLInputElement).checked)}
          data-restore-people
        />
        ${t('admin.backups.restorePeople')}
      </label>
      <div class="buttons">
        <button type="button" class="danger" ?disabled=${this._isBusy} @click=${() => void this.#restore(backup)}>
          ${t('admin.backups.restoreAndRestart')}
        </button>
        <button type="button" class="secondary" ?disabled=${this._isBusy} @click=${this.#cancel}>${t('admin.backups.cancel')}</button>
      </div>
    </section>`;
  }

  #tools() {
    const latest = this._backups?.items[0];
    return html`<div class="tools card">
      <div class="buttons">
        <button type="button" ?disabled=${this._isBusy} @click=${() => void this.#backUpNow()} data-action="back-up-now">
          ${t('admin.backups.backUpNow')}
        </button>
        ${
          latest === undefined
            ? nothing
            : html`<a class="button" href=${this.api.backupUrl(latest.name)} download=${latest.name} data-action="download-latest"
                >${t('admin.backups.downloadLatest')}</a
              >`
        }
      </div>
      <p role="status" aria-live="polite" class=${this._isError ? 'error' : 'ok'} data-result>${this._result}</p>
      <div>
        <label
          >${t('admin.backups.addFromDevice')}
          <input
            type="file"
            accept=".db,application/vnd.sqlite3"
            ?disabled=${this._isBusy}
            aria-invalid=${this._uploadProblem === '' ? 'false' : 'true'}
            aria-describedby=${this._uploadProblem === '' ? 'upload-help' : 'upload-help upload-error'}
            @change=${(event: Event) => void this.#upload(event)}
        /></label>
        <p class="muted" id="upload-help">${t('admin.backups.uploadHelp')}</p>
        ${this._uploadProblem === '' ? nothing : html`<p class="field-error" id="upload-error" role="alert">${this._uploadProblem}</p>`}
      </div>
    </div>`;
  }

  #list(items: Backup[]) {
    if (items.length === 0) {
      return html`<p class="muted" data-empty>${t('admin.backups.empty', { at: nightlyAt(this._backups?.nightlyHour) })}</p>`;
    }
    return html`<table class="cards">
      <caption class="muted">
        ${t('admin.backups.caption', { count: items.length })}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('admin.backups.taken')}</th>
          <th scope="col">${t('admin.backups.what')}</th>
          <th scope="col">${t('admin.backups.size')}</th>
          <th scope="col"><span class="muted">${t('admin.backups.actions')}</span></th>
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (b) =>
            html`<tr data-backup=${b.name} data-kind=${b.kind}>
              <td data-label=${t('admin.backups.taken')}>${formatTime(b.at)}</td>
              <td data-label=${t('admin.backups.what')}>${t(KIND_WORDS[b.kind])}</td>
              <td data-label=${t('admin.backups.size')} data-size>${sizeWords(b.bytes)}</td>
              <td class="actions">
                <a
                  class="button"
                  href=${this.api.backupUrl(b.name)}
                  download=${b.name}
                  aria-label=${t('admin.backups.downloadLabel', { at: formatTime(b.at) })}
                  >${t('admin.backups.download')}</a
                >
                <button
                  type="button"
                  class="danger"
                  ?disabled=${this._isBusy || this._restoring !== null}
                  aria-label=${t('admin.backups.restoreLabel', { at: formatTime(b.at) })}
                  @click=${() => this.#ask(b)}
                >
                  ${t('admin.backups.restore')}
                </button>
                <button
                  type="button"
                  class="secondary"
                  ?disabled=${this._isBusy || this._restoring !== null}
                  aria-label=${t('admin.backups.deleteLabel', { at: formatTime(b.at) })}
                  @click=${() => void this.#delete(b)}
                  data-action="delete"
                >
                  ${t('admin.backups.delete')}
                </button>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  async #delete(backup: Backup): Promise<void> {
    if (!window.confirm(t('admin.backups.confirmDelete', { at: formatTime(backup.at), size: sizeWords(backup.bytes) }))) return;
    this._isBusy = true;
    try {
      await this.api.deleteBackup(backup.name);
      this.#say(t('admin.backups.deleted', { at: formatTime(backup.at) }));
      await this.#loader.reload();
    } catch (err) {
      this.#say(t('admin.backups.notDeleted', { why: messageOf(err) }), true);
    } finally {
      this._isBusy = false;
    }
  }

  async #backUpNow(): Promise<void> {
    this._isBusy = true;
    try {
      const made = await this.api.backUpNow();
      this.#say(t('admin.backups.backedUp', { size: sizeWords(made.bytes), at: formatTime(made.at) }));
      await this.#loader.reload();
    } catch (err) {
      this.#say(t('admin.backups.couldNotBackUp', { why: messageOf(err) }), true);
    } finally {
      this._isBusy = false;
    }
  }

  async #upload(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file === undefined) return;
    this._isBusy = true;
    this._uploadProblem = '';
    try {
      const kept = await this.api.uploadBackup(file);
      this.#say(t('admin.backups.added', { file: file.name, size: sizeWords(kept.bytes) }));
      await this.#loader.reload();
    } catch (err) {
      this._result = '';
      this._uploadProblem =
        err instanceof ApiError && err.code === 'MB_ERR_STORE_RESTORE'
          ? t('admin.backups.cannotRestoreFile', { file: file.name, why: messageOf(err) })
          : t('admin.backups.couldNotAdd', { file: file.name, why: messageOf(err) });
    } finally {
      this._isBusy = false;
      input.value = '';
    }
  }

  #ask(backup: Backup): void {
    this._confirming = backup;
    this._result = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[data-confirm] button.secondary')?.focus());
  }

  readonly #cancel = (): void => {
    this._confirming = null;
  };

  async #restore(backup: Backup): Promise<void> {
    this._isBusy = true;
    try {
      await this.api.restoreBackup(backup.name, { people: this._restorePeople });
      this._confirming = null;
      this._restoring = backup;
      this._isError = false;
      this.#pollUntil = Date.now() + (this._canRestart ? POLL_FOR_MS : POLL_BY_HAND_MS);
      this.#pollTimer = setTimeout(() => void this.#poll(backup), POLL_MS);
    } catch (err) {
      this._confirming = null;
      this.#say(t('admin.backups.notRestored', { why: messageOf(err) }), true);
    } finally {
      this._isBusy = false;
    }
  }

  /** Asks until the Moodbox that started with the backup answers (a sign-in may be needed: the panel then asks for it). */
  async #poll(backup: Backup): Promise<void> {
    try {
      const backups = await this.api.backups();
      if (backups.lastRestore?.from === backup.name) {
        this._backups = backups;
        this._restoring = null;
        return;
      }
    } catch {
      // Stopping, or not started yet: ask again.
    }
    if (Date.now() > this.#pollUntil) {
      this.#say(t('admin.backups.notBack', { command: 'sudo systemctl start moodbox' }), true);
      return;
    }
    this.#pollTimer = setTimeout(() => void this.#poll(backup), POLL_MS);
  }

  #say(message: string, isError = false): void {
    this._result = message;
    this._isError = isError;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-backups': MbAdminBackups;
  }
}
