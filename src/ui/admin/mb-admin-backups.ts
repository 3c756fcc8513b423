import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, Backup, Backups } from '../data/admin-api.js';
import { ApiError } from '../data/api-client.js';
import { ADMIN_STYLES, formatTime, messageOf } from './admin-styles.js';
import { PageLoader } from './page-loader.js';
import { restoredNote } from './restored-note.js';

/** Each kind of backup in an owner's words. */
const KIND_WORDS: Record<Backup['kind'], string> = {
  nightly: 'Nightly copy',
  manual: 'Backed up by hand',
  uploaded: 'Uploaded',
  'before-migration': 'Before an update',
  'before-restore': 'Replaced by a restore',
};

/** How often the page asks whether Moodbox is back after a restore (ms), and for how long at most. */
const POLL_MS = 1500;
const POLL_FOR_MS = 120_000;

/** A size in bytes as people read it: 812 KB, 3.4 MB. */
export function sizeWords(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(2)} GB`;
}

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
  #pollUntil = 0;
  #pollTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #loader = new PageLoader(this, async () => {
    this._backups = await this.api.backups();
  });

  override disconnectedCallback(): void {
    clearTimeout(this.#pollTimer);
    super.disconnectedCallback();
  }

  override render() {
    const backups = this._backups;
    return html`<h2>Backups</h2>
      <p class="intro muted">
        Moodbox copies its saved data (accounts, history, settings, calibrations) every night at
        ${String(backups?.nightlyHour ?? 3).padStart(2, '0')}:00 and keeps the last seven. Keep a copy off the box: download one now and
        then.
      </p>
      ${this.#loader.status()} ${restoredNote(backups, KIND_WORDS['before-restore'])} ${this.#restoringNote()} ${this.#confirm()}
      ${backups === null || this._restoring !== null ? nothing : this.#tools()} ${backups === null ? nothing : this.#list(backups.items)}`;
  }

  #restoringNote() {
    const restoring = this._restoring;
    if (restoring === null) return nothing;
    return html`<p class="card" role="status" aria-live="polite" data-restoring>
      ${
        this._isError
          ? this._result
          : `Moodbox is restarting with the backup of ${formatTime(restoring.at)}. The music stops for a moment; this page comes back by itself.`
      }
    </p>`;
  }

  #confirm() {
    const backup = this._confirming;
    if (backup === null) return nothing;
    return html`<section class="card" role="alertdialog" aria-labelledby="confirm-h" aria-describedby="confirm-what" data-confirm>
      <h3 id="confirm-h">Restore the backup of ${formatTime(backup.at)}?</h3>
      <p id="confirm-what">
        Moodbox stops, puts this backup in place and starts again; the music stops for a moment. History, library and settings go back to
        how they were then; everyone is signed out. What Moodbox holds now is not lost: it is kept as a backup in this list, so you can go
        back to it.
      </p>
      <label class="check">
        <input
          type="checkbox"
          .checked=${this._restorePeople}
          @change=${(e: Event) => (this._restorePeople = (e.target as HTMLInputElement).checked)}
          data-restore-people
        />
        Restore people too: their PINs, passphrases and cards as they were in the backup. Unticked, today’s stay, and anyone deleted since
        comes back disabled.
      </label>
      <div class="buttons">
        <button type="button" class="danger" ?disabled=${this._isBusy} @click=${() => void this.#restore(backup)}>
          Restore and restart
        </button>
        <button type="button" class="secondary" ?disabled=${this._isBusy} @click=${this.#cancel}>Cancel</button>
      </div>
    </section>`;
  }

  #tools() {
    const latest = this._backups?.items[0];
    return html`<div class="tools card">
      <div class="buttons">
        <button type="button" ?disabled=${this._isBusy} @click=${() => void this.#backUpNow()} data-action="back-up-now">
          Back up now
        </button>
        ${
          latest === undefined
            ? nothing
            : html`<a class="button" href=${this.api.backupUrl(latest.name)} download=${latest.name} data-action="download-latest"
                >Download the latest</a
              >`
        }
      </div>
      <p role="status" aria-live="polite" class=${this._isError ? 'error' : 'ok'} data-result>${this._result}</p>
      <div>
        <label
          >Add a backup from this device
          <input
            type="file"
            accept=".db,application/vnd.sqlite3"
            ?disabled=${this._isBusy}
            aria-invalid=${this._uploadProblem === '' ? 'false' : 'true'}
            aria-describedby=${this._uploadProblem === '' ? 'upload-help' : 'upload-help upload-error'}
            @change=${(event: Event) => void this.#upload(event)}
        /></label>
        <p class="muted" id="upload-help">
          A file downloaded from a Moodbox. It is checked before it is kept; nothing changes until you restore it.
        </p>
        ${this._uploadProblem === '' ? nothing : html`<p class="field-error" id="upload-error" role="alert">${this._uploadProblem}</p>`}
      </div>
    </div>`;
  }

  #list(items: Backup[]) {
    if (items.length === 0) {
      return html`<p class="muted" data-empty>
        No backups yet. The first nightly copy is taken at ${String(this._backups?.nightlyHour ?? 3).padStart(2, '0')}:00; “Back up now”
        makes one at once.
      </p>`;
    }
    return html`<table class="cards">
      <caption class="muted">
        ${items.length === 1 ? 'One backup' : `${items.length} backups`}, newest first
      </caption>
      <thead>
        <tr>
          <th scope="col">Taken</th>
          <th scope="col">What</th>
          <th scope="col">Size</th>
          <th scope="col"><span class="muted">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (b) =>
            html`<tr data-backup=${b.name} data-kind=${b.kind}>
              <td data-label="Taken">${formatTime(b.at)}</td>
              <td data-label="What">${KIND_WORDS[b.kind]}</td>
              <td data-label="Size" data-size>${sizeWords(b.bytes)}</td>
              <td class="actions">
                <a
                  class="button"
                  href=${this.api.backupUrl(b.name)}
                  download=${b.name}
                  aria-label="Download the backup of ${formatTime(b.at)}"
                  >Download</a
                >
                <button
                  type="button"
                  class="danger"
                  ?disabled=${this._isBusy || this._restoring !== null}
                  aria-label="Restore the backup of ${formatTime(b.at)}"
                  @click=${() => this.#ask(b)}
                >
                  Restore
                </button>
                <button
                  type="button"
                  class="secondary"
                  ?disabled=${this._isBusy || this._restoring !== null}
                  aria-label="Delete the backup of ${formatTime(b.at)}"
                  @click=${() => void this.#delete(b)}
                  data-action="delete"
                >
                  Delete
                </button>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  async #delete(backup: Backup): Promise<void> {
    if (!window.confirm(`Delete the backup of ${formatTime(backup.at)} (${sizeWords(backup.bytes)})? It cannot be brought back.`)) return;
    this._isBusy = true;
    try {
      await this.api.deleteBackup(backup.name);
      this.#say(`Deleted the backup of ${formatTime(backup.at)}.`);
      await this.#loader.reload();
    } catch (err) {
      this.#say(`Not deleted: ${messageOf(err)}`, true);
    } finally {
      this._isBusy = false;
    }
  }

  async #backUpNow(): Promise<void> {
    this._isBusy = true;
    try {
      const made = await this.api.backUpNow();
      this.#say(`Backed up: ${sizeWords(made.bytes)}, ${formatTime(made.at)}.`);
      await this.#loader.reload();
    } catch (err) {
      this.#say(`Could not back up: ${messageOf(err)}`, true);
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
      this.#say(`Added ${file.name} (${sizeWords(kept.bytes)}): it is in the list, ready to restore.`);
      await this.#loader.reload();
    } catch (err) {
      this._result = '';
      this._uploadProblem =
        err instanceof ApiError && err.code === 'MB_ERR_STORE_RESTORE'
          ? `${file.name} cannot be restored, so it was not kept: ${err.message}`
          : `Could not add ${file.name}: ${messageOf(err)}`;
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
      this.#pollUntil = Date.now() + POLL_FOR_MS;
      this.#pollTimer = setTimeout(() => void this.#poll(backup), POLL_MS);
    } catch (err) {
      this._confirming = null;
      this.#say(`Not restored: ${messageOf(err)}`, true);
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
      this.#say('Moodbox has not come back yet. If it does not start by itself, start it again (sudo systemctl start moodbox).', true);
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
